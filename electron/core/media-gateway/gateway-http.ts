// The gateway's HTTP vocabulary: which operation serves a stream, the status an error answers
// with, Range parsing, piping a fetched body to the player.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { StreamFormat, StreamSource } from '../../../shared/domain/stream.js';
import { AppError, assertNever } from '../../../shared/errors.js';

export function operationFor(source: Exclude<StreamSource, 'offline'>, format: StreamFormat): string {
  switch (source) {
    case 'subscription':
      return format === 'hls' ? 'streamSubscriptionTrackHls' : 'streamSubscriptionTrackProgressive';
    case 'catalogue':
      return format === 'hls' ? 'streamCatalogueTrackHls' : 'streamCatalogueTrackProgressive';
    case 'locker':
      return format === 'hls' ? 'streamLockerTrackHls' : 'streamLockerTrackProgressive';
    case 'preview':
      if (format === 'hls')
        throw new AppError({ code: 'invalid_input', message: 'previews are progressive only' });
      return 'streamPreviewClip';
    default:
      return assertNever(source, 'stream source');
  }
}

export function httpStatusFor(error: AppError): number {
  if (error.status && error.status >= 400) return error.status;
  switch (error.code) {
    case 'offline':
    case 'not_found':
      return 404;
    case 'not_available':
    case 'forbidden':
    case 'concurrent_stream':
      return 403;
    case 'unauthorized':
      return 401;
    case 'invalid_input':
      return 400;
    case 'rate_limited':
      return 429;
    case 'network':
    case 'timeout':
    case 'malformed_response':
    case 'service_error':
      return 502;
    default:
      return 500;
  }
}

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a single-range `bytes=` header against a known length; end is exclusive. */
export function parseRange(header: string | undefined, length: number): ByteRange {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, length - suffix), end: length };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? length : Math.min(length, Number(m[2]) + 1);
  if (start >= length || end <= start) return 'unsatisfiable';
  return { start, end };
}

export async function sendWebBody(res: ServerResponse, body: Response['body']): Promise<void> {
  if (!body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>), res);
}

/** A cached track, decrypted as it is read (offline-cache-service.ts). */
export type CachedTrack = {
  contentType: string;
  plainBytes: number;
  createReadStream(range?: { start?: number; end?: number }): Readable;
};

/**
 * Serves a cached track's bytes (the Range asked for, or all); the first chunk is read, and so
 * authenticated, before the status line is committed. `onServing` runs once headers are sent.
 */
export async function serveCachedRange(
  req: IncomingMessage,
  res: ServerResponse,
  track: CachedTrack,
  headers: Record<string, string>,
  onServing: () => void,
): Promise<void> {
  const range = parseRange(req.headers.range, track.plainBytes);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${track.plainBytes}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: track.plainBytes };
  const stream = track.createReadStream({ start, end });
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = end > start ? await iterator.next() : { done: true as const, value: undefined };
  const out: Record<string, string> = {
    ...headers,
    'Content-Type': track.contentType,
    'Accept-Ranges': 'bytes',
    'Content-Length': String(end - start),
  };
  if (range) out['Content-Range'] = `bytes ${start}-${end - 1}/${track.plainBytes}`;
  res.writeHead(range ? 206 : 200, out);
  onServing();
  async function* rest() {
    if (!first.done) yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  await pipeline(Readable.from(rest()), res);
}

/** Aborts an upstream fetch when the player hangs up, or when it stalls too long. */
export function hangUpSignal(res: ServerResponse, timeoutMs: number): AbortSignal {
  const hangUp = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) hangUp.abort();
  });
  return AbortSignal.any([hangUp.signal, AbortSignal.timeout(timeoutMs)]);
}

/** CORS headers for a renderer origin the gateway allows (the audio engine's fetches; media elements send none). */
export function corsHeadersFor(req: IncomingMessage, allowed: ReadonlySet<string>): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !allowed.has(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, Content-Type',
  };
}

export type StoredImageSource = (artworkId: string) => Promise<{ data: Buffer; contentType: string } | null>;

/** Artwork from the offline library (404 when it has none, or cannot open it). */
export async function serveStoredImage(
  res: ServerResponse,
  headers: Record<string, string>,
  source: StoredImageSource | undefined,
  artworkId: string,
): Promise<void> {
  const image = source ? await source(artworkId).catch(() => null) : null;
  if (!image) {
    res.writeHead(404, { ...headers, 'Cache-Control': 'no-store' }).end();
    return;
  }
  res
    .writeHead(200, {
      ...headers,
      'Content-Type': image.contentType,
      'Content-Length': String(image.data.length),
      'Cache-Control': 'private, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
      // SVG artwork must never run anything, even when opened on its own.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    })
    .end(image.data);
}
