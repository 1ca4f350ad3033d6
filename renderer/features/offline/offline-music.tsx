// The music kept on this device (issue 13): every release and playlist made available offline,
// with its cover, its state said honestly (never "ready" for what cannot play), Play, Retry and
// Remove — and a search within it that needs no network. Everything here comes from the
// encrypted offline library, so it works offline and after a restart.
import { useMemo, useState, type ReactElement } from 'react';
import type { OfflineItemView, OfflineLibraryItemView, TrackView } from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { formatBytes } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty } from '../../components/states.js';
import { TrackRow } from '../../components/track-row.js';
import { rawItemId, targetOf, useOfflineActions, useOfflineLibrary } from '../../stores/offline.js';
import { usePlayerActions } from '../../stores/player.js';
import { useUiActions } from '../../stores/ui.js';

function itemStateLabel(item: OfflineItemView): string {
  if (item.state === 'ready') return 'ready';
  if (item.state === 'failed') return `can’t play offline${item.error ? `: ${item.error.message}` : ''}`;
  return item.state === 'downloading' ? 'downloading…' : item.state;
}

/** The library entry of an offline item (its cover and tracks), once the library has it. */
function useKept(item: OfflineItemView): OfflineLibraryItemView | undefined {
  const library = useOfflineLibrary();
  return library.find((kept) => kept.itemId === item.itemId);
}

export function OfflineItems({ items }: { items: OfflineItemView[] }): ReactElement {
  if (items.length === 0) {
    return (
      <Empty title="Nothing offline yet">
        Open a release or playlist and choose “Make available offline”.
      </Empty>
    );
  }
  return (
    <ul className="offline-items" aria-label="Offline items">
      {items.map((item) => (
        <OfflineItemRow key={`${item.kind}-${item.itemId}`} item={item} />
      ))}
    </ul>
  );
}

/** A release or playlist kept offline: its cover and page, its state, Play, Retry (when failed) and Remove. */
function OfflineItemRow({ item }: { item: OfflineItemView }): ReactElement {
  const offline = useOfflineActions();
  const player = usePlayerActions();
  const ui = useUiActions();
  const kept = useKept(item);
  const image = kept?.kind === 'release' ? kept.release.image : kept?.tracks[0]?.release?.image;
  const byline = kept?.kind === 'release' ? `${kept.release.artist.name} · ` : '';
  const open = () =>
    ui.navigate(
      item.kind === 'release'
        ? { name: 'release', releaseId: rawItemId(item) }
        : { name: 'playlist', playlistId: rawItemId(item) },
    );
  return (
    <li className={`offline-item${item.state === 'failed' ? ' is-failed' : ''}`}>
      <Artwork src={image} title={item.title} size={48} />
      <div className="entity-text">
        <button type="button" className="link entity-title" onClick={open}>
          {item.title}
        </button>
        <span className="entity-sub">
          {byline}
          {item.kind} · {item.cachedCount}/{item.trackCount} tracks · {formatBytes(item.bytes)} ·{' '}
          <span className="offline-item-state">{itemStateLabel(item)}</span>
        </span>
        {item.state === 'downloading' || item.state === 'queued' ? (
          <progress
            max={item.trackCount || 1}
            value={item.cachedCount}
            aria-label={`Progress of ${item.title}`}
          />
        ) : null}
      </div>
      {kept && item.cachedCount > 0 && item.state !== 'failed' ? (
        <button
          type="button"
          className="btn btn-small"
          aria-label={`Play ${item.title}`}
          onClick={() => void player.playTracks(kept.tracks, 0, 'subscription')}
        >
          <Icon name="play" size={14} /> Play
        </button>
      ) : null}
      {item.state === 'failed' && item.error?.code !== 'vault_unavailable' ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void offline.makeAvailable(targetOf(item))}
        >
          Retry
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-small btn-ghost"
        aria-label={`Remove ${item.title} from this device`}
        onClick={() => void offline.remove(targetOf(item))}
      >
        Remove
      </button>
    </li>
  );
}

/** Every track kept offline once (a track in a release and a playlist is listed once). */
function keptTracks(library: OfflineLibraryItemView[]): TrackView[] {
  const byId = new Map<string, TrackView>();
  for (const kept of library)
    for (const track of kept.tracks) if (!byId.has(track.id)) byId.set(track.id, track);
  return [...byId.values()];
}

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Tracks whose title, artist or release contain every word of the query (accents and case ignored). */
export function searchKept(tracks: TrackView[], query: string): TrackView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return tracks.filter((t) => {
    const text = fold(`${t.title} ${t.version ?? ''} ${t.artist.name} ${t.release?.title ?? ''}`);
    return words.every((word) => text.includes(word));
  });
}

/** Search within the music kept on this device: no network needed. */
export function OfflineSearch(): ReactElement | null {
  const library = useOfflineLibrary();
  const player = usePlayerActions();
  const [query, setQuery] = useState('');
  const tracks = useMemo(() => keptTracks(library), [library]);
  const results = useMemo(() => searchKept(tracks, query), [tracks, query]);
  if (tracks.length === 0) return null;
  return (
    <div className="panel offline-search">
      <h2 id="offline-search-title">Search your offline music</h2>
      <input
        type="search"
        className="input"
        aria-label="Search offline music"
        placeholder={`${tracks.length} tracks on this device — title, artist or release`}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
      />
      {query.trim() === '' ? null : results.length === 0 ? (
        <p className="muted">Nothing kept offline matches “{query.trim()}”.</p>
      ) : (
        <div role="list" aria-label="Offline search results" className="static-list">
          {results.map((t, i) => (
            <div role="listitem" key={t.id} className="static-row">
              <TrackRow
                track={t}
                showArtwork
                onPlay={() => void player.playTracks(results, i, 'subscription')}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
