// The offline library's schema versions in order: the file numbered N is user_version N.
import type { Migration } from '../../db/open-database.js';
import { libraryRecords } from './001-library-records.js';

export const offlineLibraryMigrations: readonly Migration[] = [libraryRecords];
