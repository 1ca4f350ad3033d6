// The settings store's schema versions in order: the file numbered N is user_version N.
import type { Migration } from '../../db/open-database.js';
import { keyValue } from './001-key-value.js';

export const settingsMigrations: readonly Migration[] = [keyValue];
