// Test support: an emulator database with its whole schema (the numbered migrations), for
// modules tested without the server (the radio engine, the witness).
import Database from 'better-sqlite3';
import { migrate } from '../db.js';

export function migratedDb(file = ':memory:'): Database.Database {
  const db = new Database(file);
  migrate(db);
  return db;
}
