// The encrypted offline cache (docs/architecture.md §3c): authorises this device, fetches tracks
// through the offline streaming endpoints, stores them encrypted at rest (chunked-cipher.ts)
// under per-file keys wrapped by the vault's master key, indexes them in SQLite, keeps a size
// quota with LRU eviction of unpinned entries, and refuses to play once the subscription lapsed.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { applyMigration } from '../../../shared/db/migrate.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import { serviceErrorCodes } from '../../../shared/service-errors.js';
import { errorFromFailedResponse, toNetworkError } from '../api/response.js';
import { openDatabase } from '../db/open-database.js';
import { defaultUrlFetch, type SessionInfo } from '../media-gateway/upstream.js';
import { cacheIndexMigrations, createCacheIndex, type CacheRow } from './cache-index.js';
import {
  createEncryptedFileWriter,
  defaultChunkSize,
  isKeyUnwrapFailure,
  newFileId,
  newFileKey,
  openEncryptedFile,
  unwrapFileKey,
  wrapFileKey,
  type EncryptedFileReader,
} from './chunked-cipher.js';
import { cachedTrack } from './cached-track.js';
import { createDeviceAuthorisation } from './device-authorisation.js';
import { checkSubscriptionRecord, recordRefreshMs } from './entitlement.js';
import { asAppError, writeHlsParts, writeProgressive } from './fetch-parts.js';
import type {
  MakeAvailableResult,
  OfflineCacheDeps,
  OfflineCacheEvent,
  OfflineEntryView,
  OfflineFormat,
  OfflineProgress,
  OfflineTrack,
} from './offline-cache-types.js';

export type * from './offline-cache-types.js';

export type OfflineCacheService = ReturnType<typeof createOfflineCacheService>;

const operationFor: Record<OfflineFormat, string> = {
  hls: 'streamSubscriptionTrackOfflineHls',
  progressive: 'streamSubscriptionTrackOfflineProgressive',
};

export function createOfflineCacheService(deps: OfflineCacheDeps) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const now = deps.now ?? Date.now;
  const fetchUrl = deps.fetchUrl ?? defaultUrlFetch;
  const chunkSize = deps.chunkSize ?? defaultChunkSize;
  const offlineGraceMs = deps.offlineGraceMs ?? 30 * 24 * 3600_000;
  const partTimeoutMs = 120_000;
  const progressStepBytes = 256 * 1024;
  let quotaBytes = deps.quotaBytes ?? 10 * 1024 ** 3;
  const filesDir = join(deps.dir, 'files');
  const tmpDir = join(deps.dir, 'tmp');
  mkdirSync(filesDir, { recursive: true });
  mkdirSync(tmpDir, { recursive: true });
  const ownsDb = !deps.database;
  const db =
    deps.database ?? openDatabase(join(deps.dir, 'index.sqlite'), { migrations: cacheIndexMigrations });
  if (deps.database) {
    // The caller's database: apply our tables if absent.
    const has = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'offline_entries'").get();
    if (!has) db.transaction(() => cacheIndexMigrations.forEach((m) => applyMigration(db, m)))();
  }
  const index = createCacheIndex(db);
  const inFlight = new Map<string, Promise<void>>();
  const background = new Set<Promise<void>>();
  const device = createDeviceAuthorisation({
    call: deps.call,
    deviceName: deps.deviceName ?? 'Septet desktop',
    ...(deps.platform ? { platform: deps.platform } : {}),
  });
  const ensureAuthorised = device.ensure;

  const filePath = (fileId: string) => join(filesDir, `${fileId}.sptc`);
  const emit = (event: OfflineCacheEvent) => deps.onEvent?.(event);

  // A crash can leave a temp file (never indexed) or, between rename and insert, an unindexed
  // file: both are invisible and are swept here. An indexed row whose file vanished is dropped.
  function sweep(): void {
    for (const name of readdirSync(tmpDir)) rmSync(join(tmpDir, name), { force: true });
    const known = new Set(index.list().map((row) => `${row.fileId}.sptc`));
    for (const name of readdirSync(filesDir))
      if (!known.has(name)) rmSync(join(filesDir, name), { force: true });
    for (const row of index.list()) if (!existsSync(filePath(row.fileId))) index.delete(row.trackId);
  }
  sweep();

  function requireSession(): SessionInfo {
    const session = deps.getSession();
    if (!session) throw new AppError({ code: 'unauthorized', message: 'Sign in to use offline tracks.' });
    return session;
  }

  const checkEntitlement = (session: SessionInfo): void =>
    checkSubscriptionRecord(index, session, { now: now(), offlineGraceMs });

  async function masterKey(): Promise<Buffer> {
    const key = await deps.getMasterKey();
    if (key.length !== 32)
      throw new AppError({ code: 'internal', message: 'cache master key must be 32 bytes' });
    return key;
  }

  /** GETs a track from the offline streaming endpoint; re-authorises the device once on a 2002. */
  async function requestOffline(
    session: SessionInfo,
    trackId: string,
    operationId: string,
  ): Promise<Response> {
    const what = `cache track ${trackId}`;
    const request = async (): Promise<Response> => {
      const response = await deps
        .upstream(operationId, {
          path: { trackId },
          query: { clientId: session.clientId, country: session.country },
        })
        .catch((error: unknown) => {
          throw toNetworkError(error, what);
        });
      if (!response.ok) throw await errorFromFailedResponse(response, { what });
      return response;
    };
    try {
      return await request();
    } catch (error) {
      // Authorised earlier this run but refused now (deauthorised elsewhere?): authorise again, once.
      if (!isAppError(error) || error.serviceCode !== serviceErrorCodes.notAvailable) throw error;
      device.forget();
      await ensureAuthorised(session);
      return request();
    }
  }

  /** Fetches a track into a new encrypted file and indexes it (replacing an older copy). */
  async function fetchIntoCache(
    trackId: string,
    format: OfflineFormat,
    pin: boolean,
    progress: (bytes: number, totalBytes: number | null) => void,
  ): Promise<void> {
    const session = requireSession();
    checkEntitlement(session);
    await ensureAuthorised(session);
    const key = await masterKey();
    const fileKey = newFileKey();
    const fileIdBytes = newFileId();
    const fileId = fileIdBytes.toString('hex');
    const tmpPath = join(tmpDir, `${fileId}.part`);
    const operationId = operationFor[format];
    const what = `cache track ${trackId}`;
    const writer = await createEncryptedFileWriter(tmpPath, { key: fileKey, fileId: fileIdBytes, chunkSize });
    let sealed = false;
    try {
      let received = 0;
      const onBytes = (n: number, total: number | null) => {
        received += n;
        progress(received, total);
      };
      const response = await requestOffline(session, trackId, operationId);
      const { parts, contentType } =
        format === 'progressive'
          ? await writeProgressive(response, writer, onBytes, what)
          : await writeHlsParts(response, writer, { fetchUrl, timeoutMs: partTimeoutMs, onBytes, what });
      const summary = await writer.finish();
      sealed = true;
      makeRoomFor(summary.storedBytes, trackId);
      const previous = index.get(trackId);
      renameSync(tmpPath, filePath(fileId));
      index.upsert({
        trackId,
        userId: session.userId,
        sourceOperation: operationId,
        format,
        contentType,
        fileId,
        plainBytes: summary.plainBytes,
        storedBytes: summary.storedBytes,
        chunkSize: summary.chunkSize,
        chunkCount: summary.chunkCount,
        sha256: summary.sha256,
        wrappedKey: wrapFileKey(key, fileKey, fileIdBytes),
        parts,
        pinned: pin || (previous?.pinned ?? false),
        lastPlayed: previous?.lastPlayed ?? null,
        createdAt: now(),
      });
      if (previous && previous.fileId !== fileId) await rm(filePath(previous.fileId), { force: true });
      emit({ type: 'added', trackId });
    } catch (error) {
      if (!sealed) await writer.abort();
      await rm(tmpPath, { force: true });
      throw asAppError(error, what);
    }
  }

  /** Evicts unpinned entries, least recently played first, until `incoming` more bytes fit. */
  function makeRoomFor(incoming: number, forTrack: string): void {
    const current = index.get(forTrack);
    let used = index.usage().usedBytes - (current?.storedBytes ?? 0);
    if (used + incoming <= quotaBytes) return;
    const candidates = index.evictionCandidates().filter((row) => row.trackId !== forTrack);
    const evictable = candidates.reduce((sum, row) => sum + row.storedBytes, 0);
    if (used - evictable + incoming > quotaBytes) {
      // Evicting would not make room: keep what is cached.
      throw new AppError({
        code: 'limit_reached',
        message: 'The offline storage limit is full of tracks kept offline: remove some or raise the limit.',
      });
    }
    for (const row of candidates) {
      if (used + incoming <= quotaBytes) break;
      if (row.trackId === forTrack) continue;
      removeRow(row);
      used -= row.storedBytes;
      emit({ type: 'evicted', trackId: row.trackId });
    }
    if (used + incoming > quotaBytes) {
      throw new AppError({
        code: 'limit_reached',
        message: 'The offline storage limit is full of tracks kept offline: remove some or raise the limit.',
      });
    }
  }

  function removeRow(row: CacheRow): void {
    index.delete(row.trackId);
    rmSync(filePath(row.fileId), { force: true });
  }

  function makeOne(
    trackId: string,
    format: OfflineFormat,
    pin: boolean,
    progress: (b: number, t: number | null) => void,
  ) {
    const running = inFlight.get(trackId);
    if (running) return running;
    const task = fetchIntoCache(trackId, format, pin, progress).finally(() => inFlight.delete(trackId));
    inFlight.set(trackId, task);
    return task;
  }

  function markBad(row: CacheRow, error: AppError): void {
    if (index.get(row.trackId)?.status === 'bad') return;
    index.setStatus(row.trackId, 'bad');
    deps.log?.warn('offline entry failed verification', { trackId: row.trackId, reason: error.message });
    emit({ type: 'corrupted', trackId: row.trackId, message: error.message });
    if (deps.refetchCorrupted === false) return;
    const session = deps.getSession();
    if (!session || session.subscriptionActive === null) return; // offline: verify() retries later
    const task = makeOne(row.trackId, row.format, row.pinned, () => undefined).catch((e: unknown) => {
      const appError = asAppError(e, `re-fetch ${row.trackId}`);
      deps.log?.error('re-fetching a corrupted offline entry failed', {
        trackId: row.trackId,
        code: appError.code,
      });
      emit({ type: 'refetchFailed', trackId: row.trackId, error: appError });
    });
    background.add(task);
    void task.finally(() => background.delete(task));
  }

  async function openReader(row: CacheRow): Promise<EncryptedFileReader> {
    const fileIdBytes = Buffer.from(row.fileId, 'hex');
    const fileKey = unwrapFileKey(await masterKey(), row.wrappedKey, fileIdBytes);
    const reader = await openEncryptedFile(filePath(row.fileId), { key: fileKey, fileId: fileIdBytes });
    if (reader.plainBytes !== row.plainBytes || reader.chunkCount !== row.chunkCount) {
      await reader.close();
      throw new AppError({
        code: 'integrity',
        message: `cache file of ${row.trackId} does not match its index`,
      });
    }
    return reader;
  }

  function guard<T>(row: CacheRow, fn: () => Promise<T>): Promise<T> {
    return fn().catch((error: unknown) => {
      if (isAppError(error) && error.code === 'integrity' && !isKeyUnwrapFailure(error)) markBad(row, error);
      throw error;
    });
  }

  function usableRow(trackId: string): CacheRow {
    const row = index.get(trackId);
    if (!row || row.status !== 'ok') {
      throw new AppError({ code: 'offline', message: `Track ${trackId} is not available offline.` });
    }
    return row;
  }

  return {
    /** Authorises this device (once per run) and caches each track through the offline endpoints. */
    async makeAvailable(
      trackIds: readonly string[],
      options: { pin?: boolean; format?: OfflineFormat; onProgress?: (p: OfflineProgress) => void } = {},
    ): Promise<MakeAvailableResult[]> {
      const pin = options.pin ?? true;
      const format = options.format ?? deps.defaultFormat ?? 'hls';
      const results: MakeAvailableResult[] = [];
      const userId = deps.getSession()?.userId;
      for (const [i, trackId] of trackIds.entries()) {
        const existing = index.get(trackId);
        // Cached by another account: fetched again under this one, so the service authorises this listener's copy.
        if (existing?.status === 'ok' && existing.userId === userId) {
          if (pin && !existing.pinned) index.setPinned(trackId, true);
          results.push({ trackId, ok: true });
          continue;
        }
        let reported = -Infinity;
        const report = (bytes: number, totalBytes: number | null, done = false) => {
          if (!done && bytes - reported < progressStepBytes) return; // no flood of tiny events
          reported = bytes;
          options.onProgress?.({ trackId, index: i, total: trackIds.length, bytes, totalBytes, done });
        };
        try {
          let last = 0;
          await makeOne(trackId, format, pin, (bytes, total) => {
            last = bytes;
            report(bytes, total);
          });
          report(last, last, true);
          results.push({ trackId, ok: true });
        } catch (error) {
          const appError = asAppError(error, `cache track ${trackId}`);
          deps.log?.warn('could not make a track available offline', { trackId, code: appError.code });
          results.push({ trackId, ok: false, error: appError });
          // Without a subscription, device or space, the rest would fail the same way.
          if (
            ['unauthorized', 'not_available', 'limit_reached', 'disk_full'].includes(appError.code) &&
            appError.serviceCode !== 2001
          ) {
            for (const rest of trackIds.slice(i + 1))
              results.push({ trackId: rest, ok: false, error: appError });
            break;
          }
        }
      }
      return results;
    },

    remove(trackIds: readonly string[]): void {
      for (const trackId of trackIds) {
        const row = index.get(trackId);
        if (!row) continue;
        removeRow(row);
        emit({ type: 'removed', trackId });
      }
    },

    setPinned(trackId: string, pinned: boolean): void {
      index.setPinned(trackId, pinned);
    },

    has(trackId: string): boolean {
      return index.get(trackId)?.status === 'ok';
    },

    formatOf(trackId: string): OfflineFormat | null {
      const row = index.get(trackId);
      return row?.status === 'ok' ? row.format : null;
    },

    list(): OfflineEntryView[] {
      return index.list().map((row) => ({
        trackId: row.trackId,
        format: row.format,
        contentType: row.contentType,
        bytes: row.plainBytes,
        storedBytes: row.storedBytes,
        chunkCount: row.chunkCount,
        pinned: row.pinned,
        status: row.status,
        lastPlayed: row.lastPlayed === null ? null : new Date(row.lastPlayed).toISOString(),
        createdAt: new Date(row.createdAt).toISOString(),
        sourceOperation: row.sourceOperation,
        sha256: row.sha256,
      }));
    },

    usage(): { usedBytes: number; quotaBytes: number; count: number } {
      return { ...index.usage(), quotaBytes };
    },

    /** Lowers or raises the quota; lowering evicts unpinned entries at once. */
    setQuota(bytes: number): void {
      quotaBytes = bytes;
      try {
        makeRoomFor(0, '');
      } catch (error) {
        deps.log?.warn('offline quota is below what pinned tracks use', { quotaBytes: bytes });
        if (!isAppError(error) || error.code !== 'limit_reached') throw error;
      }
    },

    /**
     * Opens a cached track for playing. Refuses when the subscription lapsed (or, offline, when
     * the last known subscription has run out). Whether the listener kept this track offline is
     * the stream resolver's decision (their offline items): one copy serves every account on the
     * device that asked for it, whoever fetched it last.
     */
    async openTrack(trackId: string): Promise<OfflineTrack> {
      const session = requireSession();
      checkEntitlement(session);
      const row = usableRow(trackId);
      const reader = await guard(row, () => openReader(row));
      const openedAt = now();
      if (row.lastPlayed === null || openedAt - row.lastPlayed >= recordRefreshMs)
        index.touch(trackId, openedAt);
      return cachedTrack(row, reader, {
        guard: (run) => guard(row, run),
        onIntegrityFailure: (error) => markBad(row, error),
      });
    },

    /** Authenticates every chunk of every entry; corrupted ones are marked bad (and re-fetched). */
    async verify(): Promise<{ checked: number; bad: string[] }> {
      const bad: string[] = [];
      let checked = 0;
      for (const row of index.list()) {
        checked += 1;
        if (row.status === 'bad') {
          bad.push(row.trackId);
          continue;
        }
        try {
          const reader = await openReader(row);
          try {
            for (let i = 0; i < reader.chunkCount; i += 1) await reader.readChunk(i);
          } finally {
            await reader.close();
          }
        } catch (error) {
          if (!isAppError(error) || error.code !== 'integrity') throw error;
          if (isKeyUnwrapFailure(error)) throw error;
          bad.push(row.trackId);
          markBad(row, error);
        }
      }
      return { checked, bad };
    },

    /**
     * Removes entries whose key no longer unwraps (the keychain's master key was replaced):
     * they can never play again. Returns the removed track ids.
     */
    async purgeUnreadable(): Promise<string[]> {
      const key = await masterKey();
      const removed: string[] = [];
      for (const row of index.list()) {
        try {
          unwrapFileKey(key, row.wrappedKey, Buffer.from(row.fileId, 'hex'));
        } catch (error) {
          if (!isKeyUnwrapFailure(error)) throw error;
          removeRow(row);
          removed.push(row.trackId);
          emit({ type: 'removed', trackId: row.trackId });
        }
      }
      if (removed.length > 0)
        deps.log?.warn('removed offline entries sealed by a previous master key', { count: removed.length });
      return removed;
    },

    /** Waits for background re-fetches; closes the index if this service opened it. */
    async close(): Promise<void> {
      await Promise.allSettled([...inFlight.values(), ...background]);
      if (ownsDb) db.close();
    },

    /** For diagnostics and tests: the encrypted file behind an entry. */
    storedFileOf(trackId: string): string | null {
      const row = index.get(trackId);
      return row ? filePath(row.fileId) : null;
    },

    /** Bytes on disk under files/ (cross-check of usage()). */
    diskBytes(): number {
      return readdirSync(filesDir).reduce((sum, name) => sum + statSync(join(filesDir, name)).size, 0);
    },
  };
}
