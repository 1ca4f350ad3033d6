// Catalogue pages: browse artists A–Z, an artist with releases by type, a release with tracks.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ArtistView, ReleaseType, ReleaseView, TrackView } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createLogger } from '../services/logger.js';
import { failed, idle, loading, type Resource } from './resource.js';
import { createStoreContext } from './store-context.js';
import { errorMessage } from './ui.js';

const log = createLogger('catalogue');

export type BrowseState = {
  letter: string;
  items: ArtistView[];
  totalItems: number;
  page: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
};

export type CatalogueState = {
  browse: BrowseState;
  artist: Resource<ArtistView>;
  artistReleases: Resource<ReleaseView[]>;
  /** The open artist's most popular tracks. */
  artistTopTracks: Resource<TrackView[]>;
  releaseType: ReleaseType | 'all';
  release: Resource<ReleaseView>;
  releaseTracks: Resource<TrackView[]>;
  browseLetter(letter: string): Promise<void>;
  /** Browses `letter` unless it is the letter already shown (or being loaded). */
  showLetter(letter: string): Promise<void>;
  browseMore(): Promise<void>;
  openArtist(artistId: string): Promise<void>;
  setReleaseType(type: ReleaseType | 'all'): Promise<void>;
  openRelease(releaseId: string): Promise<void>;
  markOwned(releaseId: string): void;
  /** A release's tracks (those of a page seen this session, else asked for). */
  tracksOfRelease(releaseId: string): Promise<TrackView[]>;
  /** The catalogue's full view of a track known only by id, title and artist name (a playlist entry). */
  resolveTrack(track: TrackView): Promise<TrackView>;
};
export type CatalogueStore = StoreApi<CatalogueState>;

const browsePageSize = 50;

type Set = CatalogueStore['setState'];
type Get = () => CatalogueState;

export function createCatalogueStore(deps: { ipc: IpcClient }): CatalogueStore {
  const { ipc } = deps;
  return createStore<CatalogueState>()((set, get) => ({
    browse: { letter: 'A', items: [], totalItems: 0, page: 0, status: 'idle', error: null },
    artist: idle,
    artistReleases: idle,
    artistTopTracks: idle,
    releaseType: 'all',
    release: idle,
    releaseTracks: idle,
    ...browseActions(ipc, set, get),
    ...artistActions(ipc, set, get),
    ...releaseActions(ipc, set, get),
  }));
}

/** Artists A–Z, a page at a time. */
function browseActions(
  ipc: IpcClient,
  set: Set,
  get: Get,
): Pick<CatalogueState, 'browseLetter' | 'showLetter' | 'browseMore'> {
  let browseToken = 0;
  return {
    async browseLetter(letter) {
      const token = ++browseToken;
      set({ browse: { letter, items: [], totalItems: 0, page: 0, status: 'loading', error: null } });
      try {
        const result = await ipc.call('catalogue:browseArtists', {
          letter,
          page: 1,
          pageSize: browsePageSize,
        });
        if (token !== browseToken) return;
        set({
          browse: {
            letter,
            items: result.items,
            totalItems: result.totalItems,
            page: 1,
            status: 'ready',
            error: null,
          },
        });
      } catch (err) {
        if (token !== browseToken) return;
        set({ browse: { ...get().browse, status: 'error', error: errorMessage(err) } });
      }
    },
    async showLetter(letter) {
      const { browse } = get();
      if (browse.letter !== letter || browse.status === 'idle') await get().browseLetter(letter);
    },
    async browseMore() {
      const { browse } = get();
      if (browse.status !== 'ready' || browse.items.length >= browse.totalItems) return;
      const token = browseToken;
      set({ browse: { ...browse, status: 'loading' } });
      try {
        const result = await ipc.call('catalogue:browseArtists', {
          letter: browse.letter,
          page: browse.page + 1,
          pageSize: browsePageSize,
        });
        if (token !== browseToken) return;
        const current = get().browse;
        set({
          browse: {
            ...current,
            items: [...current.items, ...result.items],
            totalItems: result.totalItems,
            page: browse.page + 1,
            status: 'ready',
          },
        });
      } catch (err) {
        if (token !== browseToken) return;
        log.warn('browse page failed', err);
        set({ browse: { ...get().browse, status: 'error', error: errorMessage(err) } });
      }
    },
  };
}

/** Every release of an artist (of one type, or all). */
async function fetchArtistReleases(
  ipc: IpcClient,
  artistId: string,
  type: ReleaseType | 'all',
): Promise<ReleaseView[]> {
  const releases: ReleaseView[] = [];
  // Artists rarely have more than a few pages of releases; fetch them all for the filter.
  for (let page = 1; page <= 20; page += 1) {
    const result = await ipc.call('catalogue:getArtistReleases', {
      artistId,
      page,
      pageSize: 50,
      ...(type !== 'all' ? { type } : {}),
    });
    releases.push(...result.items);
    if (releases.length >= result.totalItems || result.items.length === 0) break;
  }
  return releases;
}

/** The artist page: the artist and its releases, filtered by type. */
function artistActions(
  ipc: IpcClient,
  set: Set,
  get: Get,
): Pick<CatalogueState, 'openArtist' | 'setReleaseType'> {
  let artistToken = 0;
  const loadArtistReleases = async (artistId: string, type: ReleaseType | 'all', token: number) => {
    set({ artistReleases: loading });
    try {
      const releases = await fetchArtistReleases(ipc, artistId, type);
      if (token === artistToken) set({ artistReleases: { status: 'ready', data: releases } });
    } catch (err) {
      if (token === artistToken) set({ artistReleases: failed(err) });
    }
  };
  return {
    async openArtist(artistId) {
      const token = ++artistToken;
      set({ artist: loading, artistReleases: loading, artistTopTracks: loading, releaseType: 'all' });
      const releases = loadArtistReleases(artistId, 'all', token);
      const top = ipc.call('catalogue:getArtistTopTracks', { artistId, limit: 10 }).then(
        (tracks) => {
          if (token === artistToken) set({ artistTopTracks: { status: 'ready', data: tracks } });
        },
        (err: unknown) => {
          if (token === artistToken) set({ artistTopTracks: failed(err) });
        },
      );
      try {
        const artist = await ipc.call('catalogue:getArtist', { artistId });
        if (token === artistToken) set({ artist: { status: 'ready', data: artist } });
      } catch (err) {
        if (token === artistToken) set({ artist: failed(err) });
      }
      await Promise.all([releases, top]);
    },
    async setReleaseType(type) {
      const artist = get().artist;
      if (artist.status !== 'ready') return;
      const token = ++artistToken;
      set({ releaseType: type });
      await loadArtistReleases(artist.data.id, type, token);
    },
  };
}

/** The release page: the release and its tracks; pages seen this session stay viewable offline. */
function releaseActions(
  ipc: IpcClient,
  set: Set,
  get: Get,
): Pick<CatalogueState, 'openRelease' | 'markOwned' | 'tracksOfRelease' | 'resolveTrack'> {
  let releaseToken = 0;
  const releaseCache = new Map<string, { release: ReleaseView; tracks: TrackView[] }>();
  return {
    async openRelease(releaseId) {
      const token = ++releaseToken;
      set({ release: loading, releaseTracks: loading });
      const [release, tracks] = await Promise.allSettled([
        ipc.call('catalogue:getRelease', { releaseId }),
        ipc.call('catalogue:getReleaseTracks', { releaseId }),
      ]);
      if (token !== releaseToken) return;
      // Pages seen this session stay viewable when the network goes (their cached tracks play offline).
      const cached = releaseCache.get(releaseId);
      if (release.status === 'fulfilled' && tracks.status === 'fulfilled')
        releaseCache.set(releaseId, { release: release.value, tracks: tracks.value });
      set({
        release:
          release.status === 'fulfilled'
            ? { status: 'ready', data: release.value }
            : cached
              ? { status: 'ready', data: cached.release }
              : failed(release.reason),
        releaseTracks:
          tracks.status === 'fulfilled'
            ? { status: 'ready', data: tracks.value }
            : cached
              ? { status: 'ready', data: cached.tracks }
              : failed(tracks.reason),
      });
    },
    async tracksOfRelease(releaseId) {
      const cached = releaseCache.get(releaseId);
      if (cached) return cached.tracks;
      return ipc.call('catalogue:getReleaseTracks', { releaseId });
    },
    async resolveTrack(track) {
      if (track.release && !track.artist.id.startsWith('name:')) return track;
      const [full] = await ipc.call('catalogue:getTracks', { trackIds: [track.id] });
      return full ?? track;
    },
    markOwned(releaseId) {
      const release = get().release;
      if (release.status === 'ready' && release.data.id === releaseId) {
        set({ release: { status: 'ready', data: { ...release.data, owned: true } } });
      }
    },
  };
}

const catalogue = createStoreContext<CatalogueState>('catalogue');
export const CatalogueStoreContext = catalogue.context;
export const useCatalogueActions = catalogue.useActions;
export const useBrowse = (): BrowseState => catalogue.useSelector((s) => s.browse);
export const useArtist = (): Resource<ArtistView> => catalogue.useSelector((s) => s.artist);
export const useArtistReleases = (): Resource<ReleaseView[]> =>
  catalogue.useSelector((s) => s.artistReleases);
export const useArtistTopTracks = (): Resource<TrackView[]> =>
  catalogue.useSelector((s) => s.artistTopTracks);
export const useReleaseType = (): CatalogueState['releaseType'] =>
  catalogue.useSelector((s) => s.releaseType);
export const useRelease = (): Resource<ReleaseView> => catalogue.useSelector((s) => s.release);
export const useReleaseTracks = (): Resource<TrackView[]> => catalogue.useSelector((s) => s.releaseTracks);
