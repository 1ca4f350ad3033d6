// `septet transfer`: bulk media transfer (GET /content-delivery/media-transfer) at no more than
// 50 requests/s (the service's limit) with bounded concurrency. Every finished file is written
// to <name>.part, hashed while streaming, renamed, then appended to a journal; a rerun skips
// files whose journal entry still matches the file on disk (size and SHA-256), so an
// interrupted transfer resumes. At the end SHA256SUMS and manifest.json are written.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError, isAppError } from '../../shared/errors.js';
import type { ApiClient } from '../core/api/client.js';
import { nextRetryDelay, retryAfterOf, sleep } from '../core/api/retry.js';
import {
  createCliContext,
  exitCodes,
  globalHelp,
  parseCommandArgs,
  readAllText,
  usageError,
  type CliIo,
} from './cli-context.js';

export const transferHelp = `Usage: septet transfer --tracks FILE|- --format mp3|flac|aac [--bitrate N] --out DIR
                      [--concurrency N] [--rate N] [--no-progress]

Downloads many tracks through the content-delivery endpoint, signed, at most --rate requests
per second (default and maximum 50, the service's limit) with --concurrency requests in flight
(default 4, max 16). Interrupt it any time (Ctrl-C) and run the same command again: files
already complete are verified against the journal (size + SHA-256) and skipped.

  --tracks FILE   track ids, one per line (blank lines and # comments ignored); - for stdin
  --format        mp3, flac or aac
  --bitrate N     128, 192, 256, 320 or 1411 (flac); service default when omitted
  --out DIR       destination; gets <trackId>.<ext>, SHA256SUMS, manifest.json and a journal
  --no-progress   no progress bar on stderr

Exit code 0 when every track transferred, 1 when some failed (listed in manifest.json), 2 on
invalid arguments, 130 when interrupted.

${globalHelp}`;

const formats = { mp3: 'mp3', flac: 'flac', aac: 'aac' } as const;
type Format = keyof typeof formats;

/** File extension from what the service actually sent (AAC may come as ADTS or in MP4). */
function extensionFor(contentType: string | null, format: Format): string {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'audio/mpeg') return 'mp3';
  if (type === 'audio/flac' || type === 'audio/x-flac') return 'flac';
  if (type === 'audio/mp4' || type === 'audio/x-m4a') return 'm4a';
  if (type === 'audio/aac' || type === 'audio/aacp') return 'aac';
  return formats[format];
}
const bitrates = new Set([128, 192, 256, 320, 1411]);
export const journalName = '.septet-transfer.jsonl';
export const maxRatePerSecond = 50;
const maxAttempts = 4;

function isTransient(error: unknown): boolean {
  if (!isAppError(error)) return false;
  if (['network', 'timeout', 'rate_limited'].includes(error.code)) return true;
  if (error.code === 'malformed_response' && /cut off/.test(error.message)) return true;
  return error.status !== undefined && (error.status === 429 || error.status >= 500);
}

export type JournalEntry = {
  trackId: string;
  format: string;
  bitrate: number | null;
  file: string;
  bytes: number;
  sha256: string;
  completedAt: string;
};

type Failure = { trackId: string; code: string; serviceCode?: number; status?: number; message: string };

/** Reads track ids; throws a usage error naming the line of the first bad id. */
export function parseTrackList(text: string): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    for (const id of line.split(/[\s,]+/)) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
        throw usageError(`--tracks line ${index + 1}: "${id}" is not a track id`);
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  });
  return ids;
}

/** Spaces request starts at least 1000/rate ms apart (a single-slot leaky bucket). */
export function createRateLimiter(ratePerSecond: number, now: () => number = Date.now) {
  const interval = 1000 / ratePerSecond;
  let next = 0;
  /** Books the next start slot; returns how long to wait for it (ms). */
  const reserve = (): number => {
    const at = Math.max(now(), next);
    next = at + interval;
    return at - now();
  };
  return {
    reserve,
    async acquire(signal?: AbortSignal): Promise<void> {
      const wait = reserve();
      if (wait > 0) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, wait);
          signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              reject(new AppError({ code: 'cancelled', message: 'Cancelled' }));
            },
            { once: true },
          );
        });
      }
    },
  };
}

async function sha256File(path: string): Promise<{ sha256: string; bytes: number } | null> {
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), bytes };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readJournal(dir: string): Promise<Map<string, JournalEntry>> {
  const entries = new Map<string, JournalEntry>();
  let text = '';
  try {
    text = await readFile(join(dir, journalName), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as JournalEntry;
      entries.set(journalKey(entry.trackId, entry.format, entry.bitrate), entry);
    } catch {
      // A torn last line from a kill mid-append: that file is simply fetched again.
    }
  }
  return entries;
}

function journalKey(trackId: string, format: string, bitrate: number | null): string {
  return `${trackId}|${format}|${bitrate ?? ''}`;
}

function fsError(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new AppError({ code: 'disk_full', message: `Disk full while writing ${what}` }, { cause: error });
  return new AppError(
    { code: 'internal', message: `Cannot write ${what}: ${(error as Error).message}` },
    { cause: error },
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function createProgress(io: CliIo, total: number, enabled: boolean) {
  const started = Date.now();
  let done = 0;
  let skipped = 0;
  let failed = 0;
  let bytes = 0;
  let lastDraw = 0;
  const tty = Boolean(io.stderr.isTTY);
  const draw = (force = false): void => {
    if (!enabled) return;
    const now = Date.now();
    if (!force && now - lastDraw < (tty ? 100 : 2000)) return;
    lastDraw = now;
    const finished = done + skipped + failed;
    const ratio = total === 0 ? 1 : finished / total;
    const width = 24;
    const filled = Math.round(ratio * width);
    const rate = bytes / Math.max(0.001, (now - started) / 1000);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${finished}/${total} ${Math.floor(ratio * 100)}% ${formatBytes(bytes)} ${formatBytes(rate)}/s skipped ${skipped} failed ${failed}`;
    io.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  };
  return {
    addBytes(n: number) {
      bytes += n;
      draw();
    },
    complete() {
      done++;
      draw();
    },
    skip() {
      skipped++;
      draw();
    },
    fail() {
      failed++;
      draw();
    },
    finish() {
      draw(true);
      if (enabled && tty) io.stderr.write('\n');
      return { done, skipped, failed, bytes };
    },
  };
}

export type TransferOptions = {
  api: ApiClient;
  trackIds: string[];
  format: Format;
  bitrate: number | null;
  outDir: string;
  concurrency: number;
  ratePerSecond: number;
  io: CliIo;
  progress: boolean;
  signal: AbortSignal;
  /** A transfer whose body stalls this long is abandoned (and counted as failed). */
  stallTimeoutMs?: number;
};

export type TransferSummary = {
  done: number;
  skipped: number;
  failed: Failure[];
  bytes: number;
  interrupted: boolean;
};

export async function runTransfer(options: TransferOptions): Promise<TransferSummary> {
  const { api, outDir, io } = options;
  await mkdir(outDir, { recursive: true });
  const journal = await readJournal(outDir);
  const progress = createProgress(io, options.trackIds.length, options.progress);
  const limiter = createRateLimiter(options.ratePerSecond);
  const failures: Failure[] = [];
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const queue = [...options.trackIds];
  let fatal: AppError | null = null;

  const transferOne = async (trackId: string): Promise<void> => {
    const key = journalKey(trackId, options.format, options.bitrate);
    const known = journal.get(key);
    if (known) {
      const onDisk = await sha256File(join(outDir, known.file));
      if (onDisk && onDisk.bytes === known.bytes && onDisk.sha256 === known.sha256) {
        progress.skip();
        return;
      }
    }
    // Retries live here, not in the client, so every attempt passes the rate limiter.
    for (let attempt = 0; ; attempt++) {
      try {
        await attemptTransfer(trackId, key);
        return;
      } catch (error) {
        if (options.signal.aborted || attempt >= maxAttempts - 1 || !isTransient(error)) throw error;
        await sleep(
          nextRetryDelay(attempt, { baseMs: 500, capMs: 10_000 }, retryAfterOf(error)),
          options.signal,
        );
      }
    }
  };

  const attemptTransfer = async (trackId: string, key: string): Promise<void> => {
    await limiter.acquire(options.signal);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    let stall: NodeJS.Timeout | undefined;
    let file = '';
    let partPath: string | null = null;
    const armStall = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => controller.abort(), stallTimeoutMs);
    };
    try {
      const query: Record<string, string | number> = { trackId, format: options.format };
      if (options.bitrate !== null) query.bitrate = options.bitrate;
      const response = await api.fetchSigned('transferMedia', { query, signal: controller.signal });
      file = `${trackId}.${extensionFor(response.headers.get('content-type'), options.format)}`;
      partPath = `${join(outDir, file)}.part`;
      const declared = Number(response.headers.get('content-length') ?? NaN);
      const hash = createHash('sha256');
      let bytes = 0;
      armStall();
      const meter = new Transform({
        transform(chunk: Buffer, _enc, callback) {
          armStall();
          hash.update(chunk);
          bytes += chunk.length;
          progress.addBytes(chunk.length);
          callback(null, chunk);
        },
      });
      const source = response.body
        ? Readable.fromWeb(response.body as unknown as WebReadableStream)
        : Readable.from([]);
      try {
        await pipeline(source, meter, createWriteStream(partPath));
      } catch (error) {
        if (options.signal.aborted)
          throw new AppError({ code: 'cancelled', message: 'Interrupted' }, { cause: error });
        if (controller.signal.aborted)
          throw new AppError(
            { code: 'timeout', message: `No data for ${stallTimeoutMs} ms` },
            { cause: error },
          );
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EACCES' || code === 'EROFS')
          throw fsError(error, partPath);
        throw new AppError(
          { code: 'malformed_response', message: 'Transfer was cut off before its end' },
          { cause: error },
        );
      }
      if (Number.isFinite(declared) && bytes !== declared) {
        throw new AppError({
          code: 'malformed_response',
          message: `Transfer was cut off: ${bytes} of ${declared} bytes`,
        });
      }
      if (bytes === 0) throw new AppError({ code: 'malformed_response', message: 'Empty transfer' });
      const finalPath = join(outDir, file);
      try {
        const handle = await open(partPath, 'r+');
        await handle.sync();
        await handle.close();
        await rename(partPath, finalPath);
        partPath = null;
      } catch (error) {
        throw fsError(error, finalPath);
      }
      const entry: JournalEntry = {
        trackId,
        format: options.format,
        bitrate: options.bitrate,
        file,
        bytes,
        sha256: hash.digest('hex'),
        completedAt: new Date().toISOString(),
      };
      await appendFile(join(outDir, journalName), `${JSON.stringify(entry)}\n`).catch((error: unknown) => {
        throw fsError(error, journalName);
      });
      journal.set(key, entry);
      progress.complete();
    } catch (error) {
      if (partPath) await rm(partPath, { force: true });
      throw error;
    } finally {
      clearTimeout(stall);
      options.signal.removeEventListener('abort', onAbort);
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal.aborted || fatal) return;
      const trackId = queue.shift();
      if (trackId === undefined) return;
      try {
        await transferOne(trackId);
      } catch (error) {
        if (options.signal.aborted) return;
        const appError = isAppError(error)
          ? error
          : new AppError({ code: 'internal', message: String((error as Error)?.message ?? error) });
        if (
          appError.code === 'disk_full' ||
          appError.code === 'unauthorized' ||
          appError.code === 'forbidden'
        )
          fatal = appError;
        const failure: Failure = { trackId, code: appError.code, message: appError.message };
        if (appError.serviceCode !== undefined) failure.serviceCode = appError.serviceCode;
        if (appError.status !== undefined) failure.status = appError.status;
        failures.push(failure);
        progress.fail();
      }
    }
  };

  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, Math.max(1, options.trackIds.length)) }, worker),
  );
  const counts = progress.finish();
  if (fatal) throw fatal;

  const wanted = new Set(options.trackIds);
  const completed = [...journal.values()]
    .filter((e) => e.format === options.format && e.bitrate === options.bitrate && wanted.has(e.trackId))
    .sort((a, b) => a.file.localeCompare(b.file));
  // SHA256SUMS covers every file the journal knows in this directory (earlier runs and other
  // formats too), so `sha256sum -c SHA256SUMS` checks the whole folder; manifest.json is this run.
  const byFile = new Map([...journal.values()].map((e) => [e.file, e] as const));
  const sums = [...byFile.values()]
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((e) => `${e.sha256}  ${e.file}\n`)
    .join('');
  const manifest = {
    createdAt: new Date().toISOString(),
    baseUrl: api.baseUrl,
    format: options.format,
    bitrate: options.bitrate,
    requested: options.trackIds.length,
    files: completed.map(({ trackId, file, bytes, sha256 }) => ({ trackId, file, bytes, sha256 })),
    failed: failures,
    interrupted: options.signal.aborted,
  };
  try {
    await writeFile(join(outDir, 'SHA256SUMS.tmp'), sums);
    await rename(join(outDir, 'SHA256SUMS.tmp'), join(outDir, 'SHA256SUMS'));
    await writeFile(join(outDir, 'manifest.json.tmp'), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(join(outDir, 'manifest.json.tmp'), join(outDir, 'manifest.json'));
  } catch (error) {
    throw fsError(error, 'the checksum manifest');
  }
  return {
    done: counts.done,
    skipped: counts.skipped,
    failed: failures,
    bytes: counts.bytes,
    interrupted: options.signal.aborted,
  };
}

export async function runTransferCommand(args: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    tracks: { type: 'string' },
    format: { type: 'string' },
    bitrate: { type: 'string' },
    out: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    'no-progress': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(`${transferHelp}\n`);
    return exitCodes.ok;
  }
  if (positionals.length > 0) throw usageError(`Unexpected argument "${positionals[0]}"`);
  if (!values.tracks) throw usageError('Missing --tracks FILE');
  if (!values.out) throw usageError('Missing --out DIR');
  const format = values.format;
  if (!format || !(format in formats))
    throw usageError(`--format must be mp3, flac or aac${format ? `, got "${format}"` : ''}`);
  let bitrate: number | null = null;
  if (values.bitrate !== undefined) {
    bitrate = Number(values.bitrate);
    if (!bitrates.has(bitrate))
      throw usageError(`--bitrate must be one of 128, 192, 256, 320, 1411, got "${values.bitrate}"`);
  }
  const positiveInt = (name: string, raw: string | undefined, fallback: number, max: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw usageError(`--${name} must be an integer from 1 to ${max}, got "${raw}"`);
    return n;
  };
  const concurrency = positiveInt('concurrency', values.concurrency, 4, 16);
  const ratePerSecond = positiveInt('rate', values.rate, maxRatePerSecond, maxRatePerSecond);
  const listText =
    values.tracks === '-'
      ? await readAllText(io.stdin)
      : await readFile(values.tracks, 'utf8').catch((error: Error) => {
          throw usageError(`Cannot read --tracks ${values.tracks}: ${error.message}`);
        });
  const trackIds = parseTrackList(listText);
  if (trackIds.length === 0) throw usageError(`--tracks ${values.tracks} lists no track ids`);

  const { api } = await createCliContext(values, io, { retries: 0 });
  const summary = await runTransfer({
    api,
    trackIds,
    format: format as Format,
    bitrate,
    outDir: values.out,
    concurrency,
    ratePerSecond,
    io,
    progress: !values['no-progress'],
    signal,
  });
  io.stderr.write(
    `transferred ${summary.done}, skipped ${summary.skipped} (already complete), failed ${summary.failed.length}, ${formatBytes(summary.bytes)}\n`,
  );
  for (const f of summary.failed.slice(0, 20)) {
    io.stderr.write(`  ${f.trackId}: ${f.code}${f.serviceCode ? ` (${f.serviceCode})` : ''} ${f.message}\n`);
  }
  if (summary.interrupted) {
    io.stderr.write('interrupted: run the same command again to resume\n');
    return exitCodes.interrupted;
  }
  io.stderr.write(
    `checksums in ${join(values.out, 'SHA256SUMS')}, manifest in ${join(values.out, 'manifest.json')}\n`,
  );
  return summary.failed.length > 0 ? exitCodes.failed : exitCodes.ok;
}
