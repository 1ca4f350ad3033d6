// Databases already on users' disks keep working with the numbered migration files and the
// shared runner: the fixtures were written by the app and the emulator before the migrations
// moved out of inline arrays (same schema version 1, a row each), and are opened here by today's
// code. A fresh database gets the same schema as the fixture, so nothing was edited on the way.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../emulator/db.js';
import { createLogger } from '../logger.js';
import { createCacheIndex } from '../offline-cache/cache-index.js';
import { cacheIndexMigrations } from '../offline-cache/migrations/index.js';
import { createPlayLogStore, openPlayLogDatabase } from '../play-log/play-log-store.js';
import { createSettingsStore } from '../settings/settings-store.js';
import { openDatabase } from './open-database.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'fixtures');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture in a fresh folder (opening writes WAL files next to it). */
function copyOf(fixture: string, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'septet-upgrade-'));
  dirs.push(dir);
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(join(fixtures, fixture), path);
  return path;
}

/** The schema as SQLite keeps it, and the version. */
function schemaOf(path: string): { version: number; objects: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      objects: db
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all(),
    };
  } finally {
    db.close();
  }
}

function freshPath(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'septet-fresh-'));
  dirs.push(dir);
  return join(dir, name);
}

describe('upgrading databases written before the numbered migration files', () => {
  it('play log: version 1 upgrades to 2 (open plays, delivered history), its pending play is still queued and is kept once delivered; a fresh one has the same schema', () => {
    const path = copyOf('play-log-v1.sqlite', 'play-log.sqlite');
    expect(schemaOf(path).version).toBe(1);
    const db = openPlayLogDatabase(path);
    const store = createPlayLogStore(db);
    expect(store.pendingSummary('subscriber', false).count).toBe(1);
    const { batchId, rows } = store.claimBatch('subscriber', 20, true);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.audit).toBeNull();
    store.ackBatch('subscriber', batchId, 1_000);
    const kept = db.prepare('SELECT local_id, delivered_at FROM play_log_delivered').all();
    expect(kept).toEqual([{ local_id: rows[0]?.localId, delivered_at: 1_000 }]);
    db.close();
    const upgraded = schemaOf(path);
    expect(upgraded.version).toBe(2);
    const fresh = freshPath('play-log.sqlite');
    openPlayLogDatabase(fresh).close();
    expect(schemaOf(fresh)).toEqual(upgraded);
  });

  it('settings: version 1 stays and the saved settings and clientId are read back', () => {
    const path = copyOf('settings-v1.sqlite', 'data/settings.sqlite');
    const before = schemaOf(path);
    const settings = createSettingsStore({ dataDir: dirname(path), logger: createLogger('test') });
    expect(settings.get().streamQuality).toBe('standard');
    expect(settings.clientId()).toBe('septet-9adb2464-c392-44fe-a248-049fbca3874e');
    settings.close();
    expect(schemaOf(path)).toEqual(before);
    const freshDir = dirname(freshPath('settings.sqlite'));
    createSettingsStore({ dataDir: freshDir, logger: createLogger('test') }).close();
    expect(schemaOf(join(freshDir, 'settings.sqlite'))).toEqual(before);
  });

  it('offline cache index: version 1 stays and its entry is listed', () => {
    const path = copyOf('offline-index-v1.sqlite', 'index.sqlite');
    const before = schemaOf(path);
    const db = openDatabase(path, { migrations: cacheIndexMigrations });
    expect(createCacheIndex(db).get('t1')).toMatchObject({
      trackId: 't1',
      pinned: true,
      format: 'progressive',
    });
    db.close();
    expect(schemaOf(path)).toEqual(before);
    const fresh = freshPath('index.sqlite');
    openDatabase(fresh, { migrations: cacheIndexMigrations }).close();
    expect(schemaOf(fresh)).toEqual(before);
  });

  it('emulator state: version 1 gains the radio and witness tables (3) and its user is still there', () => {
    const path = copyOf('emulator-v1.sqlite', 'emulator/emulator.sqlite');
    expect(schemaOf(path).version).toBe(1);
    const db = openDb(dirname(path));
    expect(db.prepare("SELECT email FROM users WHERE id = 'fixture-user'").get()).toEqual({
      email: 'fixture@septet.test',
    });
    db.close();
    const upgraded = schemaOf(path);
    expect(upgraded.version).toBe(3);
    const fresh = dirname(freshPath('emulator.sqlite'));
    openDb(fresh).close();
    expect(schemaOf(join(fresh, 'emulator.sqlite'))).toEqual(upgraded);
  });
});
