// Serves a file — on disk, or a virtual one whose bytes are generated as they are read — with
// single byte-range support (RFC 9110 §14): 200 for the whole file, 206 + Content-Range for a
// satisfiable range, 416 + `Content-Range: bytes */size` for an unsatisfiable one, 304 for a
// matching If-None-Match. Always streamed, never buffered whole.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { VirtualFile } from './media-engine.js';

export type ServeFileOptions = {
  path: string;
  contentType: string;
  /** Sets `Content-Disposition: attachment; filename="…"`. */
  attachmentName?: string;
  headers?: Record<string, string>;
  /** A strong validator for the file's bytes (If-None-Match → 304). */
  etag?: string;
};

export type ByteRange = { start: number; end: number };

/**
 * Parses a Range header against a file size. Returns null when the header should be ignored
 * (absent, not bytes, several ranges) and 'unsatisfiable' when it can't be served.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) {
    // Multiple ranges or another unit: serving the whole file is allowed (RFC 9110 §14.2).
    return /^\s*bytes\s*=.*,/.test(header) || !/^\s*bytes\s*=/i.test(header) ? null : 'unsatisfiable';
  }
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return 'unsatisfiable';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== '' && Number(last) < start)) return 'unsatisfiable';
  return { start, end };
}

export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return ascii === filename
    ? `attachment; filename="${filename}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function serveFile(
  req: { method: string; headers: IncomingHttpHeaders },
  res: ServerResponse,
  options: ServeFileOptions,
): Promise<void> {
  const info = await stat(options.path);
  const size = info.size;
  const headers: Record<string, string | number> = {
    'Content-Type': options.contentType,
    'Accept-Ranges': 'bytes',
    'Last-Modified': info.mtime.toUTCString(),
    ...options.headers,
  };
  if (options.attachmentName) headers['Content-Disposition'] = contentDisposition(options.attachmentName);
  if (options.etag) {
    headers.ETag = options.etag;
    if (matchesEtag(req, options.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
  }
  const rangeHeader = req.headers.range;
  const range = parseRange(Array.isArray(rangeHeader) ? rangeHeader[0] : rangeHeader, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  headers['Content-Length'] = length;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(options.path, { start, end }), res);
  } catch (error) {
    // A client that hangs up mid-file is normal for media (seeks, skips); anything else is not.
    if (!clientGone(error)) throw error;
  }
}

type Request = { method: string; headers: IncomingHttpHeaders };

const matchesEtag = (req: Request, etag: string) =>
  (req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');

const clientGone = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
};

/**
 * Serves a virtual file: headers (size, ETag) at once, then its bytes as they are generated.
 * A client that hangs up stops the generation of whatever it no longer wants.
 */
export async function serveVirtualFile(
  req: Request,
  res: ServerResponse,
  file: VirtualFile,
  options: { attachmentName?: string; headers?: Record<string, string> } = {},
): Promise<void> {
  const headers: Record<string, string | number> = {
    'Content-Type': file.contentType,
    'Accept-Ranges': 'bytes',
    ETag: file.etag,
    ...options.headers,
  };
  if (options.attachmentName) headers['Content-Disposition'] = contentDisposition(options.attachmentName);
  if (matchesEtag(req, file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const rangeHeader = req.headers.range;
  const ifRange = req.headers['if-range'];
  const rangeApplies = !ifRange || ifRange === file.etag;
  const range = rangeApplies
    ? parseRange(Array.isArray(rangeHeader) ? rangeHeader[0] : rangeHeader, file.size)
    : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${file.size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? file.size - 1;
  const length = file.size === 0 ? 0 : end - start + 1;
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
  headers['Content-Length'] = length;
  if (req.method === 'HEAD' || length === 0) {
    res.writeHead(range ? 206 : 200, headers);
    res.end();
    return;
  }
  const chunks = file.read(start, end);
  // The first bytes are generated before the status line goes out, so a failure to generate
  // them is still an error response rather than a cut connection.
  const first = await chunks.next();
  res.writeHead(range ? 206 : 200, headers);
  try {
    if (!first.done) await pipeline(Readable.from(prepend(first.value, chunks)), res);
    else res.end();
  } catch (error) {
    await chunks.return(undefined);
    if (!clientGone(error)) throw error;
  }
}

async function* prepend(first: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}
