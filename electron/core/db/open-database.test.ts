import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { openDatabase, toDatabaseError, type Migration } from './open-database.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'septet-db-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const migrations: Migration[] = [
  (db) => db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)'),
  (db) => db.exec('ALTER TABLE items ADD COLUMN size INTEGER NOT NULL DEFAULT 0'),
];

describe('openDatabase', () => {
  it('opens in WAL mode with the requested synchronous level and applies migrations once', () => {
    const path = join(dir, 'nested', 'a.db');
    const db = openDatabase(path, { migrations, synchronous: 'FULL' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.prepare('INSERT INTO items (name, size) VALUES (?, ?)').run('one', 5);
    db.close();

    const again = openDatabase(path, { migrations });
    expect(again.prepare('SELECT name, size FROM items').all()).toEqual([{ name: 'one', size: 5 }]);
    again.close();
  });

  it('runs only the new migrations when the app gains one', () => {
    const path = join(dir, 'b.db');
    openDatabase(path, { migrations: migrations.slice(0, 1) }).close();
    const db = openDatabase(path, { migrations });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('rolls back a failing migration and leaves the version unchanged', () => {
    const path = join(dir, 'c.db');
    const broken: Migration[] = [
      migrations[0]!,
      (db) => {
        db.exec('CREATE TABLE half (x)');
        throw new Error('boom');
      },
    ];
    expect(() => openDatabase(path, { migrations: broken })).toThrow(AppError);
    const db = openDatabase(path, { migrations: migrations.slice(0, 1) });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database from a newer app version', () => {
    const path = join(dir, 'd.db');
    openDatabase(path, { migrations }).close();
    expect(() => openDatabase(path, { migrations: migrations.slice(0, 1) })).toThrow(/newer than this app/);
  });

  it('reports a corrupt file as an integrity error', () => {
    const path = join(dir, 'e.db');
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    try {
      openDatabase(path, { migrations });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('integrity');
      expect((error as AppError).message).toContain(path);
    }
  });

  it('maps a full database (SQLITE_FULL) to disk_full', () => {
    const path = join(dir, 'f.db');
    const db = openDatabase(path, { migrations });
    db.pragma('max_page_count = 8');
    let caught: unknown;
    try {
      const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
      for (let i = 0; i < 10_000; i++) insert.run('x'.repeat(500));
    } catch (error) {
      caught = error;
    }
    db.close();
    const mapped = toDatabaseError(caught, path);
    expect(mapped.code).toBe('disk_full');
    expect(mapped.message).toMatch(/full/);
  });
});
