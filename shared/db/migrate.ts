// The one migration runner of every SQLite database Septet keeps (play log, settings, offline
// cache index) and of the emulator's state. Schema versions are numbered from 1 and tracked in
// PRAGMA user_version; each migration runs in its own IMMEDIATE transaction with the version
// bump, so a failing one leaves the database at the version before it.
//
// Environment-neutral: the database is typed by the little the runner uses, which
// better-sqlite3's Database satisfies; nothing here imports node:* or a driver.
import { AppError } from '../errors.js';

/** What the runner needs of a database. */
export type MigratableDatabase = {
  exec(sql: string): unknown;
  pragma(source: string, options: { simple: true }): unknown;
  transaction(run: () => void): { immediate(): void };
};

/**
 * One schema version: SQL, or a function for what SQL alone cannot say. Append only: a migration
 * that has shipped is never edited, since users' databases already ran it.
 */
export type Migration<D extends MigratableDatabase = MigratableDatabase> = string | ((db: D) => void);

/** Brings a database from its user_version up to migrations.length (migrations[0] is version 1). */
export function runMigrations<D extends MigratableDatabase>(
  db: D,
  migrations: readonly Migration<D>[],
  where: string,
): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > migrations.length) {
    throw new AppError({
      code: 'internal',
      message: `Database ${where} has schema version ${current}, newer than this app knows (${migrations.length}).`,
    });
  }
  for (let version = current; version < migrations.length; version++) {
    const migration = migrations[version];
    if (migration === undefined) continue;
    db.transaction(() => {
      applyMigration(db, migration);
      db.pragma(`user_version = ${version + 1}`, { simple: true });
    }).immediate();
  }
}

/** Runs one migration's statements (inside the caller's transaction; no version bookkeeping). */
export function applyMigration<D extends MigratableDatabase>(db: D, migration: Migration<D>): void {
  if (typeof migration === 'string') db.exec(migration);
  else migration(db);
}
