// Writes what the offline streaming endpoint answered into an encrypted cache file: the
// progressive audio as one part, or an HLS manifest's segments and keys as parts followed by the
// manifest rewritten to name them (seg/0, key/0, …).
import { AppError, isAppError } from '../../../shared/errors.js';
import { errorFromFailedResponse, toNetworkError } from '../api/response.js';
import { rewriteManifest } from '../media-gateway/hls-manifest.js';
import type { UrlFetch } from '../media-gateway/upstream.js';
import type { CachePart } from './cache-index.js';
import type { EncryptedFileWriter } from './chunked-cipher.js';

type OnBytes = (n: number, total: number | null) => void;
type Written = { parts: CachePart[]; contentType: string };

/** A failure while caching: a full disk is disk_full, a failed fetch its network error. */
export function asAppError(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC') {
    return new AppError({ code: 'disk_full', message: `${what}: the disk is full` }, { cause: error });
  }
  return toNetworkError(error, what);
}

/** Copies a response body into the writer; a body shorter than its Content-Length is a network error. */
export async function pipeBody(
  response: Response,
  writer: EncryptedFileWriter,
  onBytes: (n: number) => void,
  what: string,
): Promise<number> {
  if (!response.body) return 0;
  let bytes = 0;
  try {
    for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
      await writer.write(piece);
      bytes += piece.byteLength;
      onBytes(piece.byteLength);
    }
  } catch (error) {
    throw asAppError(error, what);
  }
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) !== bytes) {
    throw new AppError({ code: 'network', message: `${what}: got ${bytes} of ${declared} bytes` });
  }
  return bytes;
}

export async function writeProgressive(
  response: Response,
  writer: EncryptedFileWriter,
  onBytes: OnBytes,
  what: string,
): Promise<Written> {
  const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
  const declared = response.headers.get('content-length');
  const total = declared === null ? null : Number(declared);
  const length = await pipeBody(response, writer, (n) => onBytes(n, total), what);
  return { parts: [{ name: 'audio', offset: 0, length, contentType }], contentType };
}

export async function writeHlsParts(
  response: Response,
  writer: EncryptedFileWriter,
  options: { fetchUrl: UrlFetch; timeoutMs: number; onBytes: OnBytes; what: string },
): Promise<Written> {
  const { what } = options;
  const manifestType = response.headers.get('content-type') ?? 'application/octet-stream';
  const text = await response.text();
  const rewritten = rewriteManifest(text, response.url || undefined, (r) => `${r.kind}/${r.index}`);
  const parts: CachePart[] = [];
  let segmentType: string | undefined;
  for (const resource of rewritten.resources) {
    const name = `${resource.kind}/${resource.index}`;
    const part = await options
      .fetchUrl(resource.uri, { signal: AbortSignal.timeout(options.timeoutMs) })
      .catch((error: unknown) => {
        throw toNetworkError(error, `${what} (${name})`);
      });
    if (!part.ok) throw await errorFromFailedResponse(part, { what: `${what} (${name})` });
    const partType = part.headers.get('content-type') ?? 'application/octet-stream';
    if (resource.kind === 'seg') segmentType ??= partType;
    const offset = writer.offset;
    const length = await pipeBody(part, writer, (n) => options.onBytes(n, null), `${what} (${name})`);
    parts.push({ name, offset, length, contentType: partType });
  }
  const manifest = Buffer.from(rewritten.text, 'utf8');
  parts.push({ name: 'manifest', offset: writer.offset, length: manifest.length, contentType: manifestType });
  await writer.write(manifest);
  return { parts, contentType: segmentType ?? 'video/mp2t' };
}
