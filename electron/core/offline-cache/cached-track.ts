// A cached track opened for playing: its HLS parts read whole and authenticated, its
// progressive audio as a decrypting stream over any byte range.
import { Readable } from 'node:stream';
import { AppError, isAppError } from '../../../shared/errors.js';
import type { CachePart, CacheRow } from './cache-index.js';
import type { EncryptedFileReader } from './chunked-cipher.js';
import type { OfflineTrack } from './offline-cache-types.js';

export function cachedTrack(
  row: CacheRow,
  reader: EncryptedFileReader,
  hooks: {
    /** Runs a read, marking the entry bad when it fails authentication. */
    guard<T>(run: () => Promise<T>): Promise<T>;
    onIntegrityFailure(error: AppError): void;
  },
): OfflineTrack {
  const { trackId } = row;
  const partsByName = new Map(row.parts.map((p) => [p.name, p]));
  const readPartBytes = async (part: CachePart): Promise<Buffer> => {
    const pieces: Buffer[] = [];
    for await (const piece of reader.read(part.offset, part.offset + part.length)) pieces.push(piece);
    return Buffer.concat(pieces);
  };
  const audio = partsByName.get('audio');
  return {
    trackId,
    format: row.format,
    contentType: row.contentType,
    plainBytes: audio ? audio.length : row.plainBytes,
    partNames: () => row.parts.map((p) => p.name),
    async manifest() {
      const part = partsByName.get('manifest');
      return part ? (await hooks.guard(() => readPartBytes(part))).toString('utf8') : null;
    },
    async readPart(name) {
      const part = partsByName.get(name);
      if (!part) throw new AppError({ code: 'not_found', message: `Track ${trackId} has no part ${name}` });
      return { data: await hooks.guard(() => readPartBytes(part)), contentType: part.contentType };
    },
    createReadStream(range = {}) {
      if (!audio) throw new AppError({ code: 'invalid_input', message: `Track ${trackId} is cached as HLS` });
      const start = Math.max(0, range.start ?? 0);
      const end = Math.min(audio.length, range.end ?? audio.length);
      const iterator = reader.read(audio.offset + start, audio.offset + end);
      async function* checked() {
        try {
          yield* iterator;
        } catch (error) {
          if (isAppError(error) && error.code === 'integrity') hooks.onIntegrityFailure(error);
          throw error;
        }
      }
      return Readable.from(checked(), { objectMode: false });
    },
    close: () => reader.close(),
  };
}
