// Shared SQLite opener: WAL, busy timeout, numbered migrations tracked in user_version (the
// runner in shared/db/migrate.ts, shared with the emulator), and clear AppErrors for the failures
// a user can act on (full disk, corrupt file).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { runMigrations, type Migration as SchemaMigration } from '../../../shared/db/migrate.js';
import { AppError } from '../../../shared/errors.js';

export type SqliteDatabase = Database.Database;

/** One migration per schema version (SQL or a function); migrations[0] takes user_version 0 → 1, and so on. */
export type Migration = SchemaMigration<SqliteDatabase>;

export type Synchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export type OpenDatabaseOptions = {
  migrations: readonly Migration[];
  /** FULL (or EXTRA) syncs the WAL on every commit: use it where a commit must survive power loss. */
  synchronous?: Synchronous;
  busyTimeoutMs?: number;
  readonly?: boolean;
};

const corruptionCodes = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_SEQUENCE',
]);
const diskFullCodes = new Set(['SQLITE_FULL', 'ENOSPC', 'SQLITE_IOERR_WRITE']);

/** Turns an SQLite/file-system error into an AppError with a message a user can act on. */
export function toDatabaseError(error: unknown, path: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && diskFullCodes.has(code)) {
    return new AppError(
      { code: 'disk_full', message: `The disk holding ${path} is full: free some space and try again.` },
      { cause: error },
    );
  }
  if (typeof code === 'string' && corruptionCodes.has(code)) {
    return new AppError(
      {
        code: 'integrity',
        message: `The database ${path} is damaged (${code}); move it aside to start afresh.`,
      },
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError({ code: 'internal', message: `Database ${path}: ${message}` }, { cause: error });
}

/** Runs statements of the database at `path`, turning what SQLite throws into toDatabaseError's AppError. */
export function databaseGuard(path: string): <T>(run: () => T) => T {
  return (run) => {
    try {
      return run();
    } catch (error) {
      throw toDatabaseError(error, path);
    }
  };
}

export function openDatabase(path: string, options: OpenDatabaseOptions): SqliteDatabase {
  const { migrations, synchronous = 'NORMAL', busyTimeoutMs = 5_000, readonly = false } = options;
  let db: SqliteDatabase | undefined;
  try {
    if (path !== ':memory:' && !readonly) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly, timeout: busyTimeoutMs });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    // Plain fsync on macOS does not flush the drive cache.
    if (process.platform === 'darwin' && (synchronous === 'FULL' || synchronous === 'EXTRA')) {
      db.pragma('fullfsync = ON');
      db.pragma('checkpoint_fullfsync = ON');
    }
    db.pragma('foreign_keys = ON');
    // Reading the schema surfaces SQLITE_NOTADB / SQLITE_CORRUPT now rather than on first use.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    if (!readonly) runMigrations(db, migrations, path);
    return db;
  } catch (error) {
    db?.close();
    throw toDatabaseError(error, path);
  }
}
