// Release and purchase ZIPs, built on first request with yazl (entries stored, not deflated:
// audio doesn't compress) and cached next to the media, content-addressed by their entry list,
// so repeat downloads are plain files with Range support (resumable).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export type ZipEntry = { sourcePath: string; name: string };

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

/** Returns the path of a ZIP holding these entries, building it once (atomic rename). */
export async function ensureZip(zipDir: string, entries: readonly ZipEntry[]): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 32);
  const finalPath = join(zipDir, `${key}.zip`);
  if (existsSync(finalPath)) return finalPath;
  await mkdir(zipDir, { recursive: true });
  const tmpPath = join(zipDir, `.tmp-${key}-${process.pid}-${randomBytes(4).toString('hex')}.zip`);
  const zip = new ZipFile();
  // A fixed mtime keeps the bytes identical however often the ZIP is rebuilt.
  const mtime = new Date('2020-01-01T00:00:00Z');
  for (const entry of entries) zip.addFile(entry.sourcePath, entry.name, { compress: false, mtime });
  zip.end();
  try {
    await pipeline(zip.outputStream, createWriteStream(tmpPath));
    await rename(tmpPath, finalPath);
  } catch (error) {
    await rm(tmpPath, { force: true });
    throw error;
  }
  return finalPath;
}
