// Maps the API's shapes (every field optional in the spec) to the contract's views, which carry
// what the renderer needs with ids and titles guaranteed. Records without an id are dropped.
import type { components } from '../api/types.gen.js';
import type {
  ArtistRef,
  ArtistView,
  Page,
  PlaylistSummary,
  PlaylistTrackView,
  PlaylistView,
  ReleaseView,
  TrackView,
} from './contract.js';

type Schemas = components['schemas'];

const unknownArtist: ArtistRef = { id: 'unknown', name: 'Unknown artist' };

function artistRef(artist: Schemas['Artist'] | undefined): ArtistRef {
  if (!artist?.id) return unknownArtist;
  return { id: artist.id, name: artist.name ?? 'Unknown artist' };
}

export function toArtistView(artist: Schemas['Artist']): ArtistView | null {
  if (!artist.id) return null;
  const view: ArtistView = { id: artist.id, name: artist.name ?? 'Unknown artist' };
  if (artist.sortName) view.sortName = artist.sortName;
  if (artist.image) view.image = artist.image;
  return view;
}

export function toReleaseView(release: Schemas['Release']): ReleaseView | null {
  if (!release.id) return null;
  const view: ReleaseView = {
    id: release.id,
    title: release.title ?? 'Untitled',
    artist: artistRef(release.artist),
  };
  if (release.type) view.type = release.type;
  if (release.image) view.image = release.image;
  if (release.releaseDate) view.releaseDate = release.releaseDate;
  if (release.label) view.label = release.label;
  if (release.explicit !== undefined) view.explicit = release.explicit;
  return view;
}

export function toTrackView(track: Schemas['Track']): TrackView | null {
  if (!track.id) return null;
  const view: TrackView = { id: track.id, title: track.title ?? 'Untitled', artist: artistRef(track.artist) };
  if (track.version) view.version = track.version;
  if (track.release?.id) {
    view.release = { id: track.release.id, title: track.release.title ?? 'Untitled' };
    if (track.release.image) view.release.image = track.release.image;
  }
  if (track.trackNumber !== undefined) view.trackNumber = track.trackNumber;
  if (track.duration !== undefined) view.durationSec = track.duration;
  if (track.explicit !== undefined) view.explicit = track.explicit;
  if (track.isrc) view.isrc = track.isrc;
  return view;
}

export function compact<T, V>(items: readonly T[] | undefined, map: (item: T) => V | null): V[] {
  const out: V[] = [];
  for (const item of items ?? []) {
    const view = map(item);
    if (view !== null) out.push(view);
  }
  return out;
}

export function toPage<T>(
  list: { page?: number; pageSize?: number; totalItems?: number },
  items: T[],
  requested: { page: number; pageSize: number },
): Page<T> {
  return {
    items,
    page: list.page ?? requested.page,
    pageSize: list.pageSize ?? requested.pageSize,
    totalItems: list.totalItems ?? items.length,
  };
}

type ApiPlaylistTrack = Schemas['PlaylistTrack'] & { id?: string | number };

export function toPlaylistSummary(playlist: Schemas['Playlist']): PlaylistSummary | null {
  if (!playlist.id) return null;
  const view: PlaylistSummary = {
    id: playlist.id,
    name: playlist.name ?? 'Untitled playlist',
    visibility: playlist.visibility ?? 'private',
    trackCount: playlist.trackCount ?? playlist.tracks?.length ?? 0,
  };
  if (playlist.description) view.description = playlist.description;
  if (playlist.modifiedAt) view.modifiedAt = playlist.modifiedAt;
  return view;
}

export function toPlaylistView(playlist: Schemas['Playlist']): PlaylistView | null {
  const summary = toPlaylistSummary(playlist);
  if (!summary) return null;
  const tracks = compact(
    playlist.tracks as ApiPlaylistTrack[] | undefined,
    (track): PlaylistTrackView | null => {
      if (track.id === undefined || !track.trackId) return null;
      const view: PlaylistTrackView = {
        playlistTrackId: String(track.id),
        trackId: track.trackId,
        title: track.title,
        artist: track.artist,
        position: track.position ?? 0,
      };
      if (track.image) view.image = track.image;
      return view;
    },
  ).sort((a, b) => a.position - b.position);
  return { ...summary, tracks, trackCount: tracks.length };
}

/** A queued/catalogue track as the API's playlist input. */
export function toPlaylistTrackInput(track: TrackView): Schemas['PlaylistTrackInput'] {
  const input: Schemas['PlaylistTrackInput'] = {
    trackId: track.id,
    title: track.title,
    artist: track.artist.name,
  };
  if (track.release?.image) input.image = track.release.image;
  return input;
}
