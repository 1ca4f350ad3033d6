// "Start artist radio": Interactive Radio seeds a station from playlists, so an artist station is
// a private playlist the core fills and then starts a station from.
//
// What goes in, and why. The radio rules (DMCA and GVL alike) allow at most 4 tracks by one
// artist in any 3 hours (and 3 from one release), and the service picks each next track from the
// seed at random among those the rules allow. A seed of the artist alone would play 4 tracks and
// then run dry. So the seed holds the artist's most popular tracks (up to 12, the search weighted
// by popularity) — about a third of it, so the artist comes round often while the rules let it —
// and fills the time between them with the listener's own music by other artists: what they
// played lately, then their playlists ("Liked songs" among them), at most 4 tracks per artist.
// The playlist is named "<Artist> Radio", kept private, and refilled each time the station starts.
import { AppError } from '../../../shared/errors.js';
import type { ArtistRef, TrackView } from '../../../shared/ipc/contract.js';
import { compact, toArtistView, toPlaylistTrackInput, toTrackView } from '../../../shared/ipc/views.js';
import type { ApiClient } from '../api/client.js';
import { artistTopTracks } from '../catalogue/top-tracks.js';
import type { PlayHistory } from '../play-log/play-history.js';

export const artistStationLimits = { artistTracks: 12, otherTracks: 24, perOtherArtist: 4, playlists: 3 };
export const artistStationDescription = 'Made by Septet to seed an artist radio station.';

export type ArtistStationApi = Pick<
  ApiClient,
  | 'getArtistDetails'
  | 'searchTracks'
  | 'getArtistReleases'
  | 'getReleaseTrackListing'
  | 'getTracksBatchDetails'
  | 'listPlaylists'
  | 'getPlaylist'
  | 'createPlaylist'
  | 'deletePlaylist'
>;

export type ArtistSeed = { playlistId: string; artist: ArtistRef; artistTracks: number; otherTracks: number };

export function artistStationName(artist: ArtistRef): string {
  return `${artist.name} Radio`.slice(0, 200);
}

/** Other artists' tracks, in the order given, at most `perArtist` of one artist, at most `limit`. */
export function pickOtherTracks(
  candidates: readonly TrackView[],
  artistId: string,
  limit: number,
  perArtist: number,
): TrackView[] {
  const perArtistCount = new Map<string, number>();
  const seen = new Set<string>();
  const out: TrackView[] = [];
  for (const track of candidates) {
    if (out.length >= limit) break;
    if (track.artist.id === artistId || seen.has(track.id)) continue;
    const count = perArtistCount.get(track.artist.id) ?? 0;
    if (count >= perArtist) continue;
    perArtistCount.set(track.artist.id, count + 1);
    seen.add(track.id);
    out.push(track);
  }
  return out;
}

export function createArtistStations(deps: {
  api: ArtistStationApi;
  history: PlayHistory;
  country: () => string;
}) {
  const { api } = deps;
  const inCountry = () => ({ country: deps.country() });

  /** Track views for ids, in their order (batch details, 100 at a time). */
  const tracksByIds = async (ids: string[]): Promise<TrackView[]> => {
    const byId = new Map<string, TrackView>();
    for (let i = 0; i < ids.length; i += 100) {
      const batch = await api.getTracksBatchDetails({
        body: { trackIds: ids.slice(i, i + 100) },
        extraQuery: inCountry(),
      });
      for (const track of compact(batch.tracks, toTrackView)) byId.set(track.id, track);
    }
    return ids.map((id) => byId.get(id)).filter((t): t is TrackView => t !== undefined);
  };

  /** The listener's own music: recent plays first, then the tracks of their first playlists. */
  const listenersMusic = async (userId: string): Promise<string[]> => {
    const ids = deps.history.recent(userId, 200).map((p) => p.trackId);
    const list = await api.listPlaylists({ userId, page: 1, pageSize: 50 });
    const playlists = (list.playlists ?? [])
      .filter((p) => p.id && p.description !== artistStationDescription)
      .slice(0, artistStationLimits.playlists);
    for (const summary of playlists) {
      const playlist = await api.getPlaylist({ playlistId: summary.id as string });
      for (const track of playlist.tracks ?? []) ids.push(track.trackId);
    }
    return [...new Set(ids)].slice(0, 300);
  };

  /** Deletes the earlier seeds of this artist's station, then creates the new one. */
  const replaceSeed = async (userId: string, artist: ArtistRef, tracks: TrackView[]): Promise<string> => {
    const name = artistStationName(artist);
    const list = await api.listPlaylists({ userId, page: 1, pageSize: 100 });
    for (const old of list.playlists ?? [])
      if (old.id && old.name === name && old.description === artistStationDescription)
        await api.deletePlaylist({ playlistId: old.id });
    const created = await api.createPlaylist({
      userId,
      body: {
        name,
        visibility: 'private',
        description: artistStationDescription,
        tracks: tracks.map(toPlaylistTrackInput),
      },
    });
    if (!created.id) throw new AppError({ code: 'malformed_response', message: 'The playlist has no id.' });
    return created.id;
  };

  return {
    /** Fills (or refills) the artist's seed playlist; the caller starts the station from it. */
    async seed(userId: string, artistId: string): Promise<ArtistSeed> {
      const artist = toArtistView(await api.getArtistDetails({ artistId, extraQuery: inCountry() }));
      if (!artist) throw new AppError({ code: 'malformed_response', message: 'The artist has no id.' });
      const ref = { id: artist.id, name: artist.name };
      const own = await artistTopTracks(api, ref, deps.country(), artistStationLimits.artistTracks);
      if (own.length === 0)
        throw new AppError({ code: 'not_available', message: `No tracks by ${artist.name} can be played.` });
      const others = pickOtherTracks(
        await tracksByIds(await listenersMusic(userId)),
        artist.id,
        artistStationLimits.otherTracks,
        artistStationLimits.perOtherArtist,
      );
      const playlistId = await replaceSeed(userId, ref, [...own, ...others]);
      return { playlistId, artist: ref, artistTracks: own.length, otherTracks: others.length };
    },
  };
}

export type ArtistStations = ReturnType<typeof createArtistStations>;
