import { mkdtempSync, readFileSync, rmSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import {
  createEncryptedFileWriter,
  headerBytes,
  newFileId,
  newFileKey,
  openEncryptedFile,
  recordOverhead,
  unwrapFileKey,
  wrapFileKey,
} from './chunked-cipher.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'septet-cipher-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function writeFile(name: string, plain: Buffer, chunkSize: number, pieces = 7) {
  const key = newFileKey();
  const fileId = newFileId();
  const path = join(dir, name);
  const writer = await createEncryptedFileWriter(path, { key, fileId, chunkSize });
  // Feed the writer in uneven pieces so chunk boundaries fall inside writes.
  const step = Math.max(1, Math.ceil(plain.length / pieces));
  for (let i = 0; i < plain.length; i += step) await writer.write(plain.subarray(i, i + step));
  const summary = await writer.finish();
  return { key, fileId, path, summary };
}

async function readAll(path: string, key: Buffer, fileId: Buffer, start?: number, end?: number) {
  const reader = await openEncryptedFile(path, { key, fileId });
  try {
    const parts: Buffer[] = [];
    for await (const part of reader.read(start, end)) parts.push(part);
    return Buffer.concat(parts);
  } finally {
    await reader.close();
  }
}

async function expectIntegrityFailure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error) && error.code).toBe('integrity');
}

describe('chunked AES-256-GCM file', () => {
  it('round-trips across chunk boundaries and serves arbitrary ranges', async () => {
    const chunkSize = 1024;
    for (const length of [0, 1, 1023, 1024, 1025, 4096, 5000]) {
      const plain = randomBytes(length);
      const { key, fileId, path, summary } = await writeFile(`f-${length}`, plain, chunkSize);
      expect(summary.plainBytes).toBe(length);
      expect(summary.chunkCount).toBe(Math.max(1, Math.ceil(length / chunkSize)));
      expect(statSync(path).size).toBe(summary.storedBytes);
      expect((await readAll(path, key, fileId)).equals(plain)).toBe(true);
      const ranges: Array<[number, number]> = [
        [0, 1],
        [1000, 1100],
        [1023, 1025],
        [1024, 2048],
        [10, length],
        [length - 1, length],
      ];
      for (const [s, e] of ranges) {
        if (s < 0 || e > length || s >= e) continue;
        expect((await readAll(path, key, fileId, s, e)).equals(plain.subarray(s, e))).toBe(true);
      }
    }
  });

  it('rejects a flipped bit in any chunk, and never yields that chunk', async () => {
    const chunkSize = 512;
    const plain = randomBytes(512 * 4 + 100);
    const { key, fileId, path } = await writeFile('t', plain, chunkSize);
    const original = readFileSync(path);
    const recordBytes = chunkSize + recordOverhead;
    for (let chunk = 0; chunk < 5; chunk++) {
      for (const offsetInRecord of [0, 5, 12, 200, -1]) {
        const tampered = Buffer.from(original);
        const recordStart = headerBytes + chunk * recordBytes;
        const recordEnd = chunk === 4 ? tampered.length : recordStart + recordBytes;
        const at = offsetInRecord < 0 ? recordEnd - 1 : recordStart + offsetInRecord;
        if (at >= recordEnd) continue;
        tampered[at]! ^= 0x01;
        writeFileSync(path, tampered);
        const reader = await openEncryptedFile(path, { key, fileId });
        const yielded: Buffer[] = [];
        const error = await (async () => {
          for await (const part of reader.read()) yielded.push(part);
        })().then(
          () => undefined,
          (e: unknown) => e,
        );
        await reader.close();
        expect(isAppError(error) && error.code).toBe('integrity');
        // Only the chunks before the tampered one were yielded.
        expect(Buffer.concat(yielded).equals(plain.subarray(0, chunk * chunkSize))).toBe(true);
      }
    }
  });

  it('detects swapped chunks, truncation and a file id mix-up', async () => {
    const chunkSize = 256;
    const plain = randomBytes(256 * 3 + 10);
    const { key, fileId, path } = await writeFile('s', plain, chunkSize);
    const original = readFileSync(path);
    const recordBytes = chunkSize + recordOverhead;
    const r0 = original.subarray(headerBytes, headerBytes + recordBytes);
    const r1 = original.subarray(headerBytes + recordBytes, headerBytes + 2 * recordBytes);
    writeFileSync(
      path,
      Buffer.concat([
        original.subarray(0, headerBytes),
        r1,
        r0,
        original.subarray(headerBytes + 2 * recordBytes),
      ]),
    );
    await expectIntegrityFailure(readAll(path, key, fileId));

    // Drop the final record: the new last record was sealed as non-final.
    writeFileSync(path, original);
    truncateSync(path, headerBytes + 3 * recordBytes);
    await expectIntegrityFailure(readAll(path, key, fileId));

    writeFileSync(path, original);
    await expectIntegrityFailure(readAll(path, key, newFileId()));
    await expectIntegrityFailure(readAll(path, newFileKey(), fileId));
  });

  it('wraps file keys under the master key; a wrong master key is rejected', () => {
    const master = randomBytes(32);
    const fileKey = newFileKey();
    const fileId = newFileId();
    const wrapped = wrapFileKey(master, fileKey, fileId);
    expect(wrapped.includes(fileKey)).toBe(false);
    expect(unwrapFileKey(master, wrapped, fileId).equals(fileKey)).toBe(true);
    expect(() => unwrapFileKey(randomBytes(32), wrapped, fileId)).toThrow(/unwrapped/);
    expect(() => unwrapFileKey(master, wrapped, newFileId())).toThrow(/unwrapped/);
  });
});
