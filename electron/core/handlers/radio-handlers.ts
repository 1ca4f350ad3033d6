// radio:* — a station per start, next track and skip (within the skip budget, the skipped play
// reported in the same step). The station is non-interactive as licensed: its tracks are
// resolved here only (never by playback:resolveStream), a track still playing is not replaced
// by asking for the next one again, and start, pause, resume and complete reach the station
// from the play's own reports (play-accounting.ts), never as free-standing events.
import { AppError } from '../../../shared/errors.js';
import type { RadioTrackView } from '../../../shared/ipc/contract.js';
import { toTrackView } from '../../../shared/ipc/views.js';
import type { PlayAccounting } from '../playback/play-accounting.js';
import type { StreamResolver } from '../playback/stream-resolver.js';
import type { RadioNext, RadioService } from '../radio/radio-service.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export type RadioHandlerDeps = {
  radio: RadioService;
  streams: StreamResolver;
  plays: Pick<PlayAccounting, 'check' | 'report' | 'get'>;
  session: Pick<SessionService, 'require'>;
};

export function radioHandlers({
  radio,
  streams,
  plays,
  session,
}: RadioHandlerDeps): Omit<HandlersOf<'radio'>, 'radio:startArtistStation'> {
  // Long by design (over 80 lines): a handler table, one short entry per channel, over the station's playing track.
  /** The track the station is playing, with the stream main opened for it. */
  let playing: { sessionId: string; view: RadioTrackView } | null = null;

  const skipState = (): Pick<RadioTrackView, 'skipsRemaining' | 'nextSkipAt'> => {
    const station = radio.view();
    return {
      skipsRemaining: station?.skipsRemaining ?? 0,
      ...(station?.nextSkipAt ? { nextSkipAt: new Date(station.nextSkipAt).toISOString() } : {}),
    };
  };

  const trackView = async (next: RadioNext): Promise<RadioTrackView> => {
    const station = radio.view();
    if (!station) throw new AppError({ code: 'cancelled', message: 'The station was stopped.' });
    const track = toTrackView(next.track) ?? {
      id: next.trackId,
      title: 'Untitled',
      artist: { id: 'unknown', name: 'Unknown artist' },
    };
    const stream = await streams.resolve(
      {
        trackId: next.trackId,
        ...(track.release?.id ? { releaseId: track.release.id } : {}),
        context: 'radio',
        radio: {
          sessionId: station.sessionId,
          ...(track.durationSec !== undefined ? { durationSec: track.durationSec } : {}),
        },
      },
      true,
    );
    const view = { track, stream, skipAllowed: next.skipAllowed && station.skipAllowed, ...skipState() };
    playing = { sessionId: station.sessionId, view };
    return view;
  };

  /** The station's track still playing (its play open): asking again gives the same stream, not a replay. */
  const stillPlaying = (): RadioTrackView | null => {
    const station = radio.view();
    if (!playing || !station || playing.sessionId !== station.sessionId) return null;
    if (plays.get(playing.view.stream.streamId) === null) return null;
    return { ...playing.view, skipAllowed: station.skipAllowed, ...skipState() };
  };

  return {
    'radio:startStation': async ({ playlistIds, ruleset }) => {
      session.require();
      playing = null;
      const station = await radio.startStation({ playlistIds, ruleset });
      return {
        sessionId: station.sessionId,
        ruleset: station.ruleset,
        skipsRemaining: station.skipsRemaining,
      };
    },
    'radio:nextTrack': async () => stillPlaying() ?? trackView(await radio.nextTrack()),
    'radio:skip': async ({ streamId, listened }) => {
      const { userId } = session.require();
      const station = radio.view();
      if (!station) throw new AppError({ code: 'invalid_input', message: 'No radio station is playing.' });
      const report = { streamId, listened, endReason: 'userSkipped' as const };
      const { play } = plays.check(userId, report);
      if (play.play.radioSessionId !== station.sessionId || play.play.trackId !== station.currentTrackId)
        throw new AppError({ code: 'forbidden', message: "That is not the station's current track." });
      if (!station.skipAllowed) {
        const next = station.nextSkipAt
          ? ` The next one comes back at ${new Date(station.nextSkipAt).toISOString()}.`
          : '';
        throw new AppError({ code: 'limit_reached', message: `No skips left for now.${next}` });
      }
      const next = await radio.skip({ durationPlayed: Math.round(listened) });
      plays.report(userId, report);
      return trackView(next);
    },
    'radio:stopStation': async () => {
      playing = null;
      await radio.stopStation();
      return null;
    },
  };
}
