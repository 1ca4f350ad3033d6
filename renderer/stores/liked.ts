// "Liked songs": the listener's liked tracks, kept as a private playlist of that name through the
// API (so they follow the listener to every device that signs in). Created on the first like.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PlaylistSummary, PlaylistView, TrackView } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { PlaylistsStore } from './playlists.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

export const likedPlaylistName = 'Liked songs';

export type LikedState = {
  /** The "Liked songs" playlist, once it exists. */
  playlistId: string | null;
  /** Liked track id → its entry in the playlist (what removing it needs). */
  entries: ReadonlyMap<string, string>;
  busy: boolean;
  /** Finds the listener's "Liked songs" playlist and reads what is in it. */
  load(): Promise<void>;
  toggle(track: TrackView): Promise<void>;
  /** Applies a fresh view of the playlist (after it was edited in the playlist view). */
  onPlaylistChanged(view: PlaylistView): void;
  clear(): void;
};
export type LikedStore = StoreApi<LikedState>;

/** The "Liked songs" playlist among the listener's playlists: private, by that name. */
export function findLikedPlaylist(list: readonly PlaylistSummary[]): PlaylistSummary | undefined {
  return list.find((p) => p.name === likedPlaylistName && p.visibility === 'private');
}

const entriesOf = (view: PlaylistView): Map<string, string> =>
  new Map(view.tracks.map((t) => [t.trackId, t.playlistTrackId]));

export function createLikedStore(deps: {
  ipc: IpcClient;
  ui: UiStore;
  playlists: PlaylistsStore;
}): LikedStore {
  const { ipc, ui, playlists } = deps;
  return createStore<LikedState>()((set, get) => {
    const apply = (view: PlaylistView) => set({ playlistId: view.id, entries: entriesOf(view) });
    /** Keeps the playlists list (sidebar) and an open "Liked songs" page up to date. */
    const refreshPlaylists = async (view: PlaylistView) => {
      if (playlists.getState().isOpen(view.id)) await playlists.getState().open(view.id);
      await playlists.getState().loadList();
    };
    const like = async (track: TrackView) => {
      const { playlistId } = get();
      const view = playlistId
        ? await ipc.call('playlists:addTracks', { playlistId, tracks: [track] })
        : await ipc.call('playlists:create', {
            name: likedPlaylistName,
            visibility: 'private',
            description: 'Tracks you liked in Septet.',
            tracks: [track],
          });
      apply(view);
      ui.getState().notify(`Added “${track.title}” to ${likedPlaylistName}`);
      await refreshPlaylists(view);
    };
    const unlike = async (track: TrackView, playlistTrackId: string, playlistId: string) => {
      const view = await ipc.call('playlists:removeTrack', { playlistId, playlistTrackId });
      apply(view);
      ui.getState().notify(`Removed “${track.title}” from ${likedPlaylistName}`);
      await refreshPlaylists(view);
    };
    return {
      playlistId: null,
      entries: new Map(),
      busy: false,
      async load() {
        try {
          const list = await ipc.call('playlists:list', { page: 1, pageSize: 100 });
          const found = findLikedPlaylist(list.items);
          if (!found) {
            set({ playlistId: null, entries: new Map() });
            return;
          }
          apply(await ipc.call('playlists:get', { playlistId: found.id }));
          ui.getState().clearErrors('liked');
        } catch (err) {
          ui.getState().reportError(err, () => void get().load(), 'liked');
        }
      },
      async toggle(track) {
        const { entries, playlistId, busy } = get();
        if (busy) return;
        set({ busy: true });
        try {
          const entry = entries.get(track.id);
          if (entry && playlistId) await unlike(track, entry, playlistId);
          else await like(track);
          ui.getState().clearErrors('liked');
        } catch (err) {
          ui.getState().reportError(err, () => void get().toggle(track), 'liked');
        } finally {
          set({ busy: false });
        }
      },
      onPlaylistChanged(view) {
        if (view.id === get().playlistId) apply(view);
      },
      clear() {
        set({ playlistId: null, entries: new Map(), busy: false });
      },
    };
  });
}

const liked = createStoreContext<LikedState>('liked');
export const LikedStoreContext = liked.context;
export const useLikedActions = liked.useActions;
export const useIsLiked = (trackId: string | undefined): boolean =>
  liked.useSelector((s) => trackId !== undefined && s.entries.has(trackId));
/** Liked track id → its playlist entry (one Map per change: subscribe only where a list needs it). */
export const useLikedEntries = (): ReadonlyMap<string, string> => liked.useSelector((s) => s.entries);
export const useLikedPlaylistId = (): string | null => liked.useSelector((s) => s.playlistId);
export const useLikedBusy = (): boolean => liked.useSelector((s) => s.busy);
