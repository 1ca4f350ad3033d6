// home:getHome — the Home page of the signed-in listener: recently played and "continue
// listening" from their own play log (play-log.sqlite, never another account's rows), and new
// releases of the artists they play, from the catalogue.
import type {
  ContinueListeningView,
  HomeView,
  ReleaseView,
  TrackView,
} from '../../../shared/ipc/contract.js';
import { compact, toReleaseView, toTrackView } from '../../../shared/ipc/views.js';
import type { ApiClient } from '../api/client.js';
import type { PlayedItem, PlayHistory } from '../play-log/play-history.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export type HomeHandlerDeps = {
  api: Pick<ApiClient, 'getTracksBatchDetails' | 'getArtistReleases'>;
  session: Pick<SessionService, 'require'>;
  history: PlayHistory;
  country: () => string;
};

/** How many of each the page shows, and how far back it looks. */
export const homeLimits = { plays: 300, recent: 12, continue: 6, newReleases: 12, artists: 6 };

export function homeHandlers(deps: HomeHandlerDeps): HandlersOf<'home'> {
  return {
    'home:getHome': async () => {
      const { userId } = deps.session.require();
      const plays = deps.history.recent(userId, homeLimits.plays);
      const tracks = await trackViews(deps, plays);
      const recentlyPlayed = recentTracks(plays, tracks);
      const view: HomeView = {
        recentlyPlayed,
        continueListening: continueListening(plays, tracks),
        newReleases: await newReleases(deps, recentlyPlayed),
      };
      return view;
    },
  };
}

/** The catalogue's view of each distinct track played (one batch request of at most 100). */
async function trackViews(deps: HomeHandlerDeps, plays: PlayedItem[]): Promise<Map<string, TrackView>> {
  const ids = [...new Set(plays.map((p) => p.trackId))].slice(0, 100);
  if (ids.length === 0) return new Map();
  const batch = await deps.api.getTracksBatchDetails({
    body: { trackIds: ids },
    extraQuery: { country: deps.country() },
  });
  return new Map(compact(batch.tracks, toTrackView).map((t) => [t.id, t]));
}

/** Each track once, at its latest play, newest first. */
export function recentTracks(
  plays: readonly PlayedItem[],
  tracks: ReadonlyMap<string, TrackView>,
): HomeView['recentlyPlayed'] {
  const seen = new Set<string>();
  const out: HomeView['recentlyPlayed'] = [];
  for (const play of plays) {
    const track = tracks.get(play.trackId);
    if (!track || seen.has(play.trackId)) continue;
    seen.add(play.trackId);
    out.push({ ...track, playedAt: play.playedAt });
    if (out.length >= homeLimits.recent) break;
  }
  return out;
}

/**
 * Releases left part-way: for each release, its latest play; listed when that play stopped
 * before the track's end (skipped, or the listener moved on), to continue from that track.
 * A release whose latest track ended by itself was heard through (or its queue ran out).
 */
export function continueListening(
  plays: readonly PlayedItem[],
  tracks: ReadonlyMap<string, TrackView>,
): ContinueListeningView[] {
  const seen = new Set<string>();
  const out: ContinueListeningView[] = [];
  for (const play of plays) {
    const track = tracks.get(play.trackId);
    const releaseId = play.releaseId ?? track?.release?.id;
    if (!track?.release || !releaseId || seen.has(releaseId)) continue;
    seen.add(releaseId);
    const heardToTheEnd =
      play.endReason === 'naturalEnd' ||
      (track.durationSec !== undefined && play.durationPlayed >= track.durationSec - 1);
    if (heardToTheEnd) continue;
    const release: ReleaseView = { id: track.release.id, title: track.release.title, artist: track.artist };
    if (track.release.image) release.image = track.release.image;
    out.push({ release, track, playedAt: play.playedAt });
    if (out.length >= homeLimits.continue) break;
  }
  return out;
}

/** The newest releases of the artists played lately (their release lists, newest first). */
async function newReleases(deps: HomeHandlerDeps, recent: readonly TrackView[]): Promise<ReleaseView[]> {
  const artistIds = [...new Set(recent.map((t) => t.artist.id))]
    .filter((id) => id !== 'unknown')
    .slice(0, homeLimits.artists);
  const lists = await Promise.all(
    artistIds.map((artistId) =>
      deps.api.getArtistReleases({
        artistId,
        page: 1,
        pageSize: 50,
        extraQuery: { country: deps.country() },
      }),
    ),
  );
  const byId = new Map<string, ReleaseView>();
  for (const list of lists)
    for (const release of compact(list.releases, toReleaseView)) byId.set(release.id, release);
  return [...byId.values()]
    .sort((a, b) => (b.releaseDate ?? '').localeCompare(a.releaseDate ?? ''))
    .slice(0, homeLimits.newReleases);
}
