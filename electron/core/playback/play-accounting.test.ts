// Play accounting over a real play-log database (SQLite, WAL, synchronous=FULL) and the real
// play-log service; delivery is not started (play-log-service.test.ts and the soak cover it), so
// the queued rows are read back as they would be sent. The clock is a fake one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../db/open-database.js';
import { createOpenPlays, type OpenPlayFields } from '../play-log/open-plays.js';
import { createPlayLogService } from '../play-log/play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase } from '../play-log/play-log-store.js';
import { createPlayAccounting, type RadioPlayEvent } from './play-accounting.js';

let dir: string;
let db: SqliteDatabase;
let t: number;
let radioEvents: RadioPlayEvent[];

const fields = (over: Partial<OpenPlayFields> = {}): OpenPlayFields => ({
  trackId: '10000001',
  releaseId: '1000001',
  formatId: 56,
  playMode: 'online',
  country: 'GB',
  clientId: 'septet-test',
  context: 'subscription',
  source: 'subscription',
  format: 'hls',
  ...over,
});

function setup() {
  const store = createPlayLogStore(db);
  const playLog = createPlayLogService({ store, send: async () => undefined });
  const accounting = createPlayAccounting({
    openPlays: createOpenPlays(db),
    playLog,
    now: () => t,
    onRadioEvent: (event) => radioEvents.push(event),
  });
  return { store, accounting };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'septet-accounting-'));
  db = openPlayLogDatabase(join(dir, 'play-log.sqlite'));
  t = Date.parse('2026-05-01T10:00:00Z');
  radioEvents = [];
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('play accounting', () => {
  it('records what main decided at resolve time and what the renderer measured, once, by stream id', () => {
    const { store, accounting } = setup();
    const streamId = accounting.open('alice', 'subscriber', fields());
    t += 200;
    accounting.served('alice', { trackId: '10000001', source: 'subscription', format: 'hls' });
    t += 300;
    accounting.event('alice', { streamId, event: 'started', listened: 0 });
    t += 42_000;
    const { localId } = accounting.report('alice', { streamId, listened: 41.6, endReason: 'userSkipped' });
    const [row] = store.rows('subscriber');
    expect(row).toMatchObject({
      localId,
      userId: 'alice',
      payload: {
        trackId: '10000001',
        userId: 'alice',
        clientId: 'septet-test',
        country: 'GB',
        playMode: 'online',
        formatId: '56',
        releaseId: '1000001',
        durationPlayed: 42,
        endReason: 'userSkipped',
        timestamp: '2026-05-01T10:00:00.500Z',
      },
      audit: { streamId, listenedMs: 41_600, context: 'subscription', closedBy: 'renderer', seeks: 0 },
    });
    expect(accounting.get(streamId)).toBeNull();
    expect(() => accounting.report('alice', { streamId, listened: 1, endReason: 'other' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('dates a play from its audio, also when the renderer learnt late that it started (a gapless engine plays on)', () => {
    const { store, accounting } = setup();
    const streamId = accounting.open('alice', 'subscriber', fields());
    accounting.served('alice', { trackId: '10000001', source: 'subscription', format: 'hls' });
    t += 20_000; // prefetched 20 s before it played
    const playedFrom = t;
    t += 40_000;
    accounting.event('alice', { streamId, event: 'started', listened: 39.5 });
    t += 9_000;
    accounting.report('alice', { streamId, listened: 48.5, endReason: 'other' });
    const [row] = store.rows('subscriber');
    expect(Date.parse(row!.payload.timestamp)).toBe(playedFrom + 500);
    expect(row!.payload.durationPlayed).toBe(49);
  });

  it('refuses more listening than the wall clock allows since the stream was served, and keeps the play open', () => {
    const { store, accounting } = setup();
    const streamId = accounting.open('alice', 'subscriber', fields());
    expect(() => accounting.event('alice', { streamId, event: 'progress', listened: 2 })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/served/) }),
    );
    accounting.served('alice', { trackId: '10000001', source: 'subscription', format: 'hls' });
    t += 12_000;
    expect(() => accounting.report('alice', { streamId, listened: 60, endReason: 'naturalEnd' })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/longer than/) }),
    );
    expect(store.rows('subscriber')).toEqual([]);
    expect(accounting.get(streamId)).not.toBeNull();
    accounting.report('alice', { streamId, listened: 12, endReason: 'userSkipped' });
    expect(store.rows('subscriber').map((r) => r.payload.durationPlayed)).toEqual([12]);
  });

  it("refuses another account's stream and an unknown one", () => {
    const { store, accounting } = setup();
    const streamId = accounting.open('alice', 'subscriber', fields());
    accounting.served('alice', { trackId: '10000001', source: 'subscription', format: 'hls' });
    t += 30_000;
    expect(() => accounting.report('bob', { streamId, listened: 20, endReason: 'other' })).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => accounting.event('bob', { streamId, event: 'progress', listened: 20 })).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => accounting.report('alice', { streamId: 's-nope', listened: 1, endReason: 'other' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(store.rows('subscriber')).toEqual([]);
  });

  it('radio: no seek, no natural end before the track could have played, complete only after it did', () => {
    const { store, accounting } = setup();
    const radio = fields({
      context: 'radio',
      source: 'catalogue',
      durationSec: 60,
      radioSessionId: 'r-1',
      formatId: undefined,
    });
    const streamId = accounting.open('alice', 'catalogue', radio);
    accounting.served('alice', { trackId: '10000001', source: 'catalogue', format: 'hls' });
    accounting.event('alice', { streamId, event: 'started', listened: 0 });
    t += 12_000;
    expect(() => accounting.event('alice', { streamId, event: 'seeked', listened: 12 })).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => accounting.report('alice', { streamId, listened: 12, endReason: 'naturalEnd' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    accounting.event('alice', { streamId, event: 'paused', listened: 12 });
    accounting.event('alice', { streamId, event: 'resumed', listened: 12 });
    t += 49_000;
    accounting.report('alice', { streamId, listened: 60, endReason: 'naturalEnd' });
    expect(radioEvents.map((e) => e.eventType)).toEqual(['start', 'pause', 'resume', 'complete']);
    expect(radioEvents.at(-1)).toMatchObject({ radioSessionId: 'r-1', durationPlayed: 60 });
    expect(store.rows('catalogue')[0]?.payload).toMatchObject({
      durationPlayed: 60,
      endReason: 'naturalEnd',
    });
  });

  it('sign-out closes the listener’s open plays with the listening last reported; other accounts’ stay open', () => {
    const { store, accounting } = setup();
    const preview = accounting.open('alice', 'preview', fields({ source: 'preview', durationSec: 30 }));
    const prefetched = accounting.open('alice', 'subscriber', fields({ trackId: '10000002' }));
    const bobs = accounting.open('bob', 'subscriber', fields());
    accounting.served('alice', { trackId: '10000001', source: 'preview', format: 'hls' });
    t += 9_000;
    accounting.event('alice', { streamId: preview, event: 'paused', listened: 8.4 });
    expect(accounting.closeAll('alice')).toBe(2);
    expect(store.rows('preview').map((r) => [r.payload.durationPlayed, r.audit?.closedBy])).toEqual([
      [8, 'main'],
    ]);
    expect(store.rows('subscriber')).toEqual([]); // the prefetch was never heard
    expect(accounting.get(prefetched)).toBeNull();
    expect(accounting.get(bobs)).not.toBeNull();
  });

  it('a play left open by a crash is still there after reopening the database, and is closed for its listener', () => {
    const first = setup();
    const streamId = first.accounting.open('alice', 'subscriber', fields());
    first.accounting.served('alice', { trackId: '10000001', source: 'subscription', format: 'hls' });
    t += 20_000;
    first.accounting.event('alice', { streamId, event: 'progress', listened: 19 });
    db.close(); // as a kill -9 would leave it: committed, nothing else
    db = openPlayLogDatabase(join(dir, 'play-log.sqlite'));
    const second = setup();
    expect(second.accounting.closeAll()).toBe(1);
    expect(second.store.rows('subscriber').map((r) => [r.userId, r.payload.durationPlayed])).toEqual([
      ['alice', 19],
    ]);
  });
});
