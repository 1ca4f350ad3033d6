// Playlists: list, open, create, edit, add/remove/reorder tracks, delete.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  PlaylistSummary,
  PlaylistTrackView,
  PlaylistView,
  TrackView,
  Visibility,
} from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { PlayerStore } from './player-state.js';
import { failed, idle, loading, type Resource } from './resource.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

export type PlaylistsState = {
  list: Resource<PlaylistSummary[]>;
  current: Resource<PlaylistView>;
  saving: boolean;
  /** Tracks waiting to be added to a playlist that already holds some of them. */
  duplicatePrompt: DuplicatePrompt | null;
  loadList(): Promise<void>;
  open(playlistId: string): Promise<void>;
  /** True when this playlist is loaded (and shown by the playlist view). */
  isOpen(playlistId: string): boolean;
  /** Plays the playlist from track `start` (0-based). */
  play(playlist: PlaylistView, start: number): Promise<void>;
  create(input: {
    name: string;
    description?: string;
    visibility?: Visibility;
    tracks?: TrackView[];
  }): Promise<PlaylistView | null>;
  update(
    playlistId: string,
    patch: { name?: string; description?: string; visibility?: Visibility },
  ): Promise<boolean>;
  /**
   * Adds tracks to a playlist. Tracks it already holds are not added: the listener is asked first
   * (duplicatePrompt) unless `allowDuplicates`.
   */
  addTracks(playlistId: string, tracks: TrackView[], options?: { allowDuplicates?: boolean }): Promise<void>;
  /** The listener's answer to the duplicate warning. */
  resolveDuplicates(choice: 'addAll' | 'addNew' | 'cancel'): Promise<void>;
  /** Removes a track; the notice that says so offers Undo (the track back at its place). */
  removeTrack(playlistId: string, playlistTrackId: string): Promise<void>;
  moveTrack(playlistId: string, playlistTrackId: string, toPosition: number): Promise<void>;
  remove(playlistId: string): Promise<void>;
};
export type PlaylistsStore = StoreApi<PlaylistsState>;

export type DuplicatePrompt = {
  playlistId: string;
  playlistName: string;
  tracks: TrackView[];
  /** The tracks of `tracks` the playlist already holds. */
  duplicates: TrackView[];
};

function summaryOf(p: PlaylistView): PlaylistSummary {
  const { tracks: _tracks, ...summary } = p;
  return summary;
}

function samePlaylist(a: PlaylistView, b: PlaylistView): boolean {
  if (
    a.id !== b.id ||
    a.name !== b.name ||
    a.description !== b.description ||
    a.visibility !== b.visibility ||
    a.trackCount !== b.trackCount ||
    a.modifiedAt !== b.modifiedAt ||
    a.tracks.length !== b.tracks.length
  )
    return false;
  return a.tracks.every((t, i) => {
    const u = b.tracks[i]!;
    return (
      t.playlistTrackId === u.playlistTrackId &&
      t.trackId === u.trackId &&
      t.title === u.title &&
      t.artist === u.artist &&
      t.image === u.image &&
      t.position === u.position &&
      t.durationSec === u.durationSec
    );
  });
}

type Deps = { ipc: IpcClient; ui: UiStore; player: PlayerStore };
type Set = PlaylistsStore['setState'];
type Get = () => PlaylistsState;

export function createPlaylistsStore(deps: Deps): PlaylistsStore {
  return createStore<PlaylistsState>()((set, get) => ({
    list: idle,
    current: idle,
    saving: false,
    duplicatePrompt: null,
    ...viewActions(deps, set, get),
    ...editActions(deps, set, get),
    ...trackActions(deps, set, get),
  }));
}

/** Loading the list and the open playlist, playing it, deleting one. */
function viewActions(
  { ipc, ui, player }: Deps,
  set: Set,
  get: Get,
): Pick<PlaylistsState, 'loadList' | 'open' | 'isOpen' | 'play' | 'remove'> {
  return {
    async loadList() {
      if (get().list.status !== 'ready') set({ list: loading });
      try {
        const page = await ipc.call('playlists:list', { page: 1, pageSize: 100 });
        set({ list: { status: 'ready', data: page.items } });
      } catch (err) {
        set({ list: failed(err) });
      }
    },
    async open(playlistId) {
      if (!get().isOpen(playlistId)) set({ current: loading });
      try {
        const data = await ipc.call('playlists:get', { playlistId });
        const shown = get().current;
        // A refresh that changed nothing keeps the object on screen: a new 10,000-track array
        // would re-render the whole list (and interrupt a scroll) for nothing.
        if (shown.status === 'ready' && samePlaylist(shown.data, data)) return;
        set({ current: { status: 'ready', data } });
      } catch (err) {
        // Keep showing the playlist already on screen (e.g. offline); only a first load fails.
        if (!get().isOpen(playlistId)) set({ current: failed(err) });
      }
    },
    isOpen(playlistId) {
      const { current } = get();
      return current.status === 'ready' && current.data.id === playlistId;
    },
    async play(playlist, start) {
      const tracks = await playlistTracksAsTrackViews(ipc, playlist);
      await player.getState().playTracks(tracks, start);
    },
    async remove(playlistId) {
      try {
        await ipc.call('playlists:delete', { playlistId });
        ui.getState().clearErrors('playlists');
        const { list, current } = get();
        if (list.status === 'ready')
          set({ list: { status: 'ready', data: list.data.filter((p) => p.id !== playlistId) } });
        if (current.status === 'ready' && current.data.id === playlistId) set({ current: idle });
      } catch (err) {
        ui.getState().reportError(err, () => void get().remove(playlistId), 'playlists');
      }
    },
  };
}

/** Creating and editing: each change is saved by the core, then applied to the open playlist and the list. */
function editActions(
  { ipc, ui }: Deps,
  set: Set,
  get: Get,
): Pick<PlaylistsState, 'create' | 'update' | 'moveTrack'> {
  const moves = createMoveQueue();
  const mutate = createMutate({ ui }, set, get);
  return {
    async create(input) {
      const view = await mutate(
        () => ipc.call('playlists:create', input),
        () => void get().create(input),
      );
      if (view) ui.getState().notify(`Created “${view.name}”`);
      return view;
    },
    async update(playlistId, patch) {
      const view = await mutate(
        () => ipc.call('playlists:update', { playlistId, ...patch }),
        () => void get().update(playlistId, patch),
      );
      return view !== null;
    },
    async moveTrack(playlistId, playlistTrackId, toPosition) {
      // Optimistic: reorder locally first so the row moves under the listener's finger.
      const current = get().current;
      if (current.status === 'ready' && current.data.id === playlistId) {
        const moved = withTrackMoved(current.data, playlistTrackId, toPosition);
        if (moved) set({ current: { status: 'ready', data: moved } });
      }
      await moves.run(
        () => ipc.call('playlists:moveTrack', { playlistId, playlistTrackId, toPosition }),
        (view, settled) => {
          // While more moves wait, an earlier answer would undo them on screen for a moment.
          if (settled) applyView(view, set, get);
          ui.getState().clearErrors('playlists');
        },
        async (err) => {
          ui.getState().reportError(
            err,
            () => void get().moveTrack(playlistId, playlistTrackId, toPosition),
            'playlists',
          );
          await get().open(playlistId);
        },
      );
    },
  };
}

/**
 * Moves go to the core one after another, in the order the listener made them (several quick
 * Shift+Alt+↓ presses each compute their place from the playlist the one before left).
 */
function createMoveQueue() {
  let chain: Promise<void> = Promise.resolve();
  let waiting = 0;
  return {
    run(
      call: () => Promise<PlaylistView>,
      onDone: (view: PlaylistView, settled: boolean) => void,
      onFailed: (err: unknown) => Promise<void>,
    ): Promise<void> {
      waiting += 1;
      const next = chain.then(async () => {
        try {
          const view = await call();
          waiting -= 1;
          onDone(view, waiting === 0);
        } catch (err) {
          waiting -= 1;
          await onFailed(err);
        }
      });
      chain = next;
      return next;
    },
  };
}

type Mutate = (run: () => Promise<PlaylistView>, retry: () => void) => Promise<PlaylistView | null>;

/** Runs one change through the core, then shows its result (or the error, with Retry). */
function createMutate({ ui }: Pick<Deps, 'ui'>, set: Set, get: Get): Mutate {
  return async (run, retry) => {
    set({ saving: true });
    try {
      const view = await run();
      applyView(view, set, get);
      ui.getState().clearErrors('playlists');
      return view;
    } catch (err) {
      ui.getState().reportError(err, retry, 'playlists');
      return null;
    } finally {
      set({ saving: false });
    }
  };
}

/** Adding (with the duplicate warning) and removing (with Undo) tracks. */
function trackActions(
  { ipc, ui }: Deps,
  set: Set,
  get: Get,
): Pick<PlaylistsState, 'addTracks' | 'resolveDuplicates' | 'removeTrack'> {
  const mutate = createMutate({ ui }, set, get);
  const add = async (playlistId: string, tracks: TrackView[]) => {
    const view = await mutate(
      () => ipc.call('playlists:addTracks', { playlistId, tracks }),
      () => void get().addTracks(playlistId, tracks, { allowDuplicates: true }),
    );
    if (view)
      ui.getState().notify(
        tracks.length === 1
          ? `Added “${tracks[0]?.title}” to “${view.name}”`
          : `Added ${tracks.length} tracks to “${view.name}”`,
      );
  };
  /** Puts a removed track back at its place: added again, then moved there. */
  const undoRemove = async (playlistId: string, removed: PlaylistTrackView) => {
    const view = await mutate(
      () => ipc.call('playlists:addTracks', { playlistId, tracks: [asTrackView(removed)] }),
      () => void undoRemove(playlistId, removed),
    );
    const added = view?.tracks.at(-1);
    if (view && added?.trackId === removed.trackId && removed.position < view.tracks.length)
      await get().moveTrack(playlistId, added.playlistTrackId, removed.position);
  };
  return {
    async addTracks(playlistId, tracks, options = {}) {
      if (!options.allowDuplicates) {
        const existing = await tracksOf(ipc, get, playlistId).catch(() => null);
        const held = new Set(existing?.tracks.map((t) => t.trackId));
        const duplicates = tracks.filter((t) => held.has(t.id));
        if (existing && duplicates.length > 0) {
          set({ duplicatePrompt: { playlistId, playlistName: existing.name, tracks, duplicates } });
          return;
        }
      }
      await add(playlistId, tracks);
    },
    async resolveDuplicates(choice) {
      const prompt = get().duplicatePrompt;
      set({ duplicatePrompt: null });
      if (!prompt || choice === 'cancel') return;
      const dup = new Set(prompt.duplicates.map((t) => t.id));
      const tracks = choice === 'addAll' ? prompt.tracks : prompt.tracks.filter((t) => !dup.has(t.id));
      if (tracks.length > 0) await add(prompt.playlistId, tracks);
    },
    async removeTrack(playlistId, playlistTrackId) {
      const current = get().current;
      const removed =
        current.status === 'ready' && current.data.id === playlistId
          ? current.data.tracks.find((t) => t.playlistTrackId === playlistTrackId)
          : undefined;
      const view = await mutate(
        () => ipc.call('playlists:removeTrack', { playlistId, playlistTrackId }),
        () => void get().removeTrack(playlistId, playlistTrackId),
      );
      if (view && removed)
        ui.getState().notify(`Removed “${removed.title}” from “${view.name}”`, 'info', {
          label: 'Undo',
          run: () => void undoRemove(playlistId, removed),
        });
    },
  };
}

/** The playlist as shown when it is the open one, else as the core has it. */
async function tracksOf(ipc: IpcClient, get: Get, playlistId: string): Promise<PlaylistView> {
  const current = get().current;
  if (current.status === 'ready' && current.data.id === playlistId) return current.data;
  return ipc.call('playlists:get', { playlistId });
}

/** A playlist entry as a track to add back (the service fills in the rest by the track id). */
function asTrackView(entry: PlaylistTrackView): TrackView {
  return {
    id: entry.trackId,
    title: entry.title,
    artist: { id: `name:${entry.artist || 'unknown'}`, name: entry.artist },
  };
}

/** Applies a changed playlist to the open one and the list. */
function applyView(view: PlaylistView, set: Set, get: Get): void {
  const { current, list } = get();
  if (current.status === 'ready' && current.data.id === view.id)
    set({ current: { status: 'ready', data: view } });
  if (list.status === 'ready') {
    const exists = list.data.some((p) => p.id === view.id);
    const data = exists
      ? list.data.map((p) => (p.id === view.id ? summaryOf(view) : p))
      : [summaryOf(view), ...list.data];
    set({ list: { status: 'ready', data } });
  }
}

/** The playlist with one track moved to `toPosition` (1-based), renumbered; null when it has no such track. */
function withTrackMoved(
  view: PlaylistView,
  playlistTrackId: string,
  toPosition: number,
): PlaylistView | null {
  const tracks = [...view.tracks];
  const from = tracks.findIndex((t) => t.playlistTrackId === playlistTrackId);
  const [moved] = from >= 0 ? tracks.splice(from, 1) : [];
  if (!moved) return null;
  tracks.splice(toPosition - 1, 0, moved);
  return { ...view, tracks: tracks.map((t, i) => ({ ...t, position: i + 1 })) };
}

/** Playlist tracks as queueable tracks: full views from the catalogue, minimal ones if it cannot answer. */
async function playlistTracksAsTrackViews(ipc: IpcClient, view: PlaylistView): Promise<TrackView[]> {
  const ids = view.tracks.map((t) => t.trackId);
  const byId = new Map<string, TrackView>();
  try {
    for (let i = 0; i < ids.length; i += 100) {
      for (const t of await ipc.call('catalogue:getTracks', { trackIds: ids.slice(i, i + 100) }))
        byId.set(t.id, t);
    }
  } catch {
    // Fall back to what the playlist itself knows; playback resolves streams by track id alone.
  }
  return view.tracks.map(
    (t) =>
      byId.get(t.trackId) ?? {
        id: t.trackId,
        title: t.title,
        artist: { id: `name:${t.artist || 'unknown'}`, name: t.artist },
      },
  );
}

const noPlaylists: PlaylistSummary[] = [];

const playlists = createStoreContext<PlaylistsState>('playlists');
export const PlaylistsStoreContext = playlists.context;
export const usePlaylistsActions = playlists.useActions;
export const usePlaylistList = (): Resource<PlaylistSummary[]> => playlists.useSelector((s) => s.list);
/** The listener's playlists once loaded; the same empty list until then. */
export const usePlaylistSummaries = (): readonly PlaylistSummary[] =>
  playlists.useSelector((s) => (s.list.status === 'ready' ? s.list.data : noPlaylists));
/** The playlist open in the playlist view. */
export const useOpenPlaylist = (): Resource<PlaylistView> => playlists.useSelector((s) => s.current);
export const usePlaylistSaving = (): boolean => playlists.useSelector((s) => s.saving);
/** The duplicate warning waiting for the listener's answer, null while none. */
export const useDuplicatePrompt = (): DuplicatePrompt | null =>
  playlists.useSelector((s) => s.duplicatePrompt);
