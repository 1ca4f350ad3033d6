// One-line rows for an artist or a release in a list: artwork, name, a subtitle; the row opens
// the artist's or the release's page.
import type { ReactElement } from 'react';
import type { ArtistView, ReleaseView } from '../../shared/ipc/contract.js';
import { useUiActions } from '../stores/ui.js';
import { Artwork } from './artwork.js';
import { releaseTypeLabel, releaseYear } from './format.js';

export function ReleaseRow({ release }: { release: ReleaseView }): ReactElement {
  const ui = useUiActions();
  return (
    <button
      type="button"
      className="entity-row"
      onClick={() => ui.navigate({ name: 'release', releaseId: release.id })}
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
  const ui = useUiActions();
  return (
    <button
      type="button"
      className="entity-row"
      onClick={() => ui.navigate({ name: 'artist', artistId: artist.id })}
    >
      <Artwork src={artist.image} title={artist.name} size={48} round />
      <span className="entity-text">
        <span className="entity-title">{artist.name}</span>
        <span className="entity-sub">Artist</span>
      </span>
    </button>
  );
}
