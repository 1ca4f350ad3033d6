import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createSettingsStore, defaultSettings, settingsDatabasePath } from './settings-store.js';

const logger = createLogger('test', { level: 'silent' });
const track = { id: 't1', title: 'One', artist: { id: 'a1', name: 'Artist' }, durationSec: 180 };

describe('settings store', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'septet-settings-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps settings, the queue, the session record and the clientId across restarts', () => {
    const first = createSettingsStore({ dataDir, logger });
    expect(first.get()).toEqual(defaultSettings);
    first.update({ streamFormat: 'progressive', cacheQuotaBytes: 2 * 1024 ** 3 });
    first.saveQueue('u1', { tracks: [track], index: 0, positionSec: 42.5, shuffle: true, repeat: 'all' });
    first.setSessionRecord({ userId: 'u1', country: 'GB', method: 'demo' });
    const clientId = first.clientId();
    first.close();

    const second = createSettingsStore({ dataDir, logger });
    expect(second.get()).toMatchObject({
      streamFormat: 'progressive',
      cacheQuotaBytes: 2 * 1024 ** 3,
      streamQuality: 'high',
    });
    expect(second.getSavedQueue('u1')).toMatchObject({
      index: 0,
      positionSec: 42.5,
      shuffle: true,
      repeat: 'all',
      tracks: [track],
    });
    // The queue is the listener's own: another account signing in on this device gets none.
    expect(second.getSavedQueue('u2')).toBeNull();
    expect(second.getSessionRecord()).toEqual({ userId: 'u1', country: 'GB', method: 'demo' });
    expect(second.clientId()).toBe(clientId);
    second.setSessionRecord(null);
    expect(second.getSessionRecord()).toBeNull();
    second.close();
  });

  it("keeps the sound settings and each track's measured loudness across restarts", () => {
    const first = createSettingsStore({ dataDir, logger });
    expect(first.get().audio).toEqual({
      normalisation: 'normal',
      crossfadeSec: 0,
      equaliser: { enabled: true, preset: 'flat', preampDb: 0, bandsDb: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    });
    const audio = {
      normalisation: 'loud' as const,
      crossfadeSec: 6,
      equaliser: {
        enabled: true,
        preset: 'rock' as const,
        preampDb: -4,
        bandsDb: [4, 3, 1, 0, -1, 0, 1, 3, 4, 4],
      },
    };
    first.update({ audio });
    expect(first.getTrackLoudness('t1')).toBeNull();
    first.saveTrackLoudness('t1', { lufs: -17.3, measuredSec: 36 });
    first.close();
    const second = createSettingsStore({ dataDir, logger });
    expect(second.get().audio).toEqual(audio);
    expect(second.getTrackLoudness('t1')).toEqual({ lufs: -17.3, measuredSec: 36 });
    expect(() => second.update({ audio: { ...audio, crossfadeSec: 13 } })).toThrow(/Invalid settings/);
    second.close();
  });

  it('refuses invalid settings', () => {
    const store = createSettingsStore({ dataDir, logger });
    expect(() => store.update({ cacheQuotaBytes: 5 })).toThrow(/Invalid settings/);
    expect(store.get()).toEqual(defaultSettings);
    store.close();
  });

  it('falls back to defaults when a stored value was damaged', () => {
    createSettingsStore({ dataDir, logger }).close();
    const raw = new Database(settingsDatabasePath(dataDir));
    raw
      .prepare(
        "INSERT INTO kv (key, value, updated_at) VALUES ('settings', '{not json', 'x'), ('queue', '{\"tracks\":5}', 'x')",
      )
      .run();
    raw.close();
    const store = createSettingsStore({ dataDir, logger });
    expect(store.get()).toEqual(defaultSettings);
    expect(store.getSavedQueue('u1')).toBeNull();
    store.close();
  });
});
