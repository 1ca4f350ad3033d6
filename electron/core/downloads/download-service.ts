// Purchase downloads (docs/architecture.md §3d): streamed to "<final>.part" in the folder
// the user chose, resumed with Range after an interruption, size checked against
// Content-Length/Content-Range, SHA-256 recorded, and only then moved to the final name — a
// half-written file never appears under its final name. The resume record (final name, size,
// validator) lives in the service's own state folder, not in the user's.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { appendFile, link, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { errorFromFailedResponse, toNetworkError } from '../api/response.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import { type CoreLogger, type GetSession, type UpstreamFetch } from '../media-gateway/upstream.js';
import { alternativeName, filenameFromContentDisposition, sanitizeFileName } from './file-names.js';

export type DownloadKind = 'track' | 'release' | 'purchase';

export type DownloadRequest = {
  kind: DownloadKind;
  /** trackId, releaseId or purchaseId. */
  id: string;
  /** Folder the user chose. */
  folder: string;
  /** Download format (e.g. 17 MP3 320, 45 FLAC); the service picks when absent. */
  formatId?: string;
  /** The file's name without its extension ("Artist - Title"); else the service's, else by id. */
  baseName?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
};

export type DownloadProgress = { kind: DownloadKind; id: string; bytes: number; total: number | null };

export type DownloadResult = {
  path: string;
  fileName: string;
  bytes: number;
  sha256: string;
  /** True when bytes from an earlier, interrupted attempt were kept. */
  resumed: boolean;
};

export type DownloadEvent =
  | ({ type: 'progress' } & DownloadProgress)
  | { type: 'completed'; kind: DownloadKind; id: string; result: DownloadResult }
  | { type: 'failed'; kind: DownloadKind; id: string; error: AppError; partialBytes: number };

export type DownloadServiceDeps = {
  upstream: UpstreamFetch;
  getSession: GetSession;
  /** Folder for resume records and the checksum log. */
  stateDir: string;
  /** Attempts per call, resuming after each network failure (default 4). */
  maxAttempts?: number;
  retryDelayMs?: number;
  log?: CoreLogger;
  onEvent?: (event: DownloadEvent) => void;
};

type ResumeRecord = { finalName: string; total: number | null; validator: string | null };

const operations: Record<DownloadKind, { operationId: string; param: string; ext: string }> = {
  track: { operationId: 'downloadPurchasedTrack', param: 'trackId', ext: '' },
  release: { operationId: 'downloadPurchasedReleaseZip', param: 'releaseId', ext: '.zip' },
  purchase: { operationId: 'downloadPurchaseZip', param: 'purchaseId', ext: '.zip' },
};

const extensionByType: Record<string, string> = {
  'audio/mpeg': '.mp3',
  'audio/flac': '.flac',
  'audio/mp4': '.m4a',
  'audio/aac': '.m4a',
  'application/zip': '.zip',
  'application/x-zip-compressed': '.zip',
};

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function fileError(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  const code = errnoOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError(
      {
        code: 'disk_full',
        message: `${what}: the disk is full. Free some space and retry; the download will resume.`,
      },
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError(
      { code: 'forbidden', message: `${what}: cannot write to the chosen folder (${code})` },
      { cause: error },
    );
  }
  return new AppError({ code: 'internal', message: `${what}: ${String(error)}` }, { cause: error });
}

function extensionOf(name: string | null): string {
  const ext = /\.[a-z0-9]{2,5}$/i.exec(name ?? '');
  return ext ? ext[0].toLowerCase() : '';
}

type CompletedRecord = DownloadResult & { kind: DownloadKind; id: string; formatId: string | null };

function parseCompleted(line: string): CompletedRecord | null {
  try {
    const entry = JSON.parse(line) as Partial<CompletedRecord>;
    if (typeof entry.path !== 'string' || typeof entry.bytes !== 'number') return null;
    return { ...(entry as CompletedRecord), formatId: entry.formatId ?? null };
  } catch {
    return null;
  }
}

function parseContentRange(
  header: string | null,
): { start: number; end: number; total: number | null } | null {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

export type DownloadService = ReturnType<typeof createDownloadService>;

export function createDownloadService(deps: DownloadServiceDeps) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const maxAttempts = deps.maxAttempts ?? 4;
  const retryDelayMs = deps.retryDelayMs ?? 500;
  const recordsDir = join(deps.stateDir, 'downloads');
  const active = new Map<string, Promise<DownloadResult>>();

  const keyOf = (request: DownloadRequest) =>
    createHash('sha256')
      .update([resolve(request.folder), request.kind, request.id, request.formatId ?? ''].join('\u0000'))
      .digest('hex')
      .slice(0, 32);

  async function readRecord(key: string): Promise<ResumeRecord | null> {
    try {
      return JSON.parse(await readFile(join(recordsDir, `${key}.json`), 'utf8')) as ResumeRecord;
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return null;
      deps.log?.warn('unreadable download resume record, starting afresh', { key });
      return null;
    }
  }

  async function writeRecord(key: string, record: ResumeRecord): Promise<void> {
    mkdirSync(recordsDir, { recursive: true });
    const path = join(recordsDir, `${key}.json`);
    await writeFile(`${path}.tmp`, JSON.stringify(record));
    await rename(`${path}.tmp`, path);
  }

  /** Moves the complete .part to its final name without ever replacing an existing file. */
  async function publish(partPath: string, folder: string, finalName: string): Promise<string> {
    for (let n = 0; n < 1000; n += 1) {
      const name = n === 0 ? finalName : alternativeName(finalName, n);
      const target = join(folder, name);
      try {
        await link(partPath, target);
        await unlink(partPath);
        return target;
      } catch (error) {
        const code = errnoOf(error);
        if (code === 'EEXIST') {
          // A crash between link and unlink left both names on one file: finish that move.
          const [a, b] = await Promise.all([stat(partPath), stat(target)]);
          if (a.ino === b.ino && a.dev === b.dev) {
            await unlink(partPath);
            return target;
          }
          continue;
        }
        // File systems without hard links (FAT/exFAT, some network shares): check, then rename.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV') {
          if (existsSync(target)) continue;
          await rename(partPath, target);
          return target;
        }
        throw error;
      }
    }
    throw new AppError({ code: 'internal', message: `no free file name for ${finalName}` });
  }

  async function attempt(
    request: DownloadRequest,
    key: string,
    record: ResumeRecord | null,
    report: (bytes: number, total: number | null) => void,
  ): Promise<{ record: ResumeRecord; partPath: string; resumed: boolean }> {
    // Long by design (over 80 lines): one attempt's steps (resume record, request, write, verify, rename) share the open .part file and its progress.
    const session = deps.getSession();
    if (!session) throw new AppError({ code: 'unauthorized', message: 'Sign in to download purchases.' });
    const op = operations[request.kind];
    const what = `download ${request.kind} ${request.id}`;
    const folder = resolve(request.folder);
    let offset = record ? ((await sizeOf(join(folder, `${record.finalName}.part`))) ?? 0) : 0;
    if (record && record.total !== null && offset > record.total) offset = 0;
    const headers: Record<string, string> = {};
    if (record && offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (record.validator && !record.validator.startsWith('W/')) headers['if-range'] = record.validator;
    }
    const query: Record<string, string | undefined> = {
      formatId: request.formatId,
      country: session.country,
    };
    const init = { path: { userId: session.userId, [op.param]: request.id }, query, headers };
    // Asking for the bytes after a complete .part answers 416 (as a response, or as an AppError
    // from an API client that throws on non-2xx): the file is already whole.
    const alreadyComplete = (status: number | undefined) =>
      status === 416 && record !== null && offset > 0 && record.total === offset;
    let response: Response;
    try {
      response = await deps.upstream(
        op.operationId,
        request.signal ? { ...init, signal: request.signal } : init,
      );
    } catch (error) {
      if (isAppError(error) && record && alreadyComplete(error.status)) {
        return { record, partPath: join(folder, `${record.finalName}.part`), resumed: true };
      }
      throw toNetworkError(error, what);
    }
    if (record && alreadyComplete(response.status)) {
      await response.body?.cancel();
      return { record, partPath: join(folder, `${record.finalName}.part`), resumed: true };
    }
    if (!response.ok) throw await errorFromFailedResponse(response, { what });

    let append = false;
    let total: number | null;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (!range || range.start !== offset) {
        await response.body?.cancel();
        throw new AppError({ code: 'malformed_response', message: `${what}: unexpected Content-Range` });
      }
      append = true;
      total = range.total;
    } else {
      const length = response.headers.get('content-length');
      total = length === null ? null : Number(length);
      offset = 0; // the server ignored the Range (or there was none): start over
    }
    const validator = response.headers.get('etag') ?? response.headers.get('last-modified');
    let current: ResumeRecord;
    if (record && append) {
      current = { ...record, total: total ?? record.total };
    } else {
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const proposed = filenameFromContentDisposition(response.headers.get('content-disposition'));
      const ext = op.ext || extensionOf(proposed) || extensionByType[contentType] || '';
      const fallback = `${request.kind}-${request.id}${ext}`;
      const finalName =
        record?.finalName ??
        (request.baseName ? sanitizeFileName(`${request.baseName}${ext}`) : null) ??
        sanitizeFileName(proposed ?? '') ??
        sanitizeFileName(fallback) ??
        `download-${key}`;
      current = { finalName, total, validator };
    }
    // A full disk here is disk_full (not retried as if the network had failed).
    await writeRecord(key, current).catch((error: unknown) => {
      throw fileError(error, what);
    });
    const partPath = join(folder, `${current.finalName}.part`);
    if (dirname(partPath) !== folder)
      throw new AppError({ code: 'internal', message: 'unsafe download path' });

    const handle = await open(partPath, append ? 'a' : 'w').catch((error: unknown) => {
      throw fileError(error, what);
    });
    let written = offset;
    try {
      if (response.body) {
        for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
          try {
            await handle.write(piece);
          } catch (error) {
            throw fileError(error, what);
          }
          written += piece.byteLength;
          report(written, current.total);
        }
      }
      await handle.sync().catch((error: unknown) => {
        throw fileError(error, what);
      });
    } catch (error) {
      throw isAppError(error) ? error : toNetworkError(error, what);
    } finally {
      await handle.close();
    }
    if (current.total !== null && written !== current.total) {
      throw new AppError({ code: 'network', message: `${what}: got ${written} of ${current.total} bytes` });
    }
    return { record: current, partPath, resumed: offset > 0 };
  }

  async function run(request: DownloadRequest): Promise<DownloadResult> {
    const key = keyOf(request);
    const what = `download ${request.kind} ${request.id}`;
    mkdirSync(request.folder, { recursive: true });
    let resumed = false;
    let lastBytes = 0;
    let reported = -Infinity;
    const report = (bytes: number, total: number | null) => {
      lastBytes = bytes;
      // At most ~200 events per download (and every 256 KiB at least), plus the last one.
      const step = Math.max(256 * 1024, (total ?? 0) / 200);
      if (bytes - reported < step && bytes !== total) return;
      reported = bytes;
      const progress = { kind: request.kind, id: request.id, bytes, total };
      request.onProgress?.(progress);
      deps.onEvent?.({ type: 'progress', ...progress });
    };
    for (let n = 1; ; n += 1) {
      const record = await readRecord(key);
      try {
        const done = await attempt(request, key, record, report);
        resumed ||= done.resumed;
        const bytes = (await sizeOf(done.partPath)) ?? 0;
        const sha256 = await sha256Of(done.partPath);
        const path = await publish(done.partPath, resolve(request.folder), done.record.finalName).catch(
          (error: unknown) => {
            throw fileError(error, what);
          },
        );
        await rm(join(recordsDir, `${key}.json`), { force: true });
        const result: DownloadResult = {
          path,
          fileName: path.slice(resolve(request.folder).length + 1),
          bytes,
          sha256,
          resumed,
        };
        mkdirSync(recordsDir, { recursive: true });
        await appendFile(
          join(recordsDir, 'completed.jsonl'),
          `${JSON.stringify({ ...result, kind: request.kind, id: request.id, formatId: request.formatId ?? null, completedAt: new Date().toISOString() })}\n`,
        );
        deps.onEvent?.({ type: 'completed', kind: request.kind, id: request.id, result });
        return result;
      } catch (error) {
        const appError = isAppError(error) ? error : toNetworkError(error, what);
        const retryable = ['network', 'timeout'].includes(appError.code) || (appError.status ?? 0) >= 500;
        if (!retryable || n >= maxAttempts || request.signal?.aborted) {
          deps.log?.warn('download failed', { kind: request.kind, id: request.id, code: appError.code });
          deps.onEvent?.({
            type: 'failed',
            kind: request.kind,
            id: request.id,
            error: appError,
            partialBytes: lastBytes,
          });
          throw appError;
        }
        deps.log?.info('download interrupted, resuming', { kind: request.kind, id: request.id, attempt: n });
        resumed = true;
        try {
          await delay(retryDelayMs * n, undefined, request.signal ? { signal: request.signal } : undefined);
        } catch (cause) {
          const cancelled = new AppError({ code: 'cancelled', message: `${what}: cancelled` }, { cause });
          deps.onEvent?.({
            type: 'failed',
            kind: request.kind,
            id: request.id,
            error: cancelled,
            partialBytes: lastBytes,
          });
          throw cancelled;
        }
      }
    }
  }

  function start(request: DownloadRequest): Promise<DownloadResult> {
    const key = keyOf(request);
    const running = active.get(key);
    if (running) return running;
    const task = run(request).finally(() => active.delete(key));
    active.set(key, task);
    return task;
  }

  /** The file an earlier download of this item (same format, same folder) saved, if it is still there. */
  async function completed(
    request: Pick<DownloadRequest, 'kind' | 'id' | 'folder' | 'formatId'>,
  ): Promise<DownloadResult | null> {
    let lines: string[];
    try {
      lines = (await readFile(join(recordsDir, 'completed.jsonl'), 'utf8')).split('\n');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return null;
      throw error;
    }
    const folder = resolve(request.folder);
    for (const line of lines.reverse()) {
      const entry = parseCompleted(line);
      if (!entry || entry.kind !== request.kind || entry.id !== request.id) continue;
      if (entry.formatId !== (request.formatId ?? null) || dirname(resolve(entry.path)) !== folder) continue;
      if ((await sizeOf(entry.path)) === entry.bytes) return entry;
    }
    return null;
  }

  return {
    download: start,
    completed,
    downloadPurchasedTrack(
      args: { trackId: string; folder: string; formatId?: string } & Pick<
        DownloadRequest,
        'onProgress' | 'signal'
      >,
    ) {
      const { trackId, ...rest } = args;
      return start({ kind: 'track', id: trackId, ...rest });
    },
    downloadPurchasedReleaseZip(
      args: { releaseId: string; folder: string; formatId?: string } & Pick<
        DownloadRequest,
        'onProgress' | 'signal'
      >,
    ) {
      const { releaseId, ...rest } = args;
      return start({ kind: 'release', id: releaseId, ...rest });
    },
    downloadPurchaseZip(
      args: { purchaseId: string; folder: string } & Pick<DownloadRequest, 'onProgress' | 'signal'>,
    ) {
      const { purchaseId, ...rest } = args;
      return start({ kind: 'purchase', id: purchaseId, ...rest });
    },
    /** Forgets an interrupted download: deletes its .part and resume record. */
    async discard(request: Pick<DownloadRequest, 'kind' | 'id' | 'folder' | 'formatId'>): Promise<void> {
      const key = keyOf(request as DownloadRequest);
      const record = await readRecord(key);
      if (record) await rm(join(resolve(request.folder), `${record.finalName}.part`), { force: true });
      await rm(join(recordsDir, `${key}.json`), { force: true });
    },
  };
}
