import { useEffect, useRef, type KeyboardEvent, type ReactElement } from 'react';
import type { ArtistView, ReleaseView, TrackView } from '../../../shared/ipc/contract.js';
import { useSlice, useStores } from '../../app/stores-context.js';
import { Artwork } from '../../components/artwork.js';
import { countOf, releaseTypeLabel, releaseYear } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { TrackRow } from '../../components/track-row.js';
import { VirtualList } from '../../components/virtual-list.js';
import type { SearchTab } from '../../stores/search.js';
import type { PagerState } from '../../stores/search-pager.js';

const tabs: { id: SearchTab; label: string }[] = [
  { id: 'artists', label: 'Artists' },
  { id: 'releases', label: 'Releases' },
  { id: 'tracks', label: 'Tracks' },
];

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

export function SearchView(): ReactElement {
  const stores = useStores();
  const search = stores.search.getState();
  const query = useSlice(
    (s) => s.search,
    (s) => s.query,
  );
  const tab = useSlice(
    (s) => s.search,
    (s) => s.tab,
  );
  const focusRequest = useSlice(
    (s) => s.ui,
    (s) => s.searchFocusRequest,
  );
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [focusRequest]);

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
    <section className="view view-fill" aria-labelledby="search-title">
      <header className="view-header">
        <h1 id="search-title" className="visually-hidden">
          Search
        </h1>
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

function Status<T>({ state, what }: { state: PagerState<T>; what: string }): ReactElement {
  const stores = useStores();
  if (state.query === '')
    return (
      <Empty title={`Search for ${what}`}>Type a name above. Ctrl+F (⌘F) jumps here from anywhere.</Empty>
    );
  if (state.status === 'loading' && state.items.length === 0) return <Loading label="Searching…" />;
  if (state.status === 'error' && state.items.length === 0)
    return (
      <ErrorState
        message={state.error?.message ?? 'Search failed'}
        onRetry={() => stores.search.getState().retry()}
      />
    );
  if (state.status === 'ready' && state.items.length === 0)
    return <Empty title={`No ${what} match “${state.query}”`} />;
  return <Loading label="Searching…" />;
}

function TrackResults(): ReactElement {
  const stores = useStores();
  const state = useSlice(
    (s) => s.search,
    (s) => s.tracks,
  );
  if (state.items.length === 0) return <Status state={state} what="tracks" />;
  return (
    <>
      <p className="result-count muted">{countOf(state.totalItems, 'track')}</p>
      <VirtualList<TrackView>
        items={state.items}
        totalCount={state.totalItems}
        rowHeight={60}
        label="Tracks"
        getKey={(t, i) => `${t.id}-${i}`}
        onEndReached={() => stores.search.getState().loadMore('tracks')}
        footer={<PagerFooter state={state} onRetry={() => stores.search.getState().retry('tracks')} />}
        renderRow={(track, index) => (
          <TrackRow
            track={track}
            showArtwork
            onPlay={() => void stores.player.getState().playTracks(state.items, index)}
          />
        )}
      />
    </>
  );
}

function ReleaseResults(): ReactElement {
  const stores = useStores();
  const state = useSlice(
    (s) => s.search,
    (s) => s.releases,
  );
  if (state.items.length === 0) return <Status state={state} what="releases" />;
  return (
    <>
      <p className="result-count muted">{countOf(state.totalItems, 'release')}</p>
      <VirtualList<ReleaseView>
        items={state.items}
        totalCount={state.totalItems}
        rowHeight={68}
        label="Releases"
        getKey={(r, i) => `${r.id}-${i}`}
        onEndReached={() => stores.search.getState().loadMore('releases')}
        footer={<PagerFooter state={state} onRetry={() => stores.search.getState().retry('releases')} />}
        renderRow={(release) => <ReleaseRow release={release} />}
      />
    </>
  );
}

export function ReleaseRow({ release }: { release: ReleaseView }): ReactElement {
  const stores = useStores();
  return (
    <button
      type="button"
      className="entity-row"
      onClick={() => stores.ui.getState().navigate({ name: 'release', releaseId: release.id })}
    >
      <Artwork src={release.image} title={release.title} size={52} />
      <span className="entity-text">
        <span className="entity-title">{release.title}</span>
        <span className="entity-sub">
          {release.artist.name}
          {release.type ? ` · ${releaseTypeLabel(release.type)}` : ''}
          {release.releaseDate ? ` · ${releaseYear(release.releaseDate)}` : ''}
        </span>
      </span>
    </button>
  );
}

export function ArtistRow({ artist }: { artist: ArtistView }): ReactElement {
  const stores = useStores();
  return (
    <button
      type="button"
      className="entity-row"
      onClick={() => stores.ui.getState().navigate({ name: 'artist', artistId: artist.id })}
    >
      <Artwork src={artist.image} title={artist.name} size={48} round />
      <span className="entity-text">
        <span className="entity-title">{artist.name}</span>
        <span className="entity-sub">Artist</span>
      </span>
    </button>
  );
}

function ArtistResults(): ReactElement {
  const stores = useStores();
  const state = useSlice(
    (s) => s.search,
    (s) => s.artists,
  );
  if (state.items.length === 0) return <Status state={state} what="artists" />;
  return (
    <>
      <p className="result-count muted">{countOf(state.totalItems, 'artist')}</p>
      <VirtualList<ArtistView>
        items={state.items}
        totalCount={state.totalItems}
        rowHeight={64}
        label="Artists"
        getKey={(a, i) => `${a.id}-${i}`}
        onEndReached={() => stores.search.getState().loadMore('artists')}
        footer={<PagerFooter state={state} onRetry={() => stores.search.getState().retry('artists')} />}
        renderRow={(artist) => <ArtistRow artist={artist} />}
      />
    </>
  );
}
