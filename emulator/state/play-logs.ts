// Play logs as received by the logging endpoints, and the test API's view of them.
import type { StoreContext } from './store-context.js';

export type LogEndpoint = 'preview' | 'catalogue' | 'subscriber';
export type ReceivedLog = {
  endpoint: LogEndpoint;
  consumerKey: string;
  userId: string | null;
  clientId: string | null;
  trackId: string;
  timestamp: string;
  body: unknown;
};
type LogRow = {
  userId: string | null;
  clientId: string | null;
  trackId: string;
  timestamp: string;
  body: string;
  receivedAt: number;
};

export function createPlayLogStore({ db, now }: StoreContext) {
  const q = {
    insertLog: db.prepare(
      'INSERT INTO play_logs (endpoint, consumer_key, user_id, client_id, track_id, timestamp, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    logs: db.prepare(
      'SELECT user_id AS userId, client_id AS clientId, track_id AS trackId, timestamp, body, received_at AS receivedAt FROM play_logs WHERE endpoint = ? ORDER BY id',
    ),
  };

  return {
    recordLogs: db.transaction((logs: ReceivedLog[]) => {
      const at = now();
      for (const log of logs) {
        q.insertLog.run(
          log.endpoint,
          log.consumerKey,
          log.userId,
          log.clientId,
          log.trackId,
          log.timestamp,
          JSON.stringify(log.body),
          at,
        );
      }
    }),
    /** Every log of an endpoint as received, plus receivedAt; duplicates by user, client, track, time. */
    receivedLogs(endpoint: LogEndpoint): { logs: Record<string, unknown>[]; duplicates: number } {
      const rows = q.logs.all(endpoint) as LogRow[];
      const keys = new Set<string>();
      let duplicates = 0;
      const logs = rows.map((row) => {
        const key = JSON.stringify([row.userId, row.clientId, row.trackId, row.timestamp]);
        if (keys.has(key)) duplicates += 1;
        keys.add(key);
        const body = JSON.parse(row.body) as unknown;
        const base =
          body !== null && typeof body === 'object' && !Array.isArray(body)
            ? (body as Record<string, unknown>)
            : { value: body };
        return { ...base, receivedAt: new Date(row.receivedAt).toISOString() };
      });
      return { logs, duplicates };
    },
  };
}
