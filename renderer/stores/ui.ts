// UI state: the current route (with back history), toasts, connectivity, the stream-takeover notice.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { isAppError } from '../../shared/errors.js';
import type { ArtistRef, PlayContext, ReleaseView, TrackView } from '../../shared/ipc/contract.js';
import { createStoreContext } from './store-context.js';

export type Route =
  | { name: 'home' }
  | { name: 'liked' }
  | { name: 'search' }
  | { name: 'browse'; letter: string }
  | { name: 'artist'; artistId: string }
  | { name: 'release'; releaseId: string }
  | { name: 'locker' }
  | { name: 'playlists' }
  | { name: 'playlist'; playlistId: string }
  | { name: 'radio'; playlistId?: string }
  | { name: 'offline' }
  | { name: 'settings' };

export type ToastAction = { label: string; run: () => void };

/** What a context menu is about: a track (maybe in the queue or a playlist), a release, an artist. */
export type MenuTarget =
  | {
      kind: 'track';
      track: TrackView;
      /** The track's place in the queue, when the menu is opened on a queue row. */
      queueUid?: string;
      /** The track's place in a playlist, when the menu is opened on a playlist row. */
      playlist?: { playlistId: string; playlistTrackId: string; name: string };
      /** How Play streams it (a purchase without a subscription: 'locker'); subscription by default. */
      context?: PlayContext;
    }
  | { kind: 'release'; release: ReleaseView; context?: PlayContext }
  | { kind: 'artist'; artist: ArtistRef };

export type ContextMenuState = { target: MenuTarget; x: number; y: number };

export type Toast = {
  id: number;
  kind: 'error' | 'info';
  message: string;
  retry?: () => void;
  /** A button other than Retry (e.g. Undo). */
  action?: ToastAction;
  /**
   * What failed ('playback', 'radio', 'playlists', …): the error toast goes away by itself when
   * that kind of action later succeeds (clearErrors(source)).
   */
  source?: string;
};

export type UiState = {
  route: Route;
  history: Route[];
  toasts: Toast[];
  online: boolean;
  takeover: { message: string; trackId?: string } | null;
  queueOpen: boolean;
  /** Bumped to ask the search box to take focus (Ctrl/Cmd+F). */
  searchFocusRequest: number;
  /** Tracks waiting for the listener to pick a playlist (the add-to-playlist dialog). */
  addToPlaylist: TrackView[] | null;
  /** The open context menu (one for the whole window), null while none is open. */
  contextMenu: ContextMenuState | null;
  openContextMenu(target: MenuTarget, at: { x: number; y: number }): void;
  closeContextMenu(): void;
  openAddToPlaylist(tracks: TrackView[]): void;
  closeAddToPlaylist(): void;
  navigate(route: Route): void;
  back(): void;
  notify(message: string, kind?: Toast['kind'], action?: ToastAction): void;
  reportError(err: unknown, retry?: () => void, source?: string): void;
  dismiss(id: number): void;
  /** Clears the error toasts of `source` (its action succeeded), or every error toast. */
  clearErrors(source?: string): void;
  setOnline(online: boolean): void;
  setTakeover(takeover: UiState['takeover']): void;
  toggleQueue(open?: boolean): void;
  focusSearch(): void;
};
export type UiStore = StoreApi<UiState>;

export function errorMessage(err: unknown): string {
  if (isAppError(err)) return err.message;
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String(err.message);
  return String(err);
}

export function createUiStore(): UiStore {
  let nextId = 1;
  return createStore<UiState>()((set, get) => ({
    route: { name: 'search' },
    history: [],
    toasts: [],
    online: true,
    takeover: null,
    queueOpen: false,
    searchFocusRequest: 0,
    addToPlaylist: null,
    contextMenu: null,
    openContextMenu(target, at) {
      set({ contextMenu: { target, x: at.x, y: at.y } });
    },
    closeContextMenu() {
      if (get().contextMenu) set({ contextMenu: null });
    },
    openAddToPlaylist(tracks) {
      set({ addToPlaylist: tracks });
    },
    closeAddToPlaylist() {
      set({ addToPlaylist: null });
    },
    navigate(route) {
      const { route: current, history } = get();
      if (get().contextMenu) set({ contextMenu: null });
      if (JSON.stringify(current) === JSON.stringify(route)) return;
      set({ route, history: [...history.slice(-49), current] });
    },
    back() {
      const { history } = get();
      const previous = history[history.length - 1];
      if (previous) set({ route: previous, history: history.slice(0, -1) });
    },
    notify(message, kind = 'info', action) {
      const id = nextId++;
      set({ toasts: [...get().toasts.slice(-3), { id, kind, message, ...(action ? { action } : {}) }] });
    },
    reportError(err, retry, source) {
      const id = nextId++;
      const toast: Toast = { id, kind: 'error', message: errorMessage(err) };
      if (retry) toast.retry = retry;
      if (source) toast.source = source;
      // The same message again replaces the older toast instead of stacking up.
      set({
        toasts: [
          ...get()
            .toasts.filter((t) => t.message !== toast.message)
            .slice(-3),
          toast,
        ],
      });
    },
    clearErrors(source) {
      const { toasts } = get();
      const kept = toasts.filter((t) => t.kind !== 'error' || (source !== undefined && t.source !== source));
      if (kept.length !== toasts.length) set({ toasts: kept });
    },
    dismiss(id) {
      set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
    setOnline(online) {
      set({ online });
    },
    setTakeover(takeover) {
      set({ takeover });
    },
    toggleQueue(open) {
      set({ queueOpen: open ?? !get().queueOpen });
    },
    focusSearch() {
      const { route } = get();
      if (route.name !== 'search') get().navigate({ name: 'search' });
      set({ searchFocusRequest: get().searchFocusRequest + 1 });
    },
  }));
}

const ui = createStoreContext<UiState>('ui');
export const UiStoreContext = ui.context;
export const useUiActions = ui.useActions;
export const useRoute = (): Route => ui.useSelector((s) => s.route);
export const useRouteName = (): Route['name'] => ui.useSelector((s) => s.route.name);
export const useCanGoBack = (): boolean => ui.useSelector((s) => s.history.length > 0);
export const useOnline = (): boolean => ui.useSelector((s) => s.online);
export const useTakeover = (): UiState['takeover'] => ui.useSelector((s) => s.takeover);
export const useToasts = (): Toast[] => ui.useSelector((s) => s.toasts);
export const useQueueOpen = (): boolean => ui.useSelector((s) => s.queueOpen);
export const useSearchFocusRequest = (): number => ui.useSelector((s) => s.searchFocusRequest);
/** The tracks waiting in the add-to-playlist dialog, null while it is closed. */
export const useAddToPlaylistTracks = (): TrackView[] | null => ui.useSelector((s) => s.addToPlaylist);
/** The open context menu, null while none is open. */
export const useContextMenu = (): ContextMenuState | null => ui.useSelector((s) => s.contextMenu);
