// The durable play log: records every play before the call returns, then drains the rows to
// /logging/{preview,catalogue,subscriber} within the service's batch and rate limits, one
// batch in flight per endpoint, with full-jitter backoff. See play-log-store.ts for the
// per-row state machine that makes a crash lose nothing.
import { AppError } from '../../../shared/errors.js';
import type { Logger } from '../logger.js';
import {
  PlayInput,
  playLogEndpoints,
  type PlayLogEndpoint,
  type StreamLogPayload,
} from './play-log-schema.js';
import type { DeadLetter, PlayAudit, PlayLogRow, PlayLogStatus, PlayLogStore } from './play-log-store.js';
import { describeSendError, isPermanentRejection, type SendErrorInfo } from './send-errors.js';
import { mergeLimits, type PlayLogLimitsOverride } from './limits.js';
import { createSendRate } from './send-rate.js';

export {
  defaultPlayLogLimits,
  type EndpointLimits,
  type PlayLogLimits,
  type PlayLogLimitsOverride,
} from './limits.js';

export { describeSendError } from './send-errors.js';

/**
 * Sends one batch. Resolves once the service accepted every log in it; otherwise throws —
 * ideally an AppError carrying `status`, `serviceCode`, and (read when present) the server's
 * Retry-After as `retryAfterMs` (or `retryAfter`, seconds), the X-RateLimit-Reset wait of a
 * 429 as `rateLimitResetMs`, and the service's per-item errors as `itemErrors` or `errors`:
 * `[{ index, code?, message? }]`.
 */
export type PlayLogSend = (endpoint: PlayLogEndpoint, logs: StreamLogPayload[]) => Promise<unknown>;

export type PlayLogClock = {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const systemClock: PlayLogClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type SendWindowEvent = {
  phase: 'enter' | 'leave';
  endpoint: PlayLogEndpoint;
  batchId: string;
  size: number;
  logs: readonly StreamLogPayload[];
  outcome?: 'acked' | 'retry' | 'dead-letter';
};

/**
 * Whose plays may be sent to an endpoint now: any (2-legged endpoints, tools), only the
 * signed-in listener's (their token signs the request; other accounts' plays wait for theirs),
 * or none (nobody is signed in).
 */
export type PlayLogDelivery = (endpoint: PlayLogEndpoint) => 'any' | 'none' | { userId: string };

export type PlayLogServiceDeps = {
  store: PlayLogStore;
  send: PlayLogSend;
  /** Default: every play may be sent (the send signs as it sees fit). */
  delivery?: PlayLogDelivery;
  clock?: PlayLogClock;
  limits?: PlayLogLimitsOverride;
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Uniform in [0, 1); the jitter source. */
  random?: () => number;
  /**
   * Called synchronously when a batch enters the send window (rows durably IN_FLIGHT, request
   * about to go) and when it leaves it (outcome durably recorded). Duplicates can only come
   * from a crash between the two.
   */
  onSendWindow?: (event: SendWindowEvent) => void;
};

export type RecordedPlay = { localId: string; endpoint: PlayLogEndpoint; timestamp: string };

export type PlayLogService = ReturnType<typeof createPlayLogService>;

type Runtime = {
  busy: Promise<void> | null;
  timer: unknown;
  timerAt: number | null;
  /** After a batch-level rejection without per-item errors: send smaller batches to isolate the bad row. */
  splitTo: number | null;
};

/** One failed batch, as the failure handlers see it. */
type Failure = {
  endpoint: PlayLogEndpoint;
  batchId: string;
  rows: PlayLogRow[];
  info: SendErrorInfo;
  now: number;
  state: ReturnType<PlayLogStore['endpointState']>;
  lastError: { message: string; at: string; code?: string; status?: number; serviceCode?: number };
};

export function createPlayLogService(deps: PlayLogServiceDeps) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const { store, send, onSendWindow } = deps;
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const logger = deps.logger;
  const limits = mergeLimits(deps.limits);
  const rate = createSendRate(store, limits);
  const runtime = Object.fromEntries(
    playLogEndpoints.map((e) => [
      e,
      { busy: null, timer: null, timerAt: null, splitTo: null } satisfies Runtime,
    ]),
  ) as Record<PlayLogEndpoint, Runtime>;
  const listeners = new Set<(status: PlayLogStatus) => void>();
  let started = false;
  let closing = false;
  let closed = false;
  let lastTimestampMs = 0;

  const notify = () => {
    if (listeners.size === 0) return;
    const status = store.status();
    for (const listener of listeners) listener(status);
  };

  /** The user whose rows may go now (undefined: anyone's), or null when none may. */
  function deliverableUser(endpoint: PlayLogEndpoint): string | undefined | null {
    const who = deps.delivery?.(endpoint) ?? 'any';
    if (who === 'any') return undefined;
    return who === 'none' ? null : who.userId;
  }

  function recordPlay(
    input: unknown,
    options: { audit?: PlayAudit; inTransaction?: () => void } = {},
  ): RecordedPlay {
    const parsed = PlayInput.safeParse(input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'play'}: ${i.message}`).join('; ');
      throw new AppError({ code: 'invalid_input', message: `Invalid play: ${detail}` });
    }
    const play = parsed.data;
    let timestamp = play.timestamp ? new Date(play.timestamp).toISOString() : undefined;
    if (!timestamp) {
      // Strictly increasing, so two plays in one millisecond keep distinct natural keys.
      lastTimestampMs = Math.max(clock.now(), lastTimestampMs + 1);
      timestamp = new Date(lastTimestampMs).toISOString();
    }
    const payload: StreamLogPayload = {
      trackId: play.trackId,
      userId: play.userId,
      clientId: play.clientId,
      timestamp,
      durationPlayed: play.durationPlayed,
      country: play.country,
      playMode: play.playMode,
      ...(play.releaseId === undefined ? {} : { releaseId: play.releaseId }),
      ...(play.formatId === undefined ? {} : { formatId: String(play.formatId) }),
      ...(play.endReason === undefined ? {} : { endReason: play.endReason }),
    };
    const localId = store.insert(play.kind, payload, clock.now(), options);
    if (started) pump(play.kind);
    notify();
    return { localId, endpoint: play.kind, timestamp };
  }

  /** When the endpoint may send next, or null if there is nothing to send. */
  function nextSendAt(endpoint: PlayLogEndpoint, force: boolean): number | null {
    const l = limits[endpoint];
    const onlyUser = deliverableUser(endpoint);
    if (onlyUser === null) return null;
    const summary = store.pendingSummary(endpoint, l.perUser, onlyUser);
    if (summary.count === 0 || summary.oldestAt === null) return null;
    const now = clock.now();
    let at = now;
    const state = store.endpointState(endpoint);
    if (state.nextAttemptAt !== null) at = Math.max(at, state.nextAttemptAt);
    if (!force && summary.count < l.minBatch) at = Math.max(at, summary.oldestAt + l.maxWaitMs);
    return Math.max(at, rate.earliest(endpoint, now));
  }

  function pump(endpoint: PlayLogEndpoint): void {
    const rt = runtime[endpoint];
    if (closing || closed || rt.busy) return;
    let at: number | null;
    try {
      at = nextSendAt(endpoint, false);
    } catch (error) {
      logger?.error('play log: cannot read the queue', { endpoint, error });
      return;
    }
    if (at === null) return;
    if (at <= clock.now()) {
      void runBatch(endpoint);
      return;
    }
    if (rt.timerAt !== null && rt.timerAt <= at) return;
    if (rt.timer !== null) clock.clearTimeout(rt.timer);
    rt.timerAt = at;
    rt.timer = clock.setTimeout(() => {
      rt.timer = null;
      rt.timerAt = null;
      pump(endpoint);
    }, at - clock.now());
  }

  function runBatch(endpoint: PlayLogEndpoint): Promise<void> {
    const rt = runtime[endpoint];
    const work = sendOneBatch(endpoint)
      .catch((error: unknown) => {
        logger?.error('play log: flusher failed', { endpoint, error });
      })
      .finally(() => {
        rt.busy = null;
        pump(endpoint);
      });
    rt.busy = work;
    return work;
  }

  async function sendOneBatch(endpoint: PlayLogEndpoint): Promise<void> {
    const l = limits[endpoint];
    const rt = runtime[endpoint];
    const onlyUser = deliverableUser(endpoint);
    if (onlyUser === null) return;
    const { batchId, rows } = store.claimBatch(endpoint, rt.splitTo ?? l.maxBatch, l.perUser, onlyUser);
    if (rows.length === 0) return;
    const startedAt = clock.now();
    rate.noteSend(endpoint, startedAt);
    if (rows.some((r) => r.ambiguous)) {
      logger?.warn(
        'play log: resending logs whose earlier send may have been accepted (process died mid-send)',
        {
          endpoint,
          batchId,
          localIds: rows.filter((r) => r.ambiguous).map((r) => r.localId),
        },
      );
    }
    const logs = rows.map((r) => r.payload);
    onSendWindow?.({ phase: 'enter', endpoint, batchId, size: rows.length, logs });
    let outcome: SendWindowEvent['outcome'];
    let failure: { error: unknown } | null = null;
    try {
      await send(endpoint, logs);
    } catch (error) {
      failure = { error };
    }
    const finishedAt = clock.now();
    if (failure === null) {
      // Between the service accepting the batch and this commit is the only place a crash
      // can cause a duplicate: nothing else happens in between. If the commit itself fails,
      // the rows stay IN_FLIGHT and are resent (flagged ambiguous) after a restart.
      store.ackBatch(endpoint, batchId, finishedAt);
      rt.splitTo = null;
      outcome = 'acked';
      logger?.debug('play log: batch delivered', { endpoint, batchId, size: rows.length });
    } else {
      outcome = handleFailure(endpoint, batchId, rows, failure.error);
    }
    onSendWindow?.({ phase: 'leave', endpoint, batchId, size: rows.length, logs, outcome });
    rate.noteSendFinished(endpoint, startedAt, finishedAt);
    notify();
  }

  /**
   * A failed batch: the items the service named go to the dead letters, a batch rejected whole
   * is split (or its last row set aside), anything else waits and is retried with backoff.
   */
  function handleFailure(
    endpoint: PlayLogEndpoint,
    batchId: string,
    rows: PlayLogRow[],
    error: unknown,
  ): 'retry' | 'dead-letter' {
    const info = describeSendError(error);
    const now = clock.now();
    const failure: Failure = {
      endpoint,
      batchId,
      rows,
      info,
      now,
      state: store.endpointState(endpoint),
      lastError: {
        message: info.message,
        at: new Date(now).toISOString(),
        ...(info.code === undefined ? {} : { code: info.code }),
        ...(info.status === undefined ? {} : { status: info.status }),
        ...(info.serviceCode === undefined ? {} : { serviceCode: info.serviceCode }),
      },
    };
    const badIndexes = new Map<number, { code?: number; message?: string }>();
    for (const item of info.itemErrors ?? []) {
      if (Number.isInteger(item.index) && item.index >= 0 && item.index < rows.length)
        badIndexes.set(item.index, item);
    }
    if (badIndexes.size > 0) return setAsideNamedItems(failure, badIndexes);
    if (isPermanentRejection(info)) return isolateRejectedRow(failure);
    return retryLater(failure);
  }

  /** The service rejected the batch atomically and named the invalid logs: set those aside, send the rest now. */
  function setAsideNamedItems(
    { endpoint, batchId, rows, info, now, state, lastError }: Failure,
    badIndexes: Map<number, { code?: number; message?: string }>,
  ): 'dead-letter' {
    const bad = rows.filter((_, index) => badIndexes.has(index));
    store.deadLetter(
      bad,
      (row) => {
        const item = badIndexes.get(rows.indexOf(row));
        return {
          reason: item?.message ?? info.message,
          ...(item?.code === undefined ? {} : { serviceCode: item.code }),
          ...(info.status === undefined ? {} : { status: info.status }),
        };
      },
      now,
    );
    store.releaseBatch(batchId);
    store.recordFailure(endpoint, state.failures, state.nextAttemptAt, lastError);
    logger?.warn('play log: logs rejected by the service moved to the dead-letter table', {
      endpoint,
      batchId,
      localIds: bad.map((r) => r.localId),
      reason: info.message,
    });
    return 'dead-letter';
  }

  /** Rejected as a whole without saying which log is at fault: halve until it is isolated. */
  function isolateRejectedRow({
    endpoint,
    batchId,
    rows,
    info,
    now,
    state,
    lastError,
  }: Failure): 'retry' | 'dead-letter' {
    const rt = runtime[endpoint];
    if (rows.length === 1) {
      store.deadLetter(
        rows,
        () => ({
          reason: info.message,
          ...(info.serviceCode === undefined ? {} : { serviceCode: info.serviceCode }),
          ...(info.status === undefined ? {} : { status: info.status }),
        }),
        now,
      );
      store.recordFailure(endpoint, state.failures, state.nextAttemptAt, lastError);
      rt.splitTo = null;
      logger?.warn('play log: log rejected by the service moved to the dead-letter table', {
        endpoint,
        localId: rows[0]!.localId,
        reason: info.message,
      });
      return 'dead-letter';
    }
    store.releaseBatch(batchId);
    rt.splitTo = Math.ceil(rows.length / 2);
    store.recordFailure(endpoint, state.failures, state.nextAttemptAt, lastError);
    logger?.warn('play log: batch rejected without item errors; splitting it', {
      endpoint,
      batchId,
      size: rows.length,
    });
    return 'retry';
  }

  /** Offline, throttled, signed out, server trouble: the rows wait; nothing expires. */
  function retryLater({ endpoint, batchId, rows, info, now, state, lastError }: Failure): 'retry' {
    store.releaseBatch(batchId);
    const failures = state.failures + 1;
    const ceiling = Math.min(limits.backoff.capMs, limits.backoff.baseMs * 2 ** Math.min(failures - 1, 30));
    let delay = Math.floor(random() * ceiling);
    if (info.retryAfterMs !== undefined) delay = Math.max(delay, info.retryAfterMs);
    // X-RateLimit-Reset tells when the daily window rolls over: worth waiting for only up to
    // the backoff cap (a retry every few minutes costs nothing if the quota is still spent).
    if (info.rateLimitResetMs !== undefined)
      delay = Math.max(delay, Math.min(info.rateLimitResetMs, limits.backoff.capMs));
    store.recordFailure(endpoint, failures, now + delay, lastError);
    logger?.warn('play log: send failed, will retry', {
      endpoint,
      batchId,
      size: rows.length,
      failures,
      retryInMs: delay,
      error: lastError,
    });
    return 'retry';
  }

  async function flush(options: { force?: boolean } = {}): Promise<void> {
    const force = options.force ?? true;
    await Promise.all(
      playLogEndpoints.map(async (endpoint) => {
        const rt = runtime[endpoint];
        for (;;) {
          if (rt.busy) {
            await rt.busy;
            continue;
          }
          const at = nextSendAt(endpoint, force);
          if (at === null || at > clock.now()) return;
          await runBatch(endpoint);
        }
      }),
    );
  }

  return {
    /**
     * Validates and durably records a play; the row is committed (synchronous=FULL) when this
     * returns, together with `options.inTransaction` (e.g. closing the open play it comes from).
     */
    recordPlay,
    /** Recovers rows a crashed process left in flight, then starts draining. */
    start(): void {
      if (started) return;
      started = true;
      const recovered = store.recoverInFlight();
      if (recovered > 0) {
        logger?.warn('play log: found logs in flight from a previous run; they will be resent', {
          count: recovered,
        });
      }
      for (const endpoint of playLogEndpoints) pump(endpoint);
    },
    /**
     * Sends everything that may go now (force: also partial batches — what shutdown does).
     * Endpoints waiting out a backoff or a rate limit are left for later.
     */
    flush,
    /** Stops the timers, waits for batches in flight, then (by default) flushes partial batches. */
    async close(options: { flush?: boolean } = {}): Promise<void> {
      closing = true;
      for (const rt of Object.values(runtime)) {
        if (rt.timer !== null) clock.clearTimeout(rt.timer);
        rt.timer = null;
        rt.timerAt = null;
      }
      if (options.flush ?? true) await flush({ force: true });
      closed = true;
      await Promise.all(Object.values(runtime).map((rt) => rt.busy));
    },
    /** Connectivity is back (e.g. the OS reports online): try now instead of waiting out the backoff. */
    retryNow(): void {
      for (const endpoint of playLogEndpoints) {
        store.clearBackoff(endpoint);
        const rt = runtime[endpoint];
        if (rt.timer !== null) clock.clearTimeout(rt.timer);
        rt.timer = null;
        rt.timerAt = null;
        if (started) pump(endpoint);
      }
    },
    status(): PlayLogStatus {
      return store.status();
    },
    deadLetters(limit?: number): DeadLetter[] {
      return store.deadLetters(limit);
    },
    requeueDeadLetter(localId: string): boolean {
      const requeued = store.requeueDeadLetter(localId, clock.now());
      if (requeued && started) for (const endpoint of playLogEndpoints) pump(endpoint);
      return requeued;
    },
    /** Called after every change of queue state (for the UI's logs:statusChanged event). */
    subscribe(listener: (status: PlayLogStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
/** Rejections that resending cannot fix: the service judged the content invalid. */
