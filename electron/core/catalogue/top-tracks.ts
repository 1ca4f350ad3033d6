// An artist's most popular tracks. The API has no "top tracks" operation; its track search is
// "weighted by popularity based on platform usage" and matches artist names, so the artist's
// name searched and the results filtered to that artist are its tracks most played first. The
// same song on a single and an album is listed once (the more popular). With nothing found
// (an unusual name), the tracks of the artist's first releases stand in.
import type { TrackView } from '../../../shared/ipc/contract.js';
import { compact, toTrackView } from '../../../shared/ipc/views.js';
import type { ApiClient } from '../api/client.js';

export type TopTracksApi = Pick<ApiClient, 'searchTracks' | 'getArtistReleases' | 'getReleaseTrackListing'>;

const searchPages = 3;
const pageSize = 100;

export async function artistTopTracks(
  api: TopTracksApi,
  artist: { id: string; name: string },
  country: string,
  limit: number,
): Promise<TrackView[]> {
  const found: TrackView[] = [];
  const seen = new Set<string>();
  const add = (track: TrackView): void => {
    const key = `${track.title.toLowerCase()}|${(track.version ?? '').toLowerCase()}`;
    if (track.artist.id !== artist.id || seen.has(key)) return;
    seen.add(key);
    found.push(track);
  };
  for (let page = 1; page <= searchPages && found.length < limit; page += 1) {
    const list = await api.searchTracks({ q: artist.name, page, pageSize, extraQuery: { country } });
    const tracks = compact(list.tracks, toTrackView);
    tracks.forEach(add);
    if (tracks.length < pageSize) break;
  }
  if (found.length === 0) {
    const releases = await api.getArtistReleases({
      artistId: artist.id,
      page: 1,
      pageSize: 5,
      extraQuery: { country },
    });
    for (const release of releases.releases ?? []) {
      if (!release.id || found.length >= limit) continue;
      const listing = await api.getReleaseTrackListing({ releaseId: release.id, extraQuery: { country } });
      compact(listing.tracks, toTrackView).forEach(add);
    }
  }
  return found.slice(0, limit);
}
