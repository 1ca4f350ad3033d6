// The flusher against a local logging server over real HTTP, with real SQLite files. Time is a
// manual clock so the 60-second partial batches, rate limits and Retry-After waits are checked
// exactly, without sleeping. (The same paths against the real emulator: play-log-emulator.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoConsumer } from '../../../shared/demo.js';
import { AppError } from '../../../shared/errors.js';
import { createLocalSigner } from '../api/oauth.js';
import type { SqliteDatabase } from '../db/open-database.js';
import { createHttpPlayLogSend } from './testing/http-send.js';
import type { PlayInput } from './play-log-schema.js';
import { createPlayLogService, type PlayLogLimitsOverride, type PlayLogService } from './play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase, readPlayLogStatus } from './play-log-store.js';
import {
  createManualClock,
  naturalKey,
  startLoggingServer,
  type LoggingServer,
  type ManualClock,
} from './testing/play-log-test-support.js';

let dir: string;
let server: LoggingServer;
let clock: ManualClock;
const open: Array<{ db: SqliteDatabase; service: PlayLogService }> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'septet-playlog-'));
  clock = createManualClock();
  server = await startLoggingServer(() => clock.now());
});
afterEach(async () => {
  for (const { db, service } of open.splice(0)) {
    await service.close({ flush: false });
    db.close();
  }
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeService(options: { limits?: PlayLogLimitsOverride; url?: string; path?: string } = {}) {
  const db = openPlayLogDatabase(options.path ?? join(dir, 'play-log.db'));
  const store = createPlayLogStore(db);
  const send = createHttpPlayLogSend({
    baseUrl: options.url ?? server.url,
    signer: createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret }),
    timeoutMs: 5_000,
  });
  const service = createPlayLogService({
    store,
    send,
    clock,
    random: () => 0.5,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  open.push({ db, service });
  return { db, store, service };
}

async function closeService(entry: { db: SqliteDatabase; service: PlayLogService }, flush = false) {
  await entry.service.close({ flush });
  entry.db.close();
  open.splice(open.indexOf(entry), 1);
}

let trackCounter = 0;
function play(overrides: Partial<PlayInput> = {}): PlayInput {
  trackCounter += 1;
  return {
    kind: 'subscriber',
    playMode: 'online',
    trackId: String(100_000 + trackCounter),
    userId: 'demo-listener',
    clientId: 'septet-test-client',
    durationPlayed: 181,
    country: 'GB',
    ...overrides,
  };
}

/** Lets the flusher run: sends what is due now, then jumps the clock to the next timer. */
async function drain(service: PlayLogService, until: () => boolean, maxSteps = 2_000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await service.flush({ force: false });
    if (until()) return;
    if (!clock.runNext()) return;
  }
}

describe('recording plays', () => {
  it('rejects invalid input with invalid_input and writes nothing', () => {
    const { service } = makeService();
    const bad: unknown[] = [
      { ...play(), kind: 'radio' },
      { ...play(), playMode: 'streamed' },
      { ...play(), durationPlayed: -1 },
      { ...play(), durationPlayed: 1.5 },
      { ...play(), country: 'gb' },
      { ...play(), trackId: '' },
      { ...play(), endReason: 'bored' },
      { ...play(), timestamp: 'yesterday' },
      { ...play(), extra: 'field' },
      null,
    ];
    for (const input of bad) {
      expect(() => service.recordPlay(input)).toThrow(AppError);
      try {
        service.recordPlay(input);
      } catch (error) {
        expect((error as AppError).code).toBe('invalid_input');
      }
    }
    expect(service.status().queued).toBe(0);
  });

  it('keeps recorded plays, with their timestamps, across a reopen', async () => {
    const first = makeService();
    const a = first.service.recordPlay(play({ kind: 'preview', releaseId: '555', formatId: 17 }));
    const b = first.service.recordPlay(
      play({ kind: 'catalogue', endReason: 'userSkipped', playMode: 'online-cached' }),
    );
    const c = first.service.recordPlay(play({ playMode: 'offline', timestamp: '2026-11-20T10:00:00+01:00' }));
    expect(c.timestamp).toBe('2026-11-20T09:00:00.000Z');
    await closeService(open[0]!);

    const second = makeService();
    const rows = [
      ...second.store.rows('preview'),
      ...second.store.rows('catalogue'),
      ...second.store.rows('subscriber'),
    ];
    expect(rows.map((r) => r.localId).sort()).toEqual([a.localId, b.localId, c.localId].sort());
    expect(rows.find((r) => r.localId === a.localId)?.payload).toMatchObject({
      timestamp: a.timestamp,
      releaseId: '555',
      formatId: '17',
      playMode: 'online',
    });
    expect(rows.find((r) => r.localId === b.localId)?.payload).toMatchObject({ endReason: 'userSkipped' });
    expect(second.service.status().endpoints.subscriber.pending).toBe(1);
  });

  it('shows the queue to another reader of the file (septet logs status) while the app runs', () => {
    const { service } = makeService();
    service.recordPlay(play());
    service.recordPlay(play({ kind: 'preview' }));
    const status = readPlayLogStatus(join(dir, 'play-log.db'));
    expect(status.queued).toBe(2);
    expect(status.endpoints.subscriber.pending).toBe(1);
    expect(status.endpoints.preview.pending).toBe(1);
    expect(readPlayLogStatus(join(dir, 'missing.db')).queued).toBe(0);
  });

  it('reports a full disk as disk_full and keeps what was already recorded', () => {
    const { db, service } = makeService();
    const kept = service.recordPlay(play());
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let caught: unknown;
    try {
      for (let i = 0; i < 500; i++) service.recordPlay(play({ trackId: `${i}`.padEnd(60, '7') }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('disk_full');
    expect(service.status().endpoints.subscriber.pending).toBeGreaterThanOrEqual(1);
    expect(createPlayLogStore(db).rows('subscriber')[0]!.localId).toBe(kept.localId);
  });

  it('gives plays in the same millisecond distinct, increasing timestamps', () => {
    const { service } = makeService();
    const one = service.recordPlay(play({ trackId: '42' }));
    const two = service.recordPlay(play({ trackId: '42' }));
    expect(two.timestamp > one.timestamp).toBe(true);
  });
});

describe('flushing', () => {
  it('sends subscriber logs in batches of 10–20, and a partial batch only after 60 s', async () => {
    const { service } = makeService();
    service.start();
    for (let i = 0; i < 25; i++) service.recordPlay(play());
    await service.flush({ force: false });
    // A batch goes as soon as 10 are waiting (the 10th record triggers it), at most 20 at a time.
    expect(server.received.map((r) => r.logs.length)).toEqual([10, 15]);
    const t0 = clock.now();
    for (let i = 0; i < 4; i++) service.recordPlay(play());
    await drain(service, () => service.status().queued === 0);
    expect(server.received.map((r) => r.logs.length)).toEqual([10, 15, 4]);
    expect(server.received[2]!.at).toBe(t0 + 60_000);
    expect(server.received.every((r) => r.endpoint === 'subscriber')).toBe(true);
    // 3-legged endpoint signed for the user (2-legged with userId, the demo key's user-management right).
    expect(server.received[0]!.query).toBe('?userId=demo-listener');
    expect(service.status().endpoints.subscriber.delivered).toBe(29);
  });

  it('does not send fewer than 10 subscriber logs before 60 s, but sends them at shutdown', async () => {
    const { service } = makeService();
    service.start();
    for (let i = 0; i < 4; i++) service.recordPlay(play());
    await service.flush({ force: false });
    expect(server.received).toHaveLength(0);
    clock.advance(30_000);
    await service.flush({ force: false });
    expect(server.received).toHaveLength(0);
    await service.close();
    expect(server.received.map((r) => r.logs.length)).toEqual([4]);
  });

  it('batches one user per request on the per-user endpoints', async () => {
    const { service } = makeService();
    service.start();
    for (let i = 0; i < 3; i++) {
      service.recordPlay(play({ kind: 'catalogue', userId: 'user-a' }));
      service.recordPlay(play({ kind: 'catalogue', userId: 'user-b' }));
    }
    await service.flush();
    expect(server.received.length).toBeGreaterThanOrEqual(2);
    for (const batch of server.received) {
      const users = new Set(batch.logs.map((l) => l.userId));
      expect(users.size).toBe(1);
      expect(batch.query).toBe(`?userId=${[...users][0]}`);
    }
    expect(server.accepted()).toHaveLength(6);
  });

  it('sends previews ≤ 500 per request and ≤ 5 requests in any second', async () => {
    const { service } = makeService();
    service.start();
    for (let i = 0; i < 2_600; i++) service.recordPlay(play({ kind: 'preview', durationPlayed: 30 }));
    await drain(service, () => service.status().queued === 0);
    const sizes = server.received.map((r) => r.logs.length);
    expect(sizes).toEqual([500, 500, 500, 500, 500, 100]);
    const times = server.received.map((r) => r.at);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1_000);
    expect(new Set(server.accepted().map(naturalKey)).size).toBe(2_600);
  });

  it('keeps the preview rate across a restart', async () => {
    const first = makeService();
    first.service.start();
    for (let i = 0; i < 2_600; i++) first.service.recordPlay(play({ kind: 'preview' }));
    await first.service.flush({ force: false });
    expect(server.received).toHaveLength(5);
    await closeService(open[0]!);
    const second = makeService();
    second.service.start();
    await second.service.flush({ force: false });
    expect(server.received).toHaveLength(5);
    await drain(second.service, () => second.service.status().queued === 0);
    expect(server.received).toHaveLength(6);
    expect(server.received[5]!.at - server.received[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('sends catalogue logs straight away', async () => {
    const { service } = makeService();
    service.start();
    service.recordPlay(play({ kind: 'catalogue', endReason: 'naturalEnd' }));
    await service.flush({ force: false });
    expect(server.received.map((r) => [r.endpoint, r.logs.length])).toEqual([['catalogue', 1]]);
    expect(server.received[0]!.logs[0]).toMatchObject({ endReason: 'naturalEnd', playMode: 'online' });
  });

  it('never has two batches of one endpoint in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const db = openPlayLogDatabase(join(dir, 'concurrency.db'));
    const store = createPlayLogStore(db);
    const service = createPlayLogService({
      store,
      clock,
      limits: { catalogue: { maxBatch: 2 } },
      send: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
      },
    });
    open.push({ db, service });
    service.start();
    for (let i = 0; i < 11; i++) service.recordPlay(play({ kind: 'catalogue' }));
    const flushes = [service.flush(), service.flush(), service.flush()];
    await Promise.all(flushes);
    await drain(service, () => service.status().queued === 0);
    expect(maxInFlight).toBe(1);
    expect(service.status().endpoints.catalogue.delivered).toBe(11);
  });
});

describe('failures', () => {
  it('honours 429 with Retry-After, then delivers each log once', async () => {
    const { service } = makeService();
    let calls = 0;
    server.setHandler(() => {
      calls += 1;
      return calls === 1
        ? {
            status: 429,
            headers: { 'retry-after': '7', 'x-ratelimit-reset': '1' },
            body: { status: 'error', error: { code: 9001, message: 'Rate limit exceeded' } },
          }
        : { status: 202 };
    });
    service.start();
    for (let i = 0; i < 3; i++) service.recordPlay(play({ kind: 'catalogue' }));
    await service.flush({ force: false });
    const status = service.status().endpoints.catalogue;
    expect(status.pending).toBe(3);
    expect(status.lastError).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Date.parse(status.nextAttemptAt!) - server.received[0]!.at).toBe(7_000);
    await drain(service, () => service.status().queued === 0);
    expect(server.received).toHaveLength(2);
    expect(server.received[1]!.at - server.received[0]!.at).toBe(7_000);
    expect(server.accepted()).toHaveLength(3);
  });

  it('honours X-RateLimit-Reset on a 429 without Retry-After', async () => {
    const { service } = makeService();
    let calls = 0;
    server.setHandler(() => {
      calls += 1;
      return calls === 1 ? { status: 429, headers: { 'x-ratelimit-reset': '42' } } : { status: 202 };
    });
    service.start();
    service.recordPlay(play({ kind: 'catalogue' }));
    await drain(service, () => service.status().queued === 0);
    expect(server.received[1]!.at - server.received[0]!.at).toBe(42_000);
  });

  it('ignores X-RateLimit-Reset on a per-second 429 while the daily quota is not spent', async () => {
    const { service } = makeService();
    let calls = 0;
    server.setHandler(() => {
      calls += 1;
      return calls === 1
        ? {
            status: 429,
            headers: {
              'x-ratelimit-limit': '4000',
              'x-ratelimit-current': '12',
              'x-ratelimit-reset': '72000',
            },
          }
        : { status: 202 };
    });
    service.start();
    service.recordPlay(play({ kind: 'catalogue' }));
    await drain(service, () => service.status().queued === 0);
    // Full-jitter backoff after the first failure: random 0.5 × base 1 s.
    expect(server.received[1]!.at - server.received[0]!.at).toBe(500);
  });

  it('moves logs the service names as invalid (1008) to the dead-letter table and sends the rest', async () => {
    const { service } = makeService();
    server.setHandler((batch) => {
      const bad = batch.logs.flatMap((log, index) => (log.trackId === 'no-such-track' ? [index] : []));
      if (bad.length === 0) return { status: 202 };
      return {
        status: 400,
        body: {
          status: 'error',
          error: {
            code: 1008,
            message: 'The batch has invalid logs',
            errors: bad.map((index) => ({ code: 2001, message: `Track not found at ${index}`, index })),
          },
        },
      };
    });
    service.start();
    for (let i = 0; i < 12; i++) service.recordPlay(play(i === 4 ? { trackId: 'no-such-track' } : {}));
    await drain(service, () => service.status().queued === 0);
    // The first 10 went as one batch: rejected whole, the bad log set aside, the 9 others resent at
    // once (with the 2 recorded meanwhile).
    expect(server.received.map((r) => r.logs.length)).toEqual([10, 11]);
    expect(server.received[1]!.at).toBe(server.received[0]!.at);
    expect(server.accepted()).toHaveLength(11);
    expect(server.accepted().some((l) => l.trackId === 'no-such-track')).toBe(false);
    const status = service.status();
    expect(status.deadLetters).toBe(1);
    expect(status.endpoints.subscriber).toMatchObject({ deadLetters: 1, delivered: 11, pending: 0 });
    expect(status.lastError).toMatchObject({ endpoint: 'subscriber', serviceCode: 1008 });
    const [dead] = service.deadLetters();
    expect(dead).toMatchObject({
      endpoint: 'subscriber',
      reason: 'Track not found at 4',
      serviceCode: 2001,
      status: 400,
    });
    expect(dead!.payload.trackId).toBe('no-such-track');
  });

  it('isolates an invalid log when the service rejects the batch without naming it', async () => {
    const { service } = makeService();
    server.setHandler((batch) =>
      batch.logs.some((l) => l.trackId === 'bad')
        ? { status: 400, body: { status: 'error', error: { code: 1002, message: 'Invalid value' } } }
        : { status: 202 },
    );
    service.start();
    for (let i = 0; i < 8; i++)
      service.recordPlay(play({ kind: 'catalogue', ...(i === 5 ? { trackId: 'bad' } : {}) }));
    await drain(service, () => service.status().queued === 0);
    expect(server.accepted()).toHaveLength(7);
    expect(service.deadLetters().map((d) => d.payload.trackId)).toEqual(['bad']);
    expect(new Set(server.accepted().map(naturalKey)).size).toBe(7);
  });

  it('waits while offline (nothing expires) and drains once the service is back', async () => {
    await server.close();
    const port = Number(new URL(server.url).port);
    const { service } = makeService({ limits: { catalogue: { maxBatch: 3 } } });
    service.start();
    for (let i = 0; i < 5; i++) service.recordPlay(play({ kind: 'catalogue', playMode: 'offline' }));
    for (let i = 0; i < 6; i++) {
      await service.flush({ force: false });
      clock.runNext();
    }
    await service.flush({ force: false });
    const offline = service.status();
    expect(offline.queued).toBe(5);
    expect(offline.endpoints.catalogue.consecutiveFailures).toBeGreaterThanOrEqual(5);
    expect(offline.lastError).toMatchObject({ code: 'network' });
    // Full-jitter backoff stays under the 5-minute cap.
    expect(Date.parse(offline.endpoints.catalogue.nextAttemptAt!) - clock.now()).toBeLessThanOrEqual(300_000);

    server = await startLoggingServer(() => clock.now(), port);
    // Back online: retryNow() skips the rest of the backoff wait.
    const before = clock.now();
    service.retryNow();
    await service.flush({ force: false });
    expect(server.received[0]?.at).toBe(before);
    await drain(service, () => service.status().queued === 0);
    expect(server.accepted()).toHaveLength(5);
    expect(service.status().endpoints.catalogue).toMatchObject({ delivered: 5, consecutiveFailures: 0 });
  });

  it('resends a batch a crash left in flight, once, and flags it as possibly duplicated', async () => {
    const first = makeService();
    for (let i = 0; i < 3; i++) first.service.recordPlay(play({ kind: 'catalogue' }));
    // The process dies after marking the batch IN_FLIGHT (whether or not the request left).
    const { rows } = first.store.claimBatch('catalogue', 50, true);
    expect(rows).toHaveLength(3);
    expect(first.service.status().endpoints.catalogue.inFlight).toBe(3);
    first.db.close();
    open.splice(0, 1);

    const second = makeService();
    second.service.start();
    await second.service.flush();
    expect(server.accepted()).toHaveLength(3);
    expect(second.service.status().endpoints.catalogue).toMatchObject({
      delivered: 3,
      ambiguousResends: 1,
      inFlight: 0,
    });
  });

  it('sends nothing twice in normal operation', async () => {
    const { service } = makeService();
    service.start();
    const kinds = ['preview', 'catalogue', 'subscriber'] as const;
    for (let i = 0; i < 300; i++) {
      service.recordPlay(play({ kind: kinds[i % 3]! }));
      if (i % 37 === 0) await service.flush({ force: false });
    }
    await drain(service, () => service.status().queued === 0);
    await service.close();
    const keys = server.accepted().map(naturalKey);
    expect(keys).toHaveLength(300);
    expect(new Set(keys).size).toBe(300);
  });
});
