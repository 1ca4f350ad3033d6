// The play log against the real emulator: real signed HTTP, the emulator's own validation
// (track exists, timestamp window, batch and rate limits) and its record of received logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server.js';
import { demoConsumer, demoListener } from '../../../shared/demo.js';
import { createLocalSigner } from '../api/oauth.js';
import type { SqliteDatabase } from '../db/open-database.js';
import { createHttpPlayLogSend } from './testing/http-send.js';
import type { PlayInput, PlayLogEndpoint, StreamLogPayload } from './play-log-schema.js';
import { createPlayLogService, type PlayLogService } from './play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase } from './play-log-store.js';

type Track = { id: string; releaseId?: string; duration: number };

let dir: string;
let emulator: { url: string; close(): Promise<void> };
let tracks: Track[] = [];
const signer = createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret });
const open: Array<{ db: SqliteDatabase; service: PlayLogService }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'septet-playlog-emu-'));
  emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
  const url = new URL('tracks/search', `${emulator.url}/`);
  url.searchParams.set('q', 'love');
  url.searchParams.set('pageSize', '50');
  for (const q of ['love', 'night', 'the', 'a']) {
    url.searchParams.set('q', q);
    const { authorization } = await signer.sign({ method: 'GET', url: url.toString() });
    const response = await fetch(url, { headers: { authorization, accept: 'application/json' } });
    const body = (await response.json()) as {
      tracks?: Array<{ id: string; duration?: number; release?: { id?: string } }>;
    };
    for (const t of body.tracks ?? []) {
      if ((t.duration ?? 0) >= 60)
        tracks.push({ id: String(t.id), releaseId: t.release?.id, duration: t.duration! });
    }
    if (tracks.length >= 20) break;
  }
  tracks = tracks.slice(0, 20);
  expect(tracks.length).toBeGreaterThan(5);
});
afterEach(async () => {
  for (const { db, service } of open.splice(0)) {
    await service.close({ flush: false });
    db.close();
  }
});
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

let dbCounter = 0;
function makeService(onFailure?: (error: unknown) => void) {
  dbCounter += 1;
  const db = openPlayLogDatabase(join(dir, `play-log-${dbCounter}.db`));
  const store = createPlayLogStore(db);
  const httpSend = createHttpPlayLogSend({ baseUrl: emulator.url, signer });
  const service = createPlayLogService({
    store,
    send: async (endpoint, logs) => {
      try {
        return await httpSend(endpoint, logs);
      } catch (error) {
        onFailure?.(error);
        throw error;
      }
    },
    limits: { backoff: { baseMs: 20, capMs: 500 } },
  });
  open.push({ db, service });
  return { store, service };
}

// Each test uses its own clientId so the emulator's record can be filtered per test.
function play(clientId: string, i: number, overrides: Partial<PlayInput> = {}): PlayInput {
  const track = tracks[i % tracks.length]!;
  return {
    kind: 'subscriber',
    playMode: 'online',
    trackId: track.id,
    ...(track.releaseId ? { releaseId: track.releaseId } : {}),
    userId: demoListener.userId,
    clientId,
    durationPlayed: Math.min(30, track.duration),
    country: demoListener.country,
    ...overrides,
  };
}

async function received(endpoint: PlayLogEndpoint, clientId: string): Promise<StreamLogPayload[]> {
  const response = await fetch(`${emulator.url}/_emulator/logs?endpoint=${endpoint}`);
  const body = (await response.json()) as { logs: Array<StreamLogPayload & { receivedAt: string }> };
  return body.logs.filter((l) => l.clientId === clientId);
}

async function untilDrained(service: PlayLogService): Promise<void> {
  for (let i = 0; i < 100 && service.status().queued > 0; i++) {
    await service.flush({ force: true });
    if (service.status().queued > 0) await new Promise((r) => setTimeout(r, 50));
  }
}

describe('play log → emulator', () => {
  it('delivers every kind of play exactly once, with the fields recorded', async () => {
    const { service } = makeService();
    service.start();
    const recorded = [
      service.recordPlay(play('emu-kinds', 0, { kind: 'preview' })),
      service.recordPlay(play('emu-kinds', 1, { kind: 'catalogue', endReason: 'userSkipped' })),
      ...Array.from({ length: 12 }, (_, i) =>
        service.recordPlay(play('emu-kinds', i + 2, { playMode: i % 2 ? 'offline' : 'online-cached' })),
      ),
    ];
    await untilDrained(service);
    const [preview, catalogue, subscriber] = await Promise.all([
      received('preview', 'emu-kinds'),
      received('catalogue', 'emu-kinds'),
      received('subscriber', 'emu-kinds'),
    ]);
    expect(preview).toHaveLength(1);
    expect(catalogue).toHaveLength(1);
    expect(catalogue[0]).toMatchObject({ endReason: 'userSkipped', timestamp: recorded[1]!.timestamp });
    expect(subscriber).toHaveLength(12);
    expect(new Set(subscriber.map((l) => l.timestamp)).size).toBe(12);
    expect(subscriber.map((l) => l.playMode)).toContain('offline');
    expect(service.status()).toMatchObject({ queued: 0, deadLetters: 0, lastError: null });
  });

  it('dead-letters what the emulator rejects (unknown track, too old) and delivers the rest', async () => {
    const { service } = makeService();
    service.start();
    const old = new Date(Date.now() - 70 * 86_400_000).toISOString();
    for (let i = 0; i < 10; i++) {
      const overrides: Partial<PlayInput> =
        i === 3 ? { trackId: '999999999999' } : i === 7 ? { timestamp: old, playMode: 'offline' } : {};
      service.recordPlay(play('emu-dead', i, overrides));
    }
    await untilDrained(service);
    expect(await received('subscriber', 'emu-dead')).toHaveLength(8);
    const dead = service.deadLetters();
    expect(dead).toHaveLength(2);
    expect(dead.map((d) => d.reason).sort()).toEqual([
      "'Date Time Played' cannot be too much in the past.",
      'Track not found: 999999999999',
    ]);
    expect(dead.every((d) => d.status === 400)).toBe(true);
    expect(service.status().endpoints.subscriber).toMatchObject({ deadLetters: 2, delivered: 8, pending: 0 });
  });

  it(
    'keeps the preview rate under the emulator limit: ≤ 500 per request, never a 429',
    { timeout: 120_000 },
    async () => {
      const statuses: unknown[] = [];
      // The emulator's 5 requests/s are per consumer key: the earlier tests' services (other stores,
      // same key) may have sent within the last second, which this fresh service cannot know of.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const { service } = makeService((error) => statuses.push((error as { status?: unknown }).status));
      service.start();
      for (let i = 0; i < 2_600; i++) service.recordPlay(play('emu-preview', i, { kind: 'preview' }));
      await untilDrained(service);
      expect(await received('preview', 'emu-preview')).toHaveLength(2_600);
      expect(service.status().endpoints.preview).toMatchObject({ delivered: 2_600, pending: 0 });
      // (A connection reset on a reused keep-alive socket may happen and is retried; a 429 may not.)
      expect(statuses).not.toContain(429);
    },
  );

  it('waits out an injected 429 and a dropped connection, then delivers once', async () => {
    const { service } = makeService();
    const fault = async (body: object) => {
      const response = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.ok).toBe(true);
    };
    await fault({ pathPattern: '/logging/catalogue', kind: 'status', status: 429, times: 1 });
    await fault({ pathPattern: '/logging/catalogue', kind: 'drop', times: 1 });
    service.start();
    for (let i = 0; i < 3; i++) service.recordPlay(play('emu-faults', i, { kind: 'catalogue' }));
    await untilDrained(service);
    const logs = await received('catalogue', 'emu-faults');
    expect(logs).toHaveLength(3);
    expect(service.status().endpoints.catalogue.lastError).not.toBeNull();
    await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
  });
});
