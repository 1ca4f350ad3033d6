// Serves a file from disk with single byte-range support (RFC 9110 §14): 200 for the whole
// file, 206 + Content-Range for a satisfiable range, 416 + `Content-Range: bytes */size` for an
// unsatisfiable one. Always streamed, never buffered whole.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

export type ServeFileOptions = {
  path: string;
  contentType: string;
  /** Sets `Content-Disposition: attachment; filename="…"`. */
  attachmentName?: string;
  headers?: Record<string, string>;
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
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_STREAM_PREMATURE_CLOSE' && code !== 'ECONNRESET' && code !== 'EPIPE') throw error;
  }
}
