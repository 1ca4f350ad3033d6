// Settings, the saved queue, this install's clientId and the signed-in listener's non-secret
// session record, in one small SQLite file in the data dir. Secrets never come here (vault).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, appErrorCodes } from '../../../shared/errors.js';
import {
  defaultAudioSettings,
  SavedQueue,
  Settings,
  type TrackLoudness,
} from '../../../shared/ipc/contract.js';
import { openDatabase, toDatabaseError, type SqliteDatabase } from '../db/open-database.js';
import type { Logger } from '../logger.js';
import { settingsMigrations } from './migrations/index.js';

export const defaultSettings: Settings = {
  streamFormat: 'hls',
  streamQuality: 'high',
  cacheQuotaBytes: 10 * 1024 ** 3,
  downloadFormat: 'mp3',
  downloadFolder: null,
  volume: 0.8,
  muted: false,
  notifyOnTrackChange: false,
  audio: defaultAudioSettings,
};

/** Who is signed in (never a token): restored at start when the vault still holds the tokens. */
export const SessionRecord = z.object({
  userId: z.string().min(1),
  email: z.string().optional(),
  country: z.string().min(2),
  method: z.enum(['browser', 'password', 'demo']),
});
export type SessionRecord = z.infer<typeof SessionRecord>;

const TrackLoudnessRecord = z.object({ lufs: z.number(), measuredSec: z.number().nonnegative() });

/** What the listener asked to keep offline (a release or playlist and its tracks). */
export const OfflineItemRecord = z.object({
  itemId: z.string(),
  kind: z.enum(['release', 'playlist']),
  title: z.string(),
  trackCount: z.number().int().nonnegative(),
  cachedCount: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  state: z.enum(['queued', 'downloading', 'ready', 'failed']),
  error: z.object({ code: z.enum(appErrorCodes), message: z.string() }).optional(),
  trackIds: z.array(z.string()),
  /** The listener who asked for it: another account on this device neither sees nor plays it. */
  userId: z.string().optional(),
});
export type OfflineItemRecord = z.infer<typeof OfflineItemRecord>;

export type SettingsStore = {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
  /** A stable random id for this install (the API's clientId / offline deviceId). */
  clientId(): string;
  /** Each listener's own saved queue: another account never sees it. */
  getSavedQueue(userId: string): SavedQueue | null;
  saveQueue(userId: string, queue: SavedQueue): void;
  getSessionRecord(): SessionRecord | null;
  setSessionRecord(record: SessionRecord | null): void;
  getOfflineItems(): OfflineItemRecord[];
  setOfflineItems(items: OfflineItemRecord[]): void;
  /** A track's loudness as the player measured it (kept for normalisation across runs). */
  getTrackLoudness(trackId: string): TrackLoudness | null;
  saveTrackLoudness(trackId: string, loudness: TrackLoudness): void;
  isDeviceAuthorised(userId: string): boolean;
  setDeviceAuthorised(userId: string, authorised: boolean): void;
  close(): void;
};

export function settingsDatabasePath(dataDir: string): string {
  return join(dataDir, 'settings.sqlite');
}

export function createSettingsStore(deps: { dataDir: string; logger: Logger }): SettingsStore {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const path = settingsDatabasePath(deps.dataDir);
  const db: SqliteDatabase = openDatabase(path, { migrations: settingsMigrations });
  const read = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const write = db.prepare<[string, string, string]>(
    'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string]>('DELETE FROM kv WHERE key = ?');

  /** A stored value that no longer parses is reported and replaced by the fallback, not fatal. */
  const readJson = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    const row = read.get(key);
    if (!row) return fallback;
    let json: unknown;
    try {
      json = JSON.parse(row.value);
    } catch (error) {
      deps.logger.warn(`stored ${key} is not JSON; using the default`, { error });
      return fallback;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      deps.logger.warn(`stored ${key} is invalid; using the default`, {
        issues: parsed.error.issues.slice(0, 3),
      });
      return fallback;
    }
    return parsed.data;
  };
  /** A full disk (SQLITE_FULL/ENOSPC) becomes disk_full, not an internal error. */
  const writeJson = (key: string, value: unknown): void => {
    try {
      write.run(key, JSON.stringify(value), new Date().toISOString());
    } catch (error) {
      throw toDatabaseError(error, path);
    }
  };

  const StoredSettings = Settings.partial();

  return {
    get() {
      return { ...defaultSettings, ...stripUndefined(readJson('settings', StoredSettings, {})) };
    },
    update(patch) {
      const next = Settings.safeParse({ ...this.get(), ...stripUndefined(patch) });
      if (!next.success)
        throw new AppError({
          code: 'invalid_input',
          message: `Invalid settings: ${next.error.issues[0]?.message ?? ''}`,
        });
      writeJson('settings', next.data);
      return next.data;
    },
    clientId() {
      const existing = read.get('clientId');
      if (existing) return JSON.parse(existing.value) as string;
      const id = `septet-${randomUUID()}`;
      writeJson('clientId', id);
      return id;
    },
    getSavedQueue(userId) {
      const own = readJson(`queue:${userId}`, SavedQueue.nullable(), null);
      if (own) return own;
      // Before queues were per listener there was one, of whoever was signed in then.
      return this.getSessionRecord()?.userId === userId
        ? readJson('queue', SavedQueue.nullable(), null)
        : null;
    },
    saveQueue(userId, queue) {
      writeJson(`queue:${userId}`, queue);
    },
    getTrackLoudness(trackId) {
      return readJson(`loudness:${trackId}`, TrackLoudnessRecord.nullable(), null);
    },
    saveTrackLoudness(trackId, loudness) {
      writeJson(`loudness:${trackId}`, loudness);
    },
    getSessionRecord() {
      return readJson('session', SessionRecord.nullable(), null);
    },
    setSessionRecord(record) {
      if (record) writeJson('session', record);
      else {
        try {
          remove.run('session');
        } catch (error) {
          throw toDatabaseError(error, path);
        }
      }
    },
    getOfflineItems() {
      return readJson('offlineItems', z.array(OfflineItemRecord), []);
    },
    setOfflineItems(items) {
      writeJson('offlineItems', items);
    },
    isDeviceAuthorised(userId) {
      return readJson('authorisedUsers', z.array(z.string()), []).includes(userId);
    },
    setDeviceAuthorised(userId, authorised) {
      const users = new Set(readJson('authorisedUsers', z.array(z.string()), []));
      if (authorised) users.add(userId);
      else users.delete(userId);
      writeJson('authorisedUsers', [...users]);
    },
    close() {
      db.close();
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
