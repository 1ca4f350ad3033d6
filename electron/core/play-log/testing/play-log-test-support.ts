// Test helpers for the play log: a manual clock and a local logging server that records what
// it receives. Used by the tests only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlayLogClock } from '../play-log-service.js';
import type { StreamLogPayload } from '../play-log-schema.js';

export type ManualClock = PlayLogClock & {
  /** Fires the earliest pending timer (moving time to it). Returns false when none is pending. */
  runNext(): boolean;
  advance(ms: number): void;
  pending(): number;
};

export function createManualClock(start = Date.parse('2026-11-27T00:00:00Z')): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: ManualClock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    runNext() {
      let earliest: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of timers) if (!earliest || entry[1].at < earliest[1].at) earliest = entry;
      if (!earliest) return false;
      timers.delete(earliest[0]);
      now = Math.max(now, earliest[1].at);
      earliest[1].fn();
      return true;
    },
    advance(ms) {
      now += ms;
    },
    pending: () => timers.size,
  };
  return clock;
}

export type ReceivedBatch = { endpoint: string; logs: StreamLogPayload[]; query: string; at: number };
export type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

export type LoggingServer = {
  url: string;
  received: ReceivedBatch[];
  /** Accepted logs only. */
  accepted: () => StreamLogPayload[];
  setHandler(handler: (batch: ReceivedBatch) => Reply): void;
  close(): Promise<void>;
};

export async function startLoggingServer(now: () => number, port = 0): Promise<LoggingServer> {
  const received: ReceivedBatch[] = [];
  const acceptedLogs: StreamLogPayload[] = [];
  const acceptedBatches = new Set<ReceivedBatch>();
  let handler: (batch: ReceivedBatch) => Reply = () => ({ status: 202 });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/_emulator/logs') {
        // The emulator's inspection endpoint, for the soak's local mode.
        const endpoint = url.searchParams.get('endpoint');
        const logs = received
          .filter((b) => b.endpoint === endpoint && acceptedBatches.has(b))
          .flatMap((b) => b.logs.map((log) => ({ ...log, receivedAt: new Date(b.at).toISOString() })));
        const keys = logs.map(naturalKey);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ logs, duplicates: keys.length - new Set(keys).size }));
        return;
      }
      const endpoint = url.pathname.replace(/^\/logging\//, '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { logs: StreamLogPayload[] };
      const batch = { endpoint, logs: body.logs, query: url.search, at: now() };
      received.push(batch);
      const reply = handler(batch);
      if (reply.status >= 200 && reply.status < 300) {
        acceptedLogs.push(...body.logs);
        acceptedBatches.add(batch);
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    accepted: () => acceptedLogs,
    setHandler: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function naturalKey(log: StreamLogPayload): string {
  return `${log.userId}|${log.clientId}|${log.trackId}|${log.timestamp}`;
}
