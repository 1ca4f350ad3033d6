// Puts play accounting together for the app core: the open plays in the play-log database, radio
// plays' events to the station's session, the gateway's "served" signal, and the account
// watcher — when the listener changes (sign-out, the service expiring the token, another
// account signing in) the previous listener's open plays are closed and recorded for them, and
// when a listener signs in, the plays waiting for their token are sent at once.
import type { AppEventSource } from '../../../shared/ipc/handlers.js';
import type { StreamServedEvent } from '../media-gateway/gateway-types.js';
import type { CoreLogger } from '../media-gateway/upstream.js';
import type { SqliteDatabase } from '../db/open-database.js';
import { createOpenPlays } from '../play-log/open-plays.js';
import type { PlayLogService } from '../play-log/play-log-service.js';
import type { RadioService } from '../radio/radio-service.js';
import type { SessionService } from '../session/session-service.js';
import { createPlayAccounting, type PlayAccounting } from './play-accounting.js';

export type PlayServices = {
  accounting: PlayAccounting;
  /** The media gateway served media of a stream (its onServed). */
  onServed(event: StreamServedEvent): void;
};

export function createPlayServices(deps: {
  playLogDb: SqliteDatabase;
  playLog: Pick<PlayLogService, 'recordPlay' | 'retryNow' | 'flush'>;
  session: Pick<SessionService, 'current'>;
  radio: Pick<RadioService, 'view' | 'reportEvents'>;
  events: AppEventSource;
  log: CoreLogger;
}): PlayServices {
  const { session, radio, log } = deps;
  const accounting = createPlayAccounting({
    openPlays: createOpenPlays(deps.playLogDb),
    playLog: deps.playLog,
    log,
    onRadioEvent(event) {
      if (radio.view()?.sessionId !== event.radioSessionId) return;
      try {
        radio.reportEvents([
          {
            eventType: event.eventType,
            trackId: event.trackId,
            ...(event.durationPlayed === undefined ? {} : { durationPlayed: event.durationPlayed }),
          },
        ]);
      } catch (error) {
        log.warn('radio event not queued', { eventType: event.eventType, error });
      }
    },
  });
  let listener = session.current()?.userId ?? null;
  deps.events.on('session:sessionChanged', (view) => {
    const now = view.state === 'signedIn' ? view.userId : null;
    if (listener !== null && listener !== now) accounting.closeAll(listener);
    if (now !== null && now !== listener) {
      // Their plays that waited (for this account's token) go now, partial batches too.
      deps.playLog.retryNow();
      deps.playLog.flush().catch((error: unknown) => log.warn('play log flush at sign-in failed', { error }));
    }
    listener = now;
  });
  return {
    accounting,
    onServed(event) {
      const current = session.current();
      if (current) accounting.served(current.userId, event);
    },
  };
}
