// Spec-shaped JSON for catalogue entities and playlists (shared/api/openapi.yml components).
// Catalogue objects are immutable, so each server caches their JSON by id.
import type { components } from '../shared/api/types.gen.js';
import type { Catalogue, CatalogueArtist, CatalogueRelease, CatalogueTrack } from './catalogue.js';
import type { EmulatorState } from './state.js';
import type { PlaylistRow, PlaylistTrackRow } from './state/playlists.js';

export type ArtistJson = components['schemas']['Artist'];
export type ReleaseJson = components['schemas']['Release'];
export type TrackJson = components['schemas']['Track'];
export type PlaylistJson = components['schemas']['Playlist'];

export type Views = ReturnType<typeof createViews>;

export function createViews(catalogue: Catalogue, baseUrl: () => string) {
  // Long by design (over 80 lines): a createX factory whose closure holds the per-server JSON caches; each inner function is short.
  const artistCache = new Map<string, ArtistJson>();
  const releaseCache = new Map<string, ReleaseJson>();
  const trackCache = new Map<string, TrackJson>();
  const trackTextCache = new Map<string, string>();

  const artistImage = (id: string) => `${baseUrl()}/_media/artwork/artists/${id}`;
  const releaseImage = (id: string) => `${baseUrl()}/_media/artwork/${id}`;

  function artist(a: CatalogueArtist): ArtistJson {
    let json = artistCache.get(a.id);
    if (!json) {
      json = {
        id: a.id,
        name: a.name,
        url: `${baseUrl()}/store/artist/${a.slug}`,
        image: artistImage(a.id),
        sortName: a.sortName,
      };
      artistCache.set(a.id, json);
    }
    return json;
  }

  function release(r: CatalogueRelease): ReleaseJson {
    let json = releaseCache.get(r.id);
    if (!json) {
      const owner = catalogue.artists.get(r.artistId) as CatalogueArtist;
      json = {
        id: r.id,
        title: r.title,
        type: r.type,
        artist: artist(owner),
        url: `${baseUrl()}/store/artist/${owner.slug}/release/${r.id}`,
        image: releaseImage(r.id),
        releaseDate: r.releaseDate,
        label: r.label,
        upc: r.upc,
        explicit: r.explicit,
      };
      releaseCache.set(r.id, json);
    }
    return json;
  }

  function track(t: CatalogueTrack): TrackJson {
    let json = trackCache.get(t.id);
    if (!json) {
      json = {
        id: t.id,
        title: t.title,
        ...(t.version ? { version: t.version } : {}),
        artist: artist(catalogue.artists.get(t.artistId) as CatalogueArtist),
        release: release(catalogue.releases.get(t.releaseId) as CatalogueRelease),
        trackNumber: t.trackNumber,
        duration: t.durationSec,
        explicit: t.explicit,
        isrc: t.isrc,
        previewUrl: `${baseUrl()}/streaming/preview/${t.id}`,
      };
      trackCache.set(t.id, json);
    }
    return json;
  }

  function playlistTrack(row: PlaylistTrackRow) {
    return {
      id: String(row.id),
      trackId: row.trackId,
      title: row.title,
      artist: row.artist,
      ...(row.source !== null ? { source: row.source } : {}),
      ...(row.audioUrl !== null ? { audioUrl: row.audioUrl } : {}),
      ...(row.image !== null
        ? { image: row.image }
        : catalogue.tracks.has(row.trackId)
          ? { image: releaseImage((catalogue.tracks.get(row.trackId) as CatalogueTrack).releaseId) }
          : {}),
      position: row.position,
      addedAt: new Date(row.addedAt).toISOString(),
    };
  }

  function playlist(state: EmulatorState, row: PlaylistRow): PlaylistJson {
    const tracks = state.playlistTracks(row.id).map(playlistTrack);
    return {
      id: row.id,
      name: row.name,
      ...(row.description !== null ? { description: row.description } : {}),
      visibility: row.visibility,
      userId: row.userId,
      trackCount: tracks.length,
      tracks,
      createdAt: new Date(row.createdAt).toISOString(),
      modifiedAt: new Date(row.modifiedAt).toISOString(),
    };
  }

  return {
    artist,
    release,
    track,
    playlist,
    artistImage,
    releaseImage,
    trackById: (id: string) => {
      const t = catalogue.tracks.get(id);
      return t ? track(t) : null;
    },
    /** The serialised Track JSON (the hot path of getTrackDetails). */
    trackText(id: string): string | null {
      let text = trackTextCache.get(id);
      if (text === undefined) {
        const t = catalogue.tracks.get(id);
        if (!t) return null;
        text = JSON.stringify(track(t));
        trackTextCache.set(id, text);
      }
      return text;
    },
  };
}
