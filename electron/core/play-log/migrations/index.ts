// The play log's schema versions in order: the file numbered N is user_version N.
import type { Migration } from '../../db/open-database.js';
import { playLogQueue } from './001-play-log-queue.js';
import { openPlaysAndHistory } from './002-open-plays-and-history.js';

export const playLogMigrations: readonly Migration[] = [playLogQueue, openPlaysAndHistory];
