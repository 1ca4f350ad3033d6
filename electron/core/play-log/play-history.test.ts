// Home's "recently played" comes from the durable play log itself: real SQLite, the real schema
// and the real store moving rows from the queue to the delivered history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../db/open-database.js';
import { createPlayHistory } from './play-history.js';
import { createPlayLogStore, openPlayLogDatabase } from './play-log-store.js';
import type { StreamLogPayload } from './play-log-schema.js';

let dir: string;
let db: SqliteDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'septet-history-'));
  db = openPlayLogDatabase(join(dir, 'play-log.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const play = (userId: string, trackId: string, minute: number, extra: Partial<StreamLogPayload> = {}) => ({
  trackId,
  userId,
  clientId: 'c1',
  country: 'GB',
  playMode: 'online' as const,
  durationPlayed: 42,
  timestamp: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
  releaseId: `rel-${trackId}`,
  endReason: 'userSkipped' as const,
  ...extra,
});

describe('play history', () => {
  it('lists the listener’s own plays, queued and delivered, newest first', () => {
    const store = createPlayLogStore(db);
    store.insert('subscriber', play('ann', 't1', 1), 1_000);
    store.insert('subscriber', play('bob', 't2', 2), 2_000);
    store.insert('catalogue', play('ann', 't3', 3, { endReason: 'naturalEnd' }), 3_000);
    // The service accepts a batch of Ann's first play: it moves to the delivered history.
    const { batchId, rows } = store.claimBatch('subscriber', 1, true, 'ann');
    expect(rows.map((r) => r.payload.trackId)).toEqual(['t1']);
    store.ackBatch('subscriber', batchId, 4_000);
    store.insert('preview', play('ann', 't4', 4, { durationPlayed: 30 }), 5_000);

    const history = createPlayHistory(db);
    expect(history.recent('ann', 10)).toEqual([
      expect.objectContaining({ trackId: 't4', durationPlayed: 30 }),
      expect.objectContaining({ trackId: 't3', releaseId: 'rel-t3', endReason: 'naturalEnd' }),
      expect.objectContaining({
        trackId: 't1',
        playedAt: '2026-01-01T12:01:00.000Z',
        endReason: 'userSkipped',
      }),
    ]);
    expect(history.recent('ann', 2).map((p) => p.trackId)).toEqual(['t4', 't3']);
    expect(history.recent('bob', 10).map((p) => p.trackId)).toEqual(['t2']);
    expect(history.recent('carol', 10)).toEqual([]);
  });
});
