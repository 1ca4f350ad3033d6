// Release and purchase ZIPs, built on first request with yazl (entries stored, not deflated:
// audio does not compress) into the media cache, keyed by their entry list, so repeat downloads
// are plain files with Range support (resumable) and the same bytes every time.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { MediaCache } from './media-cache.js';
import { virtualFileStream, type VirtualFile } from './media-engine.js';

/** An entry's bytes: a file on disk (FLAC) or a virtual file generated while it is zipped (MP3). */
export type ZipEntry = { name: string; path: string } | { name: string; file: VirtualFile };

/** `NN - Title.ext`, with characters no file system accepts replaced. */
export function trackFileName(trackNumber: number, title: string, ext: string): string {
  const safeTitle =
    [...title]
      .map((ch) => (ch.charCodeAt(0) < 0x20 || '/\\:*?"<>|'.includes(ch) ? '_' : ch))
      .join('')
      .replace(/^[.\s]+|[.\s]+$/g, '') || 'Untitled';
  return `${String(trackNumber).padStart(2, '0')} - ${safeTitle}.${ext.replace(/^\./, '')}`;
}

/** Makes entry names unique ("01 - A.mp3", "01 - A (2).mp3"), keeping order. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    const ext = extname(name);
    for (let n = 2; seen.has(candidate.toLowerCase()); n++)
      candidate = `${name.slice(0, name.length - ext.length)} (${n})${ext}`;
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}

/** Returns the path of a ZIP holding these entries, building it once. */
export async function ensureZip(cache: MediaCache, entries: readonly ZipEntry[]): Promise<string> {
  const spec = entries.map((e) => ('path' in e ? [e.name, e.path] : [e.name, e.file.etag]));
  const key = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 32);
  return cache.file(`zips/${key}.zip`, async (tmpPath) => {
    const zip = new ZipFile();
    // A fixed mtime keeps the bytes identical however often the ZIP is rebuilt.
    const mtime = new Date('2020-01-01T00:00:00Z');
    for (const entry of entries) {
      if ('path' in entry) zip.addFile(entry.path, entry.name, { compress: false, mtime });
      else
        zip.addReadStream(virtualFileStream(entry.file), entry.name, {
          compress: false,
          mtime,
          size: entry.file.size,
        });
    }
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(tmpPath));
  });
}
