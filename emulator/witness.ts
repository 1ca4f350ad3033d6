// The emulator as a witness: it answers like the service (nothing here changes an answer), but
// remembers when each listener's streams were opened and lists, under
// GET /_emulator/implausible, every radio event and play log that cannot be true:
//   - a radio track completed before its length had elapsed since it was served;
//   - a play log whose listened time is longer than the time since its play started (its
//     timestamp), or longer than the time since the listener last opened a stream of the track
//     before that, or a play of a track no stream of which was ever opened for the listener;
//   - a play log of one listener delivered with another listener's access token.
// The end-to-end tests assert that this list stays empty.
import type { Catalogue } from './catalogue.js';
import type { Db } from './db.js';
import type { EmulatorRequest, Handler, Router } from './http.js';
import { sendJson } from './http.js';
import type { RadioHistory } from './radio/engine.js';
import type { EmulatorState } from './state.js';
import type { LogEndpoint } from './state/play-logs.js';

/** Rounding (durations are whole seconds), clock granularity and delivery make up to this much. */
const toleranceMs = 2_000;
/**
 * A play starts once its stream was opened (its timestamp is when audio started, or when main
 * resolved the stream): the open it belongs to is the last one before it, within clock slack.
 */
const openAfterStartMs = 2_000;

export type Implausible = {
  kind: 'radio-complete' | 'log-listened' | 'log-no-stream' | 'log-foreign-token';
  detail: string;
  [field: string]: unknown;
};

export type Witness = ReturnType<typeof createWitness>;

type OpenRow = { opened_at: number };

export function createWitness(deps: {
  db: Db;
  now: () => number;
  catalogue: Catalogue;
  state: Pick<EmulatorState, 'receivedLogs'>;
}) {
  // Long by design (over 80 lines): a createX factory whose closure is the witness's statements; each inner function is short.
  const { db, catalogue } = deps;
  const q = {
    insert: db.prepare(
      'INSERT INTO witness_stream_opens (consumer_key, user_id, track_id, path, opened_at) VALUES (?, ?, ?, ?, ?)',
    ),
    lastOpenBefore: db.prepare<[string, string, number], OpenRow>(
      `SELECT opened_at FROM witness_stream_opens
        WHERE track_id = ? AND (user_id = ? OR user_id IS NULL) AND opened_at <= ?
        ORDER BY opened_at DESC LIMIT 1`,
    ),
    remove: db.prepare('DELETE FROM witness_stream_opens WHERE id = ?'),
    foreign: db.prepare(
      'INSERT INTO witness_foreign_logs (endpoint, signed_by, log_user, track_id, received_at) VALUES (?, ?, ?, ?, ?)',
    ),
    foreignLogs: db.prepare<[], { endpoint: string; signed_by: string; log_user: string; track_id: string }>(
      'SELECT * FROM witness_foreign_logs ORDER BY id',
    ),
  };
  const durationMs = (trackId: string): number | undefined => {
    const track = catalogue.tracks.get(trackId);
    return track ? track.durationSec * 1000 : undefined;
  };

  /** A radio completion before the track could have played through since it was served. */
  function radioFindings(history: RadioHistory): Implausible[] {
    const found: Implausible[] = [];
    for (const event of history.events) {
      if (event.eventType !== 'complete') continue;
      const at = Date.parse(event.receivedAt);
      const served = history.tracks
        .filter((t) => t.trackId === event.trackId && Date.parse(t.servedAt) <= at)
        .at(-1);
      const length = durationMs(event.trackId);
      if (!served || length === undefined) continue;
      const elapsed = at - Date.parse(served.servedAt);
      if (elapsed + toleranceMs < length)
        found.push({
          kind: 'radio-complete',
          detail: `track ${event.trackId} completed ${(elapsed / 1000).toFixed(1)} s after it was served; it is ${length / 1000} s long`,
          sessionId: history.sessionId,
          trackId: event.trackId,
          servedAt: served.servedAt,
          completedAt: event.receivedAt,
        });
    }
    return found;
  }

  /** A play log whose listened time cannot have fitted in the time its stream existed. */
  function logFindings(endpoint: LogEndpoint, log: Record<string, unknown>): Implausible[] {
    const trackId = typeof log.trackId === 'string' ? log.trackId : String(log.trackId);
    const listened = Number(log.durationPlayed ?? log.totalTimePlayed ?? 0) * 1000;
    const startedAt = Date.parse(String(log.timestamp ?? log.dateTimePlayed));
    const receivedAt = Date.parse(String(log.receivedAt));
    const userId = typeof log.userId === 'string' ? log.userId : '';
    const base = { endpoint, trackId, userId, timestamp: log.timestamp, durationPlayed: listened / 1000 };
    const found: Implausible[] = [];
    if (listened > receivedAt - startedAt + toleranceMs)
      found.push({
        ...base,
        kind: 'log-listened',
        detail: `listened ${listened / 1000} s, but the play started only ${((receivedAt - startedAt) / 1000).toFixed(1)} s before the log arrived`,
      });
    const open = q.lastOpenBefore.get(trackId, userId, startedAt + openAfterStartMs);
    if (!open)
      found.push({
        ...base,
        kind: 'log-no-stream',
        detail: 'no stream of this track was opened for this listener before the play started',
      });
    else if (listened > receivedAt - open.opened_at + toleranceMs)
      found.push({
        ...base,
        kind: 'log-listened',
        detail: `listened ${listened / 1000} s, longer than the ${((receivedAt - open.opened_at) / 1000).toFixed(1)} s since the stream was opened`,
      });
    return found;
  }

  /** Logs of one listener accepted on another listener's access token. */
  const watchLogging =
    (template: string, handler: Handler): Handler =>
    async (req, res) => {
      await handler(req, res);
      const signedBy = req.auth.via === 'token' ? req.auth.userId : null;
      if (signedBy === null) return;
      let logs: unknown;
      try {
        const body = JSON.parse(req.body.toString('utf8')) as { logs?: unknown; playLogItem?: unknown };
        logs = body.logs ?? body.playLogItem;
      } catch {
        return;
      }
      if (!Array.isArray(logs)) return;
      for (const log of logs as { userId?: unknown; trackId?: unknown }[]) {
        if (typeof log.userId === 'string' && log.userId !== signedBy)
          q.foreign.run(template, signedBy, log.userId, String(log.trackId), deps.now());
      }
    };

  return {
    /**
     * Wraps a router: every stream request under /streaming/ is remembered, and every log
     * accepted at /logging/ is checked against the account whose token signed it.
     */
    observe(router: Router): Router {
      return {
        ...router,
        add(method, template, handler, options) {
          if (method === 'POST' && template.startsWith('/logging/')) {
            router.add(method, template, watchLogging(template, handler), options);
            return;
          }
          const watched: Handler =
            method === 'GET' && template.startsWith('/streaming/')
              ? async (req: EmulatorRequest, res) => {
                  // Noted when the request arrives (a progressive file streams on for a while);
                  // forgotten if the service refused it.
                  const trackId = req.params.trackId ?? '';
                  const row = q.insert.run(
                    req.auth.consumerKey,
                    req.auth.userId,
                    trackId,
                    template,
                    deps.now(),
                  );
                  try {
                    await handler(req, res);
                  } catch (error) {
                    q.remove.run(row.lastInsertRowid);
                    throw error;
                  }
                }
              : handler;
          router.add(method, template, watched, options);
        },
      };
    },
    /** Everything implausible in the radio sessions and play logs received so far. */
    findings(radio: { history(sessionId: string): RadioHistory | undefined }): Implausible[] {
      const found: Implausible[] = [];
      // The radio module makes its tables when it registers (after this witness).
      const sessions = db.prepare<[], { id: string }>('SELECT id FROM radio_sessions ORDER BY created_at');
      for (const { id } of sessions.all()) {
        const history = radio.history(id);
        if (history) found.push(...radioFindings(history));
      }
      for (const endpoint of ['preview', 'catalogue', 'subscriber'] as const)
        for (const log of deps.state.receivedLogs(endpoint).logs) found.push(...logFindings(endpoint, log));
      for (const row of q.foreignLogs.all())
        found.push({
          kind: 'log-foreign-token',
          detail: `a play of ${row.log_user} was delivered with the access token of ${row.signed_by}`,
          endpoint: row.endpoint,
          trackId: row.track_id,
          userId: row.log_user,
          signedBy: row.signed_by,
        });
      return found;
    },
  };
}

/** GET /_emulator/implausible: `{ count, findings }` (test API, loopback only). */
export function registerWitnessRoutes(
  testApi: Router,
  witness: Witness,
  radio: { history(sessionId: string): RadioHistory | undefined },
): void {
  testApi.add('GET', '/_emulator/implausible', (_req, res) => {
    const findings = witness.findings(radio);
    sendJson(res, 200, { count: findings.length, findings });
  });
}
