import { useEffect, type ReactElement } from 'react';
import type { ReleaseType } from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { releaseTypeLabel, releaseYear } from '../../components/format.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useArtist, useArtistReleases, useCatalogueActions, useReleaseType } from '../../stores/catalogue.js';
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
  const ui = useUiActions();
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
        </div>
      </header>
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
        <ul className="grid" aria-label="Releases">
          {releases.data.map((r) => (
            <li key={r.id}>
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
      )}
    </section>
  );
}
