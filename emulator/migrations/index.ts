// The emulator state's schema versions in order: the file numbered N is user_version N.
import type { Migration } from '../../shared/db/migrate.js';
import type Database from 'better-sqlite3';
import { accountsTokensSalesPlaylistsLogs } from './001-accounts-tokens-sales-playlists-logs.js';
import { radio } from './002-radio.js';
import { witness } from './003-witness.js';

export const emulatorMigrations: readonly Migration<Database.Database>[] = [
  accountsTokensSalesPlaylistsLogs,
  radio,
  witness,
];
