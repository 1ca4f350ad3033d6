// The play log's durable state, one SQLite transaction per state change:
//   PENDING → IN_FLIGHT(batchId, attempt) → ACKED (row deleted, counted as delivered)
//                 ↘ back to PENDING (retryable failure)  ↘ dead letter (rejected as invalid)
// The database must be opened with synchronous=FULL (openPlayLogDatabase does).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AppError } from '../../../shared/errors.js';
import { databaseGuard, openDatabase, type SqliteDatabase } from '../db/open-database.js';
import {
  playLogEndpoints,
  playLogMigrations,
  type PlayLogEndpoint,
  type StreamLogPayload,
} from './play-log-schema.js';

export type PlayLogRow = {
  seq: number;
  localId: string;
  endpoint: PlayLogEndpoint;
  userId: string;
  payload: StreamLogPayload;
  recordedAt: number;
  attempt: number;
  ambiguous: boolean;
  /** What was measured but is not sent (stream id, listened ms, seeks…); null for older rows. */
  audit: PlayAudit | null;
};

/** The play's own record beside the payload: kept for the audit export, never sent. */
export type PlayAudit = Record<string, string | number | boolean | null>;

export type DeadLetter = {
  localId: string;
  endpoint: PlayLogEndpoint;
  payload: StreamLogPayload;
  recordedAt: number;
  reason: string;
  serviceCode: number | null;
  status: number | null;
  attempt: number;
  deadAt: number;
  audit: PlayAudit | null;
};

export type LastError = { message: string; at: string; code?: string; status?: number; serviceCode?: number };

export type EndpointState = {
  delivered: number;
  batches: number;
  ambiguousResends: number;
  failures: number;
  nextAttemptAt: number | null;
  lastError: LastError | null;
  lastSuccessAt: number | null;
};

export type EndpointStatus = {
  pending: number;
  inFlight: number;
  deadLetters: number;
  delivered: number;
  /** Batches resent after a crash left them in flight: each may have produced duplicates. */
  ambiguousResends: number;
  consecutiveFailures: number;
  nextAttemptAt: string | null;
  oldestPendingAt: string | null;
  lastError: LastError | null;
  lastSuccessAt: string | null;
};

export type PlayLogStatus = {
  endpoints: Record<PlayLogEndpoint, EndpointStatus>;
  /** Total queue depth over all endpoints (pending + in flight). */
  queued: number;
  deadLetters: number;
  lastError: (LastError & { endpoint: PlayLogEndpoint }) | null;
};

export type PlayLogStore = ReturnType<typeof createPlayLogStore>;

export type InsertOptions = { audit?: PlayAudit; inTransaction?: () => void };

/** Opens (creating or migrating) a play-log database with the durability the log needs. */
export function openPlayLogDatabase(path: string): SqliteDatabase {
  return openDatabase(path, { migrations: playLogMigrations, synchronous: 'FULL' });
}

/**
 * The queue's status read straight from the database file, e.g. by `septet logs status` while
 * the app runs (WAL lets it read alongside the writer). A missing file is an empty queue.
 */
export function readPlayLogStatus(path: string): PlayLogStatus {
  if (!existsSync(path)) {
    const db = openDatabase(':memory:', { migrations: playLogMigrations });
    try {
      return createPlayLogStore(db).status();
    } finally {
      db.close();
    }
  }
  const db = openDatabase(path, { migrations: playLogMigrations, readonly: true });
  try {
    return createPlayLogStore(db).status();
  } finally {
    db.close();
  }
}

type RawRow = {
  seq: number;
  local_id: string;
  endpoint: PlayLogEndpoint;
  user_id: string;
  payload: string;
  recorded_at: number;
  attempt: number;
  ambiguous: number;
  audit: string | null;
};

function toRow(raw: RawRow): PlayLogRow {
  return {
    seq: raw.seq,
    localId: raw.local_id,
    endpoint: raw.endpoint,
    userId: raw.user_id,
    payload: JSON.parse(raw.payload) as StreamLogPayload,
    recordedAt: raw.recorded_at,
    attempt: raw.attempt,
    ambiguous: raw.ambiguous === 1,
    audit: parseAudit(raw.audit),
  };
}

function parseAudit(raw: unknown): PlayAudit | null {
  return typeof raw === 'string' ? (JSON.parse(raw) as PlayAudit) : null;
}

export function createPlayLogStore(db: SqliteDatabase) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < playLogMigrations.length) {
    throw new AppError({
      code: 'internal',
      message: 'the play-log database is not migrated: open it with openPlayLogDatabase()',
    });
  }
  const path = db.name;
  const guard = databaseGuard(path);

  const stmts = {
    insert: db.prepare(
      `INSERT INTO play_log (local_id, endpoint, user_id, payload, recorded_at, audit) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    getMeta: db.prepare(`SELECT value FROM play_log_meta WHERE key = ?`),
    setMeta: db.prepare(
      `INSERT INTO play_log_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    oldestPending: db.prepare(
      `SELECT seq, user_id, recorded_at FROM play_log WHERE endpoint = ? AND state = 'pending' ORDER BY seq LIMIT 1`,
    ),
    oldestPendingOfUser: db.prepare(
      `SELECT seq, user_id, recorded_at FROM play_log WHERE endpoint = ? AND state = 'pending' AND user_id = ? ORDER BY seq LIMIT 1`,
    ),
    countPending: db.prepare(`SELECT count(*) AS n FROM play_log WHERE endpoint = ? AND state = 'pending'`),
    countPendingForUser: db.prepare(
      `SELECT count(*) AS n FROM play_log WHERE endpoint = ? AND state = 'pending' AND user_id = ?`,
    ),
    selectPending: db.prepare(
      `SELECT seq FROM play_log WHERE endpoint = ? AND state = 'pending' ORDER BY seq LIMIT ?`,
    ),
    selectPendingForUser: db.prepare(
      `SELECT seq FROM play_log WHERE endpoint = ? AND state = 'pending' AND user_id = ? ORDER BY seq LIMIT ?`,
    ),
    markInFlight: db.prepare(
      `UPDATE play_log SET state = 'in_flight', batch_id = ?, attempt = attempt + 1 WHERE seq = ? AND state = 'pending'`,
    ),
    batchRows: db.prepare(`SELECT * FROM play_log WHERE batch_id = ? AND state = 'in_flight' ORDER BY seq`),
    deleteBatch: db.prepare(`DELETE FROM play_log WHERE batch_id = ? AND state = 'in_flight'`),
    keepDelivered: db.prepare(
      `INSERT OR REPLACE INTO play_log_delivered
         (local_id, endpoint, user_id, payload, audit, recorded_at, attempt, ambiguous, batch_id, delivered_at)
       SELECT local_id, endpoint, user_id, payload, audit, recorded_at, attempt, ambiguous, batch_id, ?
         FROM play_log WHERE batch_id = ? AND state = 'in_flight'`,
    ),
    releaseBatch: db.prepare(
      `UPDATE play_log SET state = 'pending', batch_id = NULL WHERE batch_id = ? AND state = 'in_flight'`,
    ),
    deleteRow: db.prepare(`DELETE FROM play_log WHERE local_id = ?`),
    insertDead: db.prepare(
      `INSERT OR REPLACE INTO play_log_dead_letter
         (local_id, endpoint, payload, recorded_at, reason, service_code, status, attempt, dead_at, audit)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    recover: db.prepare(
      `UPDATE play_log SET state = 'pending', batch_id = NULL, ambiguous = 1 WHERE state = 'in_flight'`,
    ),
    endpointState: db.prepare(`SELECT * FROM play_log_endpoint WHERE endpoint = ?`),
    delivered: db.prepare(
      `UPDATE play_log_endpoint SET delivered = delivered + ?, batches = batches + 1, failures = 0,
         next_attempt_at = NULL, last_success_at = ?, ambiguous_resends = ambiguous_resends + ? WHERE endpoint = ?`,
    ),
    failed: db.prepare(
      `UPDATE play_log_endpoint SET failures = ?, next_attempt_at = ?, last_error = ?, last_error_at = ? WHERE endpoint = ?`,
    ),
    clearBackoff: db.prepare(`UPDATE play_log_endpoint SET next_attempt_at = NULL WHERE endpoint = ?`),
    counts: db.prepare(
      `SELECT endpoint, state, count(*) AS n, min(recorded_at) AS oldest FROM play_log GROUP BY endpoint, state`,
    ),
    deadCounts: db.prepare(`SELECT endpoint, count(*) AS n FROM play_log_dead_letter GROUP BY endpoint`),
    deadList: db.prepare(`SELECT * FROM play_log_dead_letter ORDER BY dead_at DESC, local_id LIMIT ?`),
    deadGet: db.prepare(`SELECT * FROM play_log_dead_letter WHERE local_id = ?`),
    deadDelete: db.prepare(`DELETE FROM play_log_dead_letter WHERE local_id = ?`),
    pendingRows: db.prepare(`SELECT * FROM play_log WHERE endpoint = ? ORDER BY seq`),
  };

  const insertTx = db.transaction(
    (endpoint: PlayLogEndpoint, payload: StreamLogPayload, now: number, options: InsertOptions) => {
      const localId = randomUUID();
      const audit = options.audit ? JSON.stringify(options.audit) : null;
      stmts.insert.run(localId, endpoint, payload.userId, JSON.stringify(payload), now, audit);
      options.inTransaction?.();
      return localId;
    },
  );

  /** The oldest pending row (of one user when `onlyUser` is given: the others wait for theirs). */
  const oldestPending = (endpoint: PlayLogEndpoint, onlyUser: string | undefined) =>
    (onlyUser === undefined
      ? stmts.oldestPending.get(endpoint)
      : stmts.oldestPendingOfUser.get(endpoint, onlyUser)) as
      { user_id: string; recorded_at: number } | undefined;

  const claimTx = db.transaction(
    (
      endpoint: PlayLogEndpoint,
      max: number,
      sameUser: boolean,
      batchId: string,
      onlyUser: string | undefined,
    ): PlayLogRow[] => {
      const oldest = oldestPending(endpoint, onlyUser);
      if (!oldest) return [];
      const seqs = (
        sameUser || onlyUser !== undefined
          ? stmts.selectPendingForUser.all(endpoint, oldest.user_id, max)
          : stmts.selectPending.all(endpoint, max)
      ) as Array<{ seq: number }>;
      for (const { seq } of seqs) stmts.markInFlight.run(batchId, seq);
      return (stmts.batchRows.all(batchId) as RawRow[]).map(toRow);
    },
  );

  const ackTx = db.transaction((endpoint: PlayLogEndpoint, batchId: string, now: number) => {
    const rows = stmts.batchRows.all(batchId) as RawRow[];
    const ambiguous = rows.some((r) => r.ambiguous === 1) ? 1 : 0;
    stmts.keepDelivered.run(now, batchId);
    const { changes } = stmts.deleteBatch.run(batchId);
    stmts.delivered.run(changes, now, ambiguous, endpoint);
    return changes;
  });

  const deadLetterTx = db.transaction(
    (
      rows: readonly PlayLogRow[],
      reason: (row: PlayLogRow) => { reason: string; serviceCode?: number; status?: number },
      now: number,
    ) => {
      for (const row of rows) {
        const why = reason(row);
        stmts.insertDead.run(
          row.localId,
          row.endpoint,
          JSON.stringify(row.payload),
          row.recordedAt,
          why.reason,
          why.serviceCode ?? null,
          why.status ?? null,
          row.attempt,
          now,
          row.audit ? JSON.stringify(row.audit) : null,
        );
        stmts.deleteRow.run(row.localId);
      }
    },
  );

  const requeueTx = db.transaction((localId: string, now: number) => {
    const raw = stmts.deadGet.get(localId) as
      | {
          local_id: string;
          endpoint: PlayLogEndpoint;
          payload: string;
          recorded_at: number;
          audit: string | null;
        }
      | undefined;
    if (!raw) return false;
    const payload = JSON.parse(raw.payload) as StreamLogPayload;
    stmts.insert.run(
      raw.local_id,
      raw.endpoint,
      payload.userId,
      raw.payload,
      raw.recorded_at || now,
      raw.audit,
    );
    stmts.deadDelete.run(localId);
    return true;
  });

  function readEndpointState(endpoint: PlayLogEndpoint): EndpointState {
    const raw = stmts.endpointState.get(endpoint) as {
      delivered: number;
      batches: number;
      ambiguous_resends: number;
      failures: number;
      next_attempt_at: number | null;
      last_error: string | null;
      last_success_at: number | null;
    };
    return {
      delivered: raw.delivered,
      batches: raw.batches,
      ambiguousResends: raw.ambiguous_resends,
      failures: raw.failures,
      nextAttemptAt: raw.next_attempt_at,
      lastError: raw.last_error ? (JSON.parse(raw.last_error) as LastError) : null,
      lastSuccessAt: raw.last_success_at,
    };
  }

  const iso = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? null : new Date(ms).toISOString();

  return {
    path,
    /**
     * Writes one play durably (committed with synchronous=FULL before this returns), with
     * `options.inTransaction` (e.g. closing the open play it comes from) in the same transaction.
     */
    insert(
      endpoint: PlayLogEndpoint,
      payload: StreamLogPayload,
      now: number,
      options: InsertOptions = {},
    ): string {
      return guard(() => insertTx.immediate(endpoint, payload, now, options));
    },
    /** Runs `run` in one IMMEDIATE transaction of the play-log database. */
    transaction<T>(run: () => T): T {
      return guard(() => db.transaction(run).immediate());
    },
    getMeta(key: string): string | null {
      return guard(() => (stmts.getMeta.get(key) as { value: string } | undefined)?.value ?? null);
    },
    setMeta(key: string, value: string): void {
      guard(() => stmts.setMeta.run(key, value));
    },
    /**
     * Pending rows (and, for per-user endpoints or with `onlyUser`, those of the oldest row's
     * user) and the oldest age.
     */
    pendingSummary(
      endpoint: PlayLogEndpoint,
      sameUser: boolean,
      onlyUser?: string,
    ): { count: number; oldestAt: number | null } {
      return guard(() => {
        const oldest = oldestPending(endpoint, onlyUser);
        if (!oldest) return { count: 0, oldestAt: null };
        const n = (
          sameUser || onlyUser !== undefined
            ? stmts.countPendingForUser.get(endpoint, oldest.user_id)
            : stmts.countPending.get(endpoint)
        ) as { n: number };
        return { count: n.n, oldestAt: oldest.recorded_at };
      });
    },
    /** Moves up to `max` pending rows (of `onlyUser`, when given) to IN_FLIGHT under a new batch id, durably. */
    claimBatch(
      endpoint: PlayLogEndpoint,
      max: number,
      sameUser: boolean,
      onlyUser?: string,
    ): { batchId: string; rows: PlayLogRow[] } {
      const batchId = randomUUID();
      const rows = guard(() => claimTx.immediate(endpoint, max, sameUser, batchId, onlyUser));
      return { batchId, rows };
    },
    /** The service accepted the batch: its rows are done. Returns how many were acknowledged. */
    ackBatch(endpoint: PlayLogEndpoint, batchId: string, now: number): number {
      return guard(() => ackTx.immediate(endpoint, batchId, now));
    },
    /** The send failed retryably: the batch's rows go back to PENDING, keeping their attempt count. */
    releaseBatch(batchId: string): number {
      return guard(() => stmts.releaseBatch.run(batchId).changes);
    },
    deadLetter(
      rows: readonly PlayLogRow[],
      reason: (row: PlayLogRow) => { reason: string; serviceCode?: number; status?: number },
      now: number,
    ): void {
      guard(() => deadLetterTx.immediate(rows, reason, now));
    },
    /** After a crash: rows left IN_FLIGHT go back to PENDING, flagged as possibly delivered. */
    recoverInFlight(): number {
      return guard(() => stmts.recover.run().changes);
    },
    recordFailure(
      endpoint: PlayLogEndpoint,
      failures: number,
      nextAttemptAt: number | null,
      error: LastError,
    ): void {
      guard(() =>
        stmts.failed.run(failures, nextAttemptAt, JSON.stringify(error), Date.parse(error.at), endpoint),
      );
    },
    /** Lifts a backoff wait (connectivity came back); the failure count stays for the next backoff. */
    clearBackoff(endpoint: PlayLogEndpoint): void {
      guard(() => stmts.clearBackoff.run(endpoint));
    },
    endpointState(endpoint: PlayLogEndpoint): EndpointState {
      return guard(() => readEndpointState(endpoint));
    },
    rows(endpoint: PlayLogEndpoint): PlayLogRow[] {
      return guard(() => (stmts.pendingRows.all(endpoint) as RawRow[]).map(toRow));
    },
    deadLetters(limit = 100): DeadLetter[] {
      return guard(() =>
        (stmts.deadList.all(limit) as Array<Record<string, unknown>>).map((raw) => ({
          localId: raw.local_id as string,
          endpoint: raw.endpoint as PlayLogEndpoint,
          payload: JSON.parse(raw.payload as string) as StreamLogPayload,
          recordedAt: raw.recorded_at as number,
          reason: raw.reason as string,
          serviceCode: (raw.service_code as number | null) ?? null,
          status: (raw.status as number | null) ?? null,
          attempt: raw.attempt as number,
          deadAt: raw.dead_at as number,
          audit: parseAudit(raw.audit),
        })),
      );
    },
    /** Puts a dead letter back in the queue (e.g. after the partner fixed the data upstream). */
    requeueDeadLetter(localId: string, now: number): boolean {
      return guard(() => requeueTx.immediate(localId, now));
    },
    status(): PlayLogStatus {
      return guard(() => {
        const counts = stmts.counts.all() as Array<{
          endpoint: PlayLogEndpoint;
          state: 'pending' | 'in_flight';
          n: number;
          oldest: number;
        }>;
        const dead = stmts.deadCounts.all() as Array<{ endpoint: PlayLogEndpoint; n: number }>;
        const endpoints = {} as Record<PlayLogEndpoint, EndpointStatus>;
        let lastError: PlayLogStatus['lastError'] = null;
        let queued = 0;
        let deadTotal = 0;
        for (const endpoint of playLogEndpoints) {
          const state = readEndpointState(endpoint);
          const pending = counts.find((c) => c.endpoint === endpoint && c.state === 'pending');
          const inFlight = counts.find((c) => c.endpoint === endpoint && c.state === 'in_flight');
          const deadLetters = dead.find((d) => d.endpoint === endpoint)?.n ?? 0;
          const oldest = Math.min(pending?.oldest ?? Infinity, inFlight?.oldest ?? Infinity);
          endpoints[endpoint] = {
            pending: pending?.n ?? 0,
            inFlight: inFlight?.n ?? 0,
            deadLetters,
            delivered: state.delivered,
            ambiguousResends: state.ambiguousResends,
            consecutiveFailures: state.failures,
            nextAttemptAt: iso(state.nextAttemptAt),
            oldestPendingAt: Number.isFinite(oldest) ? iso(oldest) : null,
            lastError: state.lastError,
            lastSuccessAt: iso(state.lastSuccessAt),
          };
          queued += (pending?.n ?? 0) + (inFlight?.n ?? 0);
          deadTotal += deadLetters;
          if (state.lastError && (!lastError || state.lastError.at > lastError.at)) {
            lastError = { ...state.lastError, endpoint };
          }
        }
        return { endpoints, queued, deadLetters: deadTotal, lastError };
      });
    },
  };
}
