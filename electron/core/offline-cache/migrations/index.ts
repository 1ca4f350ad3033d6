// The offline cache index's schema versions in order: the file numbered N is user_version N.
import type { Migration } from '../../db/open-database.js';
import { offlineEntries } from './001-offline-entries.js';

export const cacheIndexMigrations: readonly Migration[] = [offlineEntries];
