// What every state store is made over: the database, the emulator clock, the catalogue and the
// settings. Every store function is synchronous (better-sqlite3); multi-row writes run in one
// transaction so a rejected request never leaves a partial write.
import { randomBytes } from 'node:crypto';
import type { Catalogue } from '../catalogue.js';
import type { EmulatorConfig } from '../config.js';
import type { Db } from '../db.js';

export type StoreContext = {
  db: Db;
  /** The emulator clock (the test API's offset applied). */
  now: () => number;
  catalogue: Catalogue;
  config: EmulatorConfig;
};

/** A random hex id or secret of `bytes` bytes. */
export const randomToken = (bytes = 16) => randomBytes(bytes).toString('hex');
