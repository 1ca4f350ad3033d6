// Interactive Radio (docs/architecture.md §3d, notes §3): one listening session per station start,
// next-track one at a time (no look-ahead: DMCA/GVL forbid pre-announcing), playback events
// sent in batches, the skip budget enforced here as well as by the service, and the session
// deleted when the station stops or the app quits.
import type { components } from '../../../shared/api/types.gen.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import type { ApiCall, CoreLogger, GetSession } from '../media-gateway/upstream.js';

export type RadioRuleset = 'dmca' | 'gvl';
export type RadioEventType = 'start' | 'pause' | 'resume' | 'complete' | 'skip';
export type RadioTrackInfo = components['schemas']['Track'];

export type RadioEvent = {
  eventType: RadioEventType;
  /** Defaults to the current track. */
  trackId?: string;
  /** Seconds of the track played so far. */
  durationPlayed?: number;
};

export type RadioStationView = {
  sessionId: string;
  ruleset: RadioRuleset;
  playlistIds: string[];
  skipsRemaining: number;
  skipAllowed: boolean;
  /** When no skip is left: when the oldest one leaves the rolling window (epoch ms). */
  nextSkipAt: number | null;
  currentTrackId: string | null;
  pendingEvents: number;
};

export type RadioNext = {
  track: RadioTrackInfo;
  trackId: string;
  streamUrl: string | null;
  skipAllowed: boolean;
};

export type RadioServiceDeps = {
  call: ApiCall;
  getSession: GetSession;
  /** Events per request (default 10). */
  batchSize?: number;
  /** A partial batch goes after at most this long (default 30 s). */
  flushIntervalMs?: number;
  /** Rolling window of the skip budget (default 1 h, the common industry rule). */
  skipWindowMs?: number;
  now?: () => number;
  log?: CoreLogger;
  onChange?: (view: RadioStationView | null) => void;
  /** Events the service refused as invalid (dropped so they never block the rest). */
  onEventsRejected?: (error: AppError, count: number) => void;
};

type PendingEvent = {
  trackId: string;
  eventType: RadioEventType;
  timestamp: string;
  durationPlayed?: number;
};

type Station = {
  sessionId: string;
  ruleset: RadioRuleset;
  playlistIds: string[];
  budget: number;
  skipTimes: number[];
  serverSkipAllowed: boolean | null;
  currentTrackId: string | null;
  queue: PendingEvent[];
  timer: ReturnType<typeof setInterval> | undefined;
  flushing: Promise<void> | undefined;
};

type RadioSessionResponse = { sessionId?: unknown; skipsRemaining?: unknown };
type RadioTrackResponse = { track?: RadioTrackInfo; streamUrl?: unknown; skipAllowed?: unknown };

export type RadioService = ReturnType<typeof createRadioService>;

export function createRadioService(deps: RadioServiceDeps) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const now = deps.now ?? Date.now;
  const batchSize = deps.batchSize ?? 10;
  const flushIntervalMs = deps.flushIntervalMs ?? 30_000;
  const skipWindowMs = deps.skipWindowMs ?? 3600_000;
  let station: Station | null = null;

  function skipsRemaining(s: Station): number {
    const since = now() - skipWindowMs;
    s.skipTimes = s.skipTimes.filter((t) => t > since);
    return Math.max(0, s.budget - s.skipTimes.length);
  }

  function viewOf(s: Station): RadioStationView {
    const remaining = skipsRemaining(s);
    const oldest = s.skipTimes[s.skipTimes.length - s.budget];
    return {
      sessionId: s.sessionId,
      ruleset: s.ruleset,
      playlistIds: [...s.playlistIds],
      skipsRemaining: remaining,
      skipAllowed: remaining > 0 && s.currentTrackId !== null,
      nextSkipAt: remaining === 0 && oldest !== undefined ? oldest + skipWindowMs : null,
      currentTrackId: s.currentTrackId,
      pendingEvents: s.queue.length,
    };
  }

  function changed(): void {
    deps.onChange?.(station ? viewOf(station) : null);
  }

  function requireStation(): Station {
    if (!station) throw new AppError({ code: 'invalid_input', message: 'No radio station is playing.' });
    return station;
  }

  async function sendBatches(s: Station): Promise<void> {
    while (s.queue.length > 0) {
      const batch = s.queue.slice(0, batchSize);
      try {
        await deps.call('postInteractiveRadioPlaybackEvents', {
          path: { sessionId: s.sessionId },
          body: { events: batch },
        });
      } catch (error) {
        const appError = isAppError(error)
          ? error
          : new AppError({ code: 'network', message: String(error) }, { cause: error });
        const invalid = appError.code === 'invalid_input' || appError.code === 'not_found';
        if (!invalid) throw appError; // network, 429, 5xx: keep the events and try again later
        s.queue.splice(0, batch.length);
        deps.log?.error('radio events rejected by the service', { count: batch.length, code: appError.code });
        deps.onEventsRejected?.(appError, batch.length);
        throw appError;
      }
      s.queue.splice(0, batch.length);
    }
  }

  function flushStation(s: Station): Promise<void> {
    if (!s.flushing) {
      s.flushing = sendBatches(s).finally(() => {
        s.flushing = undefined;
        changed();
      });
    }
    return s.flushing;
  }

  function enqueue(s: Station, event: RadioEvent): void {
    const trackId = event.trackId ?? s.currentTrackId;
    if (!trackId)
      throw new AppError({ code: 'invalid_input', message: 'No radio track to report an event for.' });
    const pending: PendingEvent = {
      trackId,
      eventType: event.eventType,
      timestamp: new Date(now()).toISOString(),
    };
    if (event.durationPlayed !== undefined)
      pending.durationPlayed = Math.max(0, Math.round(event.durationPlayed));
    s.queue.push(pending);
  }

  async function deleteSession(s: Station): Promise<void> {
    if (s.timer) clearInterval(s.timer);
    try {
      await flushStation(s);
    } catch (error) {
      deps.log?.warn('radio events not delivered before the station stopped', {
        count: s.queue.length,
        code: isAppError(error) ? error.code : 'unknown',
      });
    }
    try {
      await deps.call('deleteInteractiveRadioSession', { path: { sessionId: s.sessionId } });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'not_found') throw error;
    }
  }

  async function fetchNext(s: Station): Promise<RadioNext> {
    await flushStation(s);
    const body = (await deps.call('getInteractiveRadioNextTrack', {
      path: { sessionId: s.sessionId },
    })) as RadioTrackResponse | undefined;
    const track = body?.track;
    if (!track || typeof track.id !== 'string') {
      throw new AppError({ code: 'malformed_response', message: 'next-track answered without a track' });
    }
    if (station !== s) throw new AppError({ code: 'cancelled', message: 'the station was stopped' });
    s.currentTrackId = track.id;
    s.serverSkipAllowed = typeof body.skipAllowed === 'boolean' ? body.skipAllowed : null;
    // The service's word wins when it has no skips left (e.g. skips counted that we did not see):
    // lower our budget to what we have used, so the rolling window still frees skips later.
    if (s.serverSkipAllowed === false)
      s.budget = Math.min(s.budget, skipsRemaining(s) === 0 ? s.budget : s.skipTimes.length);
    changed();
    return {
      track,
      trackId: track.id,
      streamUrl: typeof body.streamUrl === 'string' ? body.streamUrl : null,
      skipAllowed: viewOf(s).skipAllowed,
    };
  }

  async function stopCurrent(): Promise<void> {
    const s = station;
    if (!s) return;
    station = null;
    changed();
    await deleteSession(s);
  }

  return {
    /** Starts a station (stopping any current one): a new listening session per start. */
    async startStation(args: { playlistIds: string[]; ruleset: RadioRuleset }): Promise<RadioStationView> {
      if (args.playlistIds.length === 0) {
        throw new AppError({ code: 'invalid_input', message: 'A station needs at least one playlist.' });
      }
      const session = deps.getSession();
      if (!session) throw new AppError({ code: 'unauthorized', message: 'Sign in to listen to radio.' });
      if (station) await stopCurrent();
      const body = (await deps.call('createInteractiveRadioSession', {
        body: {
          userId: session.userId,
          playlistIds: args.playlistIds,
          ruleset: args.ruleset,
          country: session.country,
        },
      })) as RadioSessionResponse | undefined;
      if (typeof body?.sessionId !== 'string') {
        throw new AppError({
          code: 'malformed_response',
          message: 'radio session answered without a sessionId',
        });
      }
      const s: Station = {
        sessionId: body.sessionId,
        ruleset: args.ruleset,
        playlistIds: [...args.playlistIds],
        budget: typeof body.skipsRemaining === 'number' ? body.skipsRemaining : 6,
        skipTimes: [],
        serverSkipAllowed: null,
        currentTrackId: null,
        queue: [],
        timer: undefined,
        flushing: undefined,
      };
      s.timer = setInterval(() => {
        if (s.queue.length === 0) return;
        flushStation(s).catch((error: unknown) => {
          deps.log?.warn('radio events will be retried', {
            code: isAppError(error) ? error.code : 'unknown',
          });
        });
      }, flushIntervalMs);
      s.timer.unref();
      station = s;
      changed();
      return viewOf(s);
    },

    /** The next track of the station (sends pending events first: they decide what may play). */
    nextTrack(): Promise<RadioNext> {
      return fetchNext(requireStation());
    },

    /** Queues playback events; a full batch is sent at once, the rest within flushIntervalMs. */
    reportEvents(events: readonly RadioEvent[]): void {
      const s = requireStation();
      for (const event of events) {
        if (event.eventType === 'skip') {
          throw new AppError({ code: 'invalid_input', message: 'Use skip() so the skip budget is kept.' });
        }
        enqueue(s, event);
      }
      if (s.queue.length >= batchSize) {
        flushStation(s).catch((error: unknown) => {
          deps.log?.warn('radio events will be retried', {
            code: isAppError(error) ? error.code : 'unknown',
          });
        });
      }
      changed();
    },

    /** Sends every pending event now. */
    flush(): Promise<void> {
      return station ? flushStation(station) : Promise.resolve();
    },

    /** Skips the current track within the budget, then returns the next one. */
    async skip(args: { durationPlayed?: number } = {}): Promise<RadioNext> {
      const s = requireStation();
      const view = viewOf(s);
      if (!view.skipAllowed) {
        throw new AppError({
          code: 'limit_reached',
          message:
            view.currentTrackId === null
              ? 'Nothing to skip yet.'
              : 'No skips left for now: the station allows a limited number of skips per hour.',
        });
      }
      const event: RadioEvent = { eventType: 'skip' };
      if (args.durationPlayed !== undefined) event.durationPlayed = args.durationPlayed;
      enqueue(s, event);
      try {
        await flushStation(s);
      } catch (error) {
        if (isAppError(error) && error.code === 'invalid_input') {
          s.budget = s.skipTimes.length; // the service says the budget is spent
          changed();
          throw new AppError({
            code: 'limit_reached',
            message: 'No skips left for now.',
            serviceCode: error.serviceCode ?? 1002,
          });
        }
        throw error;
      }
      s.skipTimes.push(now());
      changed();
      return fetchNext(s);
    },

    /** Stops the station: sends pending events, then deletes the listening session. */
    stopStation: stopCurrent,

    /** On app quit: like stopStation but never throws (logs instead). */
    async stopAll(): Promise<void> {
      const s = station;
      if (!s) return;
      station = null;
      try {
        await deleteSession(s);
      } catch (error) {
        deps.log?.error('radio session not deleted at shutdown', {
          sessionId: s.sessionId,
          code: isAppError(error) ? error.code : 'unknown',
        });
      }
    },

    view(): RadioStationView | null {
      return station ? viewOf(station) : null;
    },
  };
}
