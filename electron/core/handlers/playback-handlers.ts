// playback:* and queue:* — stream resolution (core/playback), play reports into the durable play
// log, and the saved queue.
import { logKindFor } from '../../../shared/domain/play.js';
import type { PlayLogService } from '../play-log/play-log-service.js';
import type { StreamResolver } from '../playback/stream-resolver.js';
import type { SessionService } from '../session/session-service.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { HandlersOf } from './handler-slice.js';

export type PlaybackHandlerDeps = {
  streams: StreamResolver;
  playLog: Pick<PlayLogService, 'recordPlay'>;
  session: Pick<SessionService, 'require'>;
  settings: Pick<SettingsStore, 'getSavedQueue' | 'saveQueue'>;
  clientId: string;
};

export function playbackHandlers(deps: PlaybackHandlerDeps): HandlersOf<'playback'> {
  const { streams } = deps;
  return {
    'playback:resolveStream': (arg) => streams.resolve(arg, true),
    'playback:prefetch': (arg) => streams.resolve(arg, true),
    'playback:reportPlay': async (arg) => {
      const current = deps.session.require();
      const kind = arg.logKind ?? logKindFor(arg.context);
      const durationPlayed = Math.max(0, Math.round(arg.durationPlayed));
      const timestamp = arg.startedAt ?? new Date(Date.now() - durationPlayed * 1000).toISOString();
      const recorded = deps.playLog.recordPlay({
        kind,
        playMode: arg.playMode,
        trackId: arg.trackId,
        userId: current.userId,
        clientId: deps.clientId,
        durationPlayed,
        country: current.country,
        ...(arg.releaseId ? { releaseId: arg.releaseId } : {}),
        ...(arg.formatId !== undefined ? { formatId: arg.formatId } : {}),
        ...(kind !== 'preview' ? { endReason: arg.endReason } : {}),
        timestamp,
      });
      return { localId: recorded.localId };
    },
    'playback:reclaimStream': ({ trackId }) => streams.resolve({ trackId, context: 'subscription' }, true),
  };
}

export function queueHandlers(deps: Pick<PlaybackHandlerDeps, 'settings'>): HandlersOf<'queue'> {
  return {
    'queue:getSaved': async () => deps.settings.getSavedQueue(),
    'queue:save': async (queue) => {
      deps.settings.saveQueue(queue);
      return null;
    },
  };
}
