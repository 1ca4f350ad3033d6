// playback:* and queue:* — stream resolution (core/playback, which opens a play per stream), the
// renderer's play reports by stream id (play accounting validates them and records them in the
// durable play log), and each listener's saved queue.
import { AppError } from '../../../shared/errors.js';
import type { PlayAccounting } from '../playback/play-accounting.js';
import type { StreamResolver, StreamTarget } from '../playback/stream-resolver.js';
import type { SessionService } from '../session/session-service.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { HandlersOf } from './handler-slice.js';

export type PlaybackHandlerDeps = {
  streams: StreamResolver;
  plays: Pick<PlayAccounting, 'report' | 'event'>;
  session: Pick<SessionService, 'require'>;
  settings: Pick<SettingsStore, 'getSavedQueue' | 'saveQueue' | 'getTrackLoudness' | 'saveTrackLoudness'>;
};

/** Radio streams come only from the station (radio:nextTrack, radio:skip), never on request. */
function notRadio(target: StreamTarget): StreamTarget {
  if (target.context === 'radio')
    throw new AppError({
      code: 'forbidden',
      message: 'Radio streams come from the station (radio:nextTrack), not on request.',
    });
  return target;
}

export function playbackHandlers(deps: PlaybackHandlerDeps): HandlersOf<'playback'> {
  const { streams, plays, session, settings } = deps;
  return {
    'playback:resolveStream': (arg) => streams.resolve(notRadio(arg), true),
    'playback:prefetch': (arg) => streams.resolve(notRadio(arg), true),
    'playback:reportPlay': async (arg) => {
      const { localId } = plays.report(session.require().userId, arg);
      return { localId };
    },
    'playback:reportPlayEvent': async (arg) => {
      plays.event(session.require().userId, arg);
      return null;
    },
    'playback:reclaimStream': ({ trackId }) => streams.resolve({ trackId, context: 'subscription' }, true),
    'playback:getLoudness': async ({ trackId }) => settings.getTrackLoudness(trackId),
    'playback:saveLoudness': async ({ trackId, lufs, measuredSec }) => {
      settings.saveTrackLoudness(trackId, { lufs, measuredSec });
      return null;
    },
  };
}

export function queueHandlers(deps: Pick<PlaybackHandlerDeps, 'settings' | 'session'>): HandlersOf<'queue'> {
  return {
    'queue:getSaved': async () => deps.settings.getSavedQueue(deps.session.require().userId),
    'queue:save': async (queue) => {
      deps.settings.saveQueue(deps.session.require().userId, queue);
      return null;
    },
  };
}
