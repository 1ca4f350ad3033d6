// Search: one debounced pager per tab; only the visible tab fetches.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ArtistView, ReleaseView, TrackView } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import {
  createSearchPager,
  initialPagerState,
  type PagerState,
  type PagerTimers,
  type SearchPager,
} from './search-pager.js';
import { createStoreContext } from './store-context.js';

export type SearchTab = 'artists' | 'releases' | 'tracks';
export type SearchState = {
  query: string;
  tab: SearchTab;
  artists: PagerState<ArtistView>;
  releases: PagerState<ReleaseView>;
  tracks: PagerState<TrackView>;
  setQuery(query: string): void;
  setTab(tab: SearchTab): void;
  loadMore(tab?: SearchTab): void;
  retry(tab?: SearchTab): void;
};
export type SearchStore = StoreApi<SearchState>;

export const searchPageSize = 50;

export function createSearchStore(deps: {
  ipc: IpcClient;
  debounceMs?: number;
  timers?: PagerTimers;
}): SearchStore {
  const { ipc } = deps;
  const store = createStore<SearchState>()((set, get) => ({
    query: '',
    tab: 'tracks',
    artists: initialPagerState<ArtistView>(),
    releases: initialPagerState<ReleaseView>(),
    tracks: initialPagerState<TrackView>(),
    setQuery(query) {
      set({ query });
      pagers[get().tab].setQuery(query);
    },
    setTab(tab) {
      set({ tab });
      pagers[tab].setQuery(get().query);
    },
    loadMore(tab = get().tab) {
      pagers[tab].loadMore();
    },
    retry(tab = get().tab) {
      pagers[tab].retry();
    },
  }));
  const common = {
    pageSize: searchPageSize,
    ...(deps.debounceMs !== undefined ? { debounceMs: deps.debounceMs } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
  };
  const pagers: {
    artists: SearchPager<ArtistView>;
    releases: SearchPager<ReleaseView>;
    tracks: SearchPager<TrackView>;
  } = {
    artists: createSearchPager<ArtistView>({
      ...common,
      fetchPage: (q, page, pageSize) => ipc.call('catalogue:searchArtists', { q, page, pageSize }),
      onChange: (artists) => store.setState({ artists }),
    }),
    releases: createSearchPager<ReleaseView>({
      ...common,
      fetchPage: (q, page, pageSize) => ipc.call('catalogue:searchReleases', { q, page, pageSize }),
      onChange: (releases) => store.setState({ releases }),
    }),
    tracks: createSearchPager<TrackView>({
      ...common,
      fetchPage: (q, page, pageSize) => ipc.call('catalogue:searchTracks', { q, page, pageSize }),
      onChange: (tracks) => store.setState({ tracks }),
    }),
  };
  return store;
}

const search = createStoreContext<SearchState>('search');
export const SearchStoreContext = search.context;
export const useSearchActions = search.useActions;
export const useSearchQuery = (): string => search.useSelector((s) => s.query);
export const useSearchTab = (): SearchTab => search.useSelector((s) => s.tab);
/** The results (and paging state) of one tab. */
export const useSearchResults = <K extends SearchTab>(tab: K): SearchState[K] =>
  search.useSelector((s) => s[tab]);
