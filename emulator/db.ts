// The emulator's SQLite state (WAL) with numbered migrations (emulator/migrations/), tracked in
// PRAGMA user_version by the runner the app's databases use too (shared/db/migrate.ts).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations } from '../shared/db/migrate.js';
import { emulatorMigrations } from './migrations/index.js';

export type Db = Database.Database;

export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'emulator.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db, path);
  return db;
}

export function migrate(db: Db, where = 'emulator state'): void {
  runMigrations(db, emulatorMigrations, where);
}
