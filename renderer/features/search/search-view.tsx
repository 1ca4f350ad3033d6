import { useEffect, useRef, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import type { ArtistView, ReleaseView, TrackView } from '../../../shared/ipc/contract.js';
import { ArtistRow, ReleaseRow } from '../../components/entity-rows.js';
import { countOf } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { TrackRow } from '../../components/track-row.js';
import { VirtualList } from '../../components/virtual-list.js';
import { usePlayerActions } from '../../stores/player.js';
import {
  useSearchActions,
  useSearchQuery,
  useSearchResults,
  useSearchTab,
  type SearchTab,
} from '../../stores/search.js';
import type { PagerState } from '../../stores/search-pager.js';
import { useSearchFocusRequest, useUiActions } from '../../stores/ui.js';
import type { RowMenuOpener } from '../../components/list-reorder.js';

const tabs: { id: SearchTab; label: string }[] = [
  { id: 'artists', label: 'Artists' },
  { id: 'releases', label: 'Releases' },
  { id: 'tracks', label: 'Tracks' },
];

export function SearchView(): ReactElement {
  const tab = useSearchTab();
  return (
    <section className="view view-fill" aria-labelledby="search-title">
      <header className="view-header">
        <h1 id="search-title" className="visually-hidden">
          Search
        </h1>
        <SearchBox />
        <SearchTabs />
      </header>
      <div
        role="tabpanel"
        id={`search-panel-${tab}`}
        aria-labelledby={`search-tab-${tab}`}
        className="view-body"
      >
        {tab === 'artists' ? <ArtistResults /> : tab === 'releases' ? <ReleaseResults /> : <TrackResults />}
      </div>
    </section>
  );
}

/** The search field; Ctrl/Cmd+F (ui.focusSearch) focuses it from anywhere. */
function SearchBox(): ReactElement {
  const search = useSearchActions();
  const query = useSearchQuery();
  const focusRequest = useSearchFocusRequest();
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [focusRequest]);
  return (
    <div className="search-box">
      <Icon name="search" size={18} />
      <input
        ref={inputRef}
        type="search"
        role="searchbox"
        aria-label="Search"
        placeholder="Artists, releases, tracks"
        value={query}
        onChange={(e) => search.setQuery(e.currentTarget.value)}
      />
    </div>
  );
}

/** Artists / Releases / Tracks, with arrow-key navigation between the tabs. */
function SearchTabs(): ReactElement {
  const search = useSearchActions();
  const tab = useSearchTab();
  const onTabKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === tab);
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = tabs[(i + delta + tabs.length) % tabs.length];
    if (next) {
      search.setTab(next.id);
      document.getElementById(`search-tab-${next.id}`)?.focus();
    }
  };
  return (
    <div role="tablist" aria-label="Search results" className="tabs" onKeyDown={onTabKey}>
      {tabs.map((t) => (
        <button
          key={t.id}
          id={`search-tab-${t.id}`}
          type="button"
          role="tab"
          aria-selected={tab === t.id}
          aria-controls={`search-panel-${t.id}`}
          tabIndex={tab === t.id ? 0 : -1}
          className="tab"
          onClick={() => search.setTab(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

function TrackResults(): ReactElement {
  const player = usePlayerActions();
  const ui = useUiActions();
  const state = useSearchResults('tracks');
  return (
    <ResultList<TrackView>
      onRowContextMenu={(track, _i, at) => ui.openContextMenu({ kind: 'track', track }, at)}
      tab="tracks"
      noun="track"
      label="Tracks"
      rowHeight={60}
      state={state}
      renderRow={(track, index) => (
        <TrackRow track={track} showArtwork onPlay={() => void player.playTracks(state.items, index)} />
      )}
    />
  );
}

function ReleaseResults(): ReactElement {
  const ui = useUiActions();
  const state = useSearchResults('releases');
  return (
    <ResultList<ReleaseView>
      onRowContextMenu={(release, _i, at) => ui.openContextMenu({ kind: 'release', release }, at)}
      tab="releases"
      noun="release"
      label="Releases"
      rowHeight={68}
      state={state}
      renderRow={(release) => <ReleaseRow release={release} />}
    />
  );
}

function ArtistResults(): ReactElement {
  const ui = useUiActions();
  const state = useSearchResults('artists');
  return (
    <ResultList<ArtistView>
      onRowContextMenu={(artist, _i, at) => ui.openContextMenu({ kind: 'artist', artist }, at)}
      tab="artists"
      noun="artist"
      label="Artists"
      rowHeight={64}
      state={state}
      renderRow={(artist) => <ArtistRow artist={artist} />}
    />
  );
}

/** One tab's results: a count, then the rows, paged as the list scrolls to its end. */
function ResultList<T extends { id: string }>(props: {
  tab: SearchTab;
  /** "track": the count says "12 tracks", the empty states "Search for tracks". */
  noun: string;
  label: string;
  rowHeight: number;
  state: PagerState<T>;
  renderRow: (item: T, index: number) => ReactNode;
  onRowContextMenu: RowMenuOpener<T>;
}): ReactElement {
  const { tab, state } = props;
  const search = useSearchActions();
  if (state.items.length === 0) return <Status state={state} what={`${props.noun}s`} />;
  return (
    <>
      <p className="result-count muted">{countOf(state.totalItems, props.noun)}</p>
      <VirtualList<T>
        items={state.items}
        totalCount={state.totalItems}
        rowHeight={props.rowHeight}
        label={props.label}
        getKey={(item, i) => `${item.id}-${i}`}
        onEndReached={() => search.loadMore(tab)}
        footer={<PagerFooter state={state} onRetry={() => search.retry(tab)} />}
        renderRow={props.renderRow}
        onRowContextMenu={props.onRowContextMenu}
      />
    </>
  );
}

function Status<T>({ state, what }: { state: PagerState<T>; what: string }): ReactElement {
  const search = useSearchActions();
  if (state.query === '')
    return (
      <Empty title={`Search for ${what}`}>Type a name above. Ctrl+F (⌘F) jumps here from anywhere.</Empty>
    );
  if (state.status === 'loading' && state.items.length === 0) return <Loading label="Searching…" />;
  if (state.status === 'error' && state.items.length === 0)
    return <ErrorState message={state.error?.message ?? 'Search failed'} onRetry={() => search.retry()} />;
  if (state.status === 'ready' && state.items.length === 0)
    return <Empty title={`No ${what} match “${state.query}”`} />;
  return <Loading label="Searching…" />;
}

function PagerFooter<T>({
  state,
  onRetry,
}: {
  state: PagerState<T>;
  onRetry: () => void;
}): ReactElement | null {
  if (state.status === 'loading' && state.items.length > 0) return <Loading label="Loading more…" />;
  if (state.status === 'error' && state.items.length > 0)
    return <ErrorState message={state.error?.message ?? 'Search failed'} onRetry={onRetry} />;
  return null;
}
