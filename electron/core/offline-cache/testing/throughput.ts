// Measures streaming decryption of the cache format against a plain read of the same bytes
// (issue 5: decrypting must reach ≥ 50 % of plain read speed). Used by the bench harness; both
// reads hit the page cache, so this isolates the crypto and framing cost.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createEncryptedFileWriter,
  defaultChunkSize,
  newFileId,
  newFileKey,
  openEncryptedFile,
} from '../chunked-cipher.js';

export type ThroughputResult = {
  bytes: number;
  chunkSize: number;
  plainMBps: number;
  decryptMBps: number;
  /** decryptMBps / plainMBps */
  ratio: number;
};

export async function measureDecryptThroughput(
  options: { bytes?: number; chunkSize?: number; rounds?: number; dir?: string } = {},
): Promise<ThroughputResult> {
  const bytes = options.bytes ?? 64 * 1024 * 1024;
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  const rounds = options.rounds ?? 3;
  const dir = await mkdtemp(join(options.dir ?? tmpdir(), 'septet-throughput-'));
  try {
    const plain = randomBytes(bytes);
    const plainPath = join(dir, 'plain.bin');
    await writeFile(plainPath, plain);
    const key = newFileKey();
    const fileId = newFileId();
    const encPath = join(dir, 'enc.sptc');
    const writer = await createEncryptedFileWriter(encPath, { key, fileId, chunkSize });
    for (let i = 0; i < bytes; i += 1024 * 1024) await writer.write(plain.subarray(i, i + 1024 * 1024));
    await writer.finish();

    let plainBest = Infinity;
    let decryptBest = Infinity;
    for (let round = 0; round < rounds; round += 1) {
      let t = performance.now();
      let n = 0;
      for await (const piece of createReadStream(plainPath, { highWaterMark: chunkSize }))
        n += (piece as Buffer).length;
      plainBest = Math.min(plainBest, performance.now() - t);
      if (n !== bytes) throw new Error('plain read size mismatch');

      t = performance.now();
      n = 0;
      const reader = await openEncryptedFile(encPath, { key, fileId });
      for await (const piece of reader.read()) n += piece.length;
      await reader.close();
      decryptBest = Math.min(decryptBest, performance.now() - t);
      if (n !== bytes) throw new Error('decrypted size mismatch');
    }
    const mb = bytes / (1024 * 1024);
    const plainMBps = mb / (plainBest / 1000);
    const decryptMBps = mb / (decryptBest / 1000);
    return { bytes, chunkSize, plainMBps, decryptMBps, ratio: decryptMBps / plainMBps };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
