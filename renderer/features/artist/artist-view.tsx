import { useEffect, type ReactElement } from 'react';
import type {
  ArtistView as Artist,
  ReleaseType,
  ReleaseView,
  TrackView,
} from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { releaseTypeLabel, releaseYear } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { contextMenuOnRows } from '../../components/list-reorder.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { TrackRow } from '../../components/track-row.js';
import {
  useArtist,
  useArtistReleases,
  useArtistTopTracks,
  useCatalogueActions,
  useReleaseType,
} from '../../stores/catalogue.js';
import { usePlayerActions } from '../../stores/player.js';
import { useRadioActions, useRadioBusy } from '../../stores/radio.js';
import { useUiActions } from '../../stores/ui.js';

const types: { id: ReleaseType | 'all'; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'album', label: 'Albums' },
  { id: 'single', label: 'Singles' },
  { id: 'ep', label: 'EPs' },
  { id: 'compilation', label: 'Compilations' },
];

export function ArtistView({ artistId }: { artistId: string }): ReactElement {
  const catalogue = useCatalogueActions();
  const artist = useArtist();
  const releases = useArtistReleases();
  const type = useReleaseType();
  useEffect(() => {
    void catalogue.openArtist(artistId);
  }, [artistId, catalogue]);

  if (artist.status === 'error')
    return <ErrorState message={artist.message} onRetry={() => void catalogue.openArtist(artistId)} />;
  if (artist.status !== 'ready') return <Loading />;
  return (
    <section className="view" aria-labelledby="artist-title">
      <header className="hero">
        <Artwork src={artist.data.image} title={artist.data.name} size={160} round />
        <div className="hero-text">
          <p className="eyebrow">Artist</p>
          <h1 id="artist-title">{artist.data.name}</h1>
          <ArtistActions artist={artist.data} />
        </div>
      </header>
      <TopTracks />
      <h2 className="section-title">Releases</h2>
      <div className="chips" role="group" aria-label="Release type">
        {types.map((t) => (
          <button
            key={t.id}
            type="button"
            className={`chip${type === t.id ? ' is-on' : ''}`}
            aria-pressed={type === t.id}
            onClick={() => void catalogue.setReleaseType(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {releases.status === 'error' ? (
        <ErrorState message={releases.message} onRetry={() => void catalogue.setReleaseType(type)} />
      ) : releases.status !== 'ready' ? (
        <Loading />
      ) : releases.data.length === 0 ? (
        <Empty title="No releases of this type" />
      ) : (
        <ReleaseGrid releases={releases.data} />
      )}
    </section>
  );
}

/** Play the top tracks, start the artist's radio station. */
function ArtistActions({ artist }: { artist: Artist }): ReactElement {
  const player = usePlayerActions();
  const radio = useRadioActions();
  const busy = useRadioBusy();
  const top = useArtistTopTracks();
  const tracks = top.status === 'ready' ? top.data : [];
  return (
    <div className="hero-actions">
      <button
        type="button"
        className="btn btn-primary"
        disabled={tracks.length === 0}
        onClick={() => void player.playTracks(tracks)}
      >
        <Icon name="play" size={16} /> Play top tracks
      </button>
      <button
        type="button"
        className="btn"
        disabled={busy === 'starting'}
        onClick={() => void radio.startArtist({ id: artist.id, name: artist.name })}
      >
        <Icon name="radio" size={16} /> Start artist radio
      </button>
    </div>
  );
}

/** The artist's most popular tracks, with their durations. */
function TopTracks(): ReactElement | null {
  const player = usePlayerActions();
  const ui = useUiActions();
  const top = useArtistTopTracks();
  if (top.status === 'error') return null;
  if (top.status !== 'ready') return <Loading label="Top tracks…" />;
  if (top.data.length === 0) return null;
  const tracks: TrackView[] = top.data;
  const menu = contextMenuOnRows(tracks, (track, _i, at) => ui.openContextMenu({ kind: 'track', track }, at));
  return (
    <section className="home-section" aria-labelledby="top-tracks-title">
      <h2 id="top-tracks-title">Top tracks</h2>
      <div role="list" aria-label="Top tracks" className="static-list" {...menu}>
        {tracks.map((t, i) => (
          <div role="listitem" key={t.id} data-index={i} className="static-row">
            <TrackRow
              track={t}
              number={i + 1}
              showArtwork
              showArtist={false}
              onPlay={() => void player.playTracks(tracks, i)}
            />
          </div>
        ))}
      </div>
    </section>
  );
}

function ReleaseGrid({ releases }: { releases: ReleaseView[] }): ReactElement {
  const ui = useUiActions();
  const menu = contextMenuOnRows(releases, (release, _i, at) =>
    ui.openContextMenu({ kind: 'release', release }, at),
  );
  return (
    <ul className="grid" aria-label="Releases" {...menu}>
      {releases.map((r, i) => (
        <li key={r.id} data-index={i}>
          <button
            type="button"
            className="card"
            onClick={() => ui.navigate({ name: 'release', releaseId: r.id })}
          >
            <Artwork src={r.image} title={r.title} size={168} />
            <span className="card-title">{r.title}</span>
            <span className="card-sub">
              {[releaseTypeLabel(r.type), releaseYear(r.releaseDate)].filter(Boolean).join(' · ')}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
