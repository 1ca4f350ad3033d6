// radio:* — a station per start, next track and skip (with the skip budget), playback events.
import { AppError } from '../../../shared/errors.js';
import type { RadioTrackView } from '../../../shared/ipc/contract.js';
import { toTrackView } from '../../../shared/ipc/views.js';
import type { StreamResolver } from '../playback/stream-resolver.js';
import type { RadioNext, RadioService } from '../radio/radio-service.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export type RadioHandlerDeps = {
  radio: RadioService;
  streams: StreamResolver;
  session: Pick<SessionService, 'require'>;
};

export function radioHandlers({
  radio,
  streams,
  session,
}: RadioHandlerDeps): Omit<HandlersOf<'radio'>, 'radio:startArtistStation'> {
  const trackView = async (next: RadioNext): Promise<RadioTrackView> => {
    const track = toTrackView(next.track) ?? {
      id: next.trackId,
      title: 'Untitled',
      artist: { id: 'unknown', name: 'Unknown artist' },
    };
    const stream = await streams.resolve({ trackId: next.trackId, context: 'radio' }, true);
    const station = radio.view();
    return {
      track,
      stream,
      skipAllowed: next.skipAllowed && (station?.skipAllowed ?? false),
      skipsRemaining: station?.skipsRemaining ?? 0,
    };
  };

  return {
    'radio:startStation': async ({ playlistIds, ruleset }) => {
      session.require();
      const station = await radio.startStation({ playlistIds, ruleset });
      return {
        sessionId: station.sessionId,
        ruleset: station.ruleset,
        skipsRemaining: station.skipsRemaining,
      };
    },
    'radio:nextTrack': async () => trackView(await radio.nextTrack()),
    'radio:reportEvent': async ({ trackId, type, durationPlayed }) => {
      if (type === 'skip')
        throw new AppError({
          code: 'invalid_input',
          message: 'Use radio:skip to skip, so the budget is kept.',
        });
      radio.reportEvents([
        { eventType: type, trackId, ...(durationPlayed !== undefined ? { durationPlayed } : {}) },
      ]);
      return null;
    },
    'radio:skip': async ({ durationPlayed }) => trackView(await radio.skip({ durationPlayed })),
    'radio:stopStation': async () => {
      await radio.stopStation();
      return null;
    },
  };
}
