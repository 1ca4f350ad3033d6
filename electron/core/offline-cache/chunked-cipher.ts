// Encrypted-at-rest file format of the offline cache: AES-256-GCM per chunk (authenticated, unlike
// the AES-CTR of some players' caches, and seekable because each chunk stands alone; chunks of
// 64 KiB–1 MiB keep GCM's per-call cost negligible), per-file keys wrapped by a master key.
//
// File = header ‖ chunk records. Header (28 bytes): "SPTC" ‖ version (1) ‖ 3 zero bytes ‖
// fileId (16) ‖ chunk size (u32 BE). Each record: nonce (12) ‖ ciphertext ‖ GCM tag (16), the
// plaintext of every record but the last being exactly `chunkSize` bytes, so record i sits at a
// computable offset (random access for Range and HLS segment reads).
// AAD of record i = "SPTC" ‖ fileId ‖ i (u64 BE) ‖ final flag: a record cannot be moved to
// another position or file, and dropping trailing records is detected because the new last
// record was sealed with final = 0 (the STREAM construction).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../shared/errors.js';

export const defaultChunkSize = 256 * 1024;
export const headerBytes = 28;
const nonceBytes = 12;
const tagBytes = 16;
export const recordOverhead = nonceBytes + tagBytes;
const magic = Buffer.from('SPTC', 'ascii');
const formatVersion = 1;
const keyBytes = 32;

function integrityError(message: string, cause?: unknown): AppError {
  return new AppError({ code: 'integrity', message }, cause === undefined ? undefined : { cause });
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== keyBytes) {
    throw new AppError({ code: 'internal', message: `${what} must be ${keyBytes} bytes` });
  }
}

function chunkAad(fileId: Buffer, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(magic.length + fileId.length + 9);
  magic.copy(aad, 0);
  fileId.copy(aad, magic.length);
  aad.writeBigUInt64BE(BigInt(index), magic.length + fileId.length);
  aad[aad.length - 1] = final ? 1 : 0;
  return aad;
}

export function encryptChunk(
  key: Buffer,
  fileId: Buffer,
  index: number,
  final: boolean,
  plain: Buffer,
): Buffer {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(chunkAad(fileId, index, final));
  const body = cipher.update(plain);
  const rest = cipher.final();
  return Buffer.concat([nonce, body, rest, cipher.getAuthTag()]);
}

export function decryptChunk(
  key: Buffer,
  fileId: Buffer,
  index: number,
  final: boolean,
  record: Buffer,
): Buffer {
  if (record.length < recordOverhead) throw integrityError(`cache chunk ${index} is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', key, record.subarray(0, nonceBytes));
  decipher.setAAD(chunkAad(fileId, index, final));
  decipher.setAuthTag(record.subarray(record.length - tagBytes));
  try {
    const body = decipher.update(record.subarray(nonceBytes, record.length - tagBytes));
    const rest = decipher.final();
    return rest.length === 0 ? body : Buffer.concat([body, rest]);
  } catch (cause) {
    throw integrityError(`cache chunk ${index} failed authentication`, cause);
  }
}

const wrapContext = Buffer.from('septet-cache-key-wrap-v1', 'ascii');

/** Wraps a per-file key under the vault's master key (AES-256-GCM, AAD binds it to the file id). */
export function wrapFileKey(masterKey: Buffer, fileKey: Buffer, fileId: Buffer): Buffer {
  assertKey(masterKey, 'master key');
  assertKey(fileKey, 'file key');
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', masterKey, nonce);
  cipher.setAAD(Buffer.concat([wrapContext, fileId]));
  return Buffer.concat([nonce, cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
}

const unwrapFailures = new WeakSet<AppError>();

/** True for the error of a key that would not unwrap: the master key changed, not the entry. */
export function isKeyUnwrapFailure(error: unknown): boolean {
  return error instanceof AppError && unwrapFailures.has(error);
}

export function unwrapFileKey(masterKey: Buffer, wrapped: Buffer, fileId: Buffer): Buffer {
  assertKey(masterKey, 'master key');
  if (wrapped.length !== nonceBytes + keyBytes + tagBytes)
    throw integrityError('wrapped cache key has a bad length');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, nonceBytes));
  decipher.setAAD(Buffer.concat([wrapContext, fileId]));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - tagBytes));
  try {
    return Buffer.concat([
      decipher.update(wrapped.subarray(nonceBytes, wrapped.length - tagBytes)),
      decipher.final(),
    ]);
  } catch (cause) {
    const error = integrityError('cache key cannot be unwrapped (wrong master key or tampered index)', cause);
    unwrapFailures.add(error);
    throw error;
  }
}

export function newFileKey(): Buffer {
  return randomBytes(keyBytes);
}

export function newFileId(): Buffer {
  return randomBytes(16);
}

function encodeHeader(fileId: Buffer, chunkSize: number): Buffer {
  const header = Buffer.alloc(headerBytes);
  magic.copy(header, 0);
  header[4] = formatVersion;
  fileId.copy(header, 8);
  header.writeUInt32BE(chunkSize, 24);
  return header;
}

export type EncryptedFileSummary = {
  plainBytes: number;
  storedBytes: number;
  chunkCount: number;
  chunkSize: number;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
};

export type EncryptedFileWriter = {
  /** Current plaintext offset (bytes written so far). */
  readonly offset: number;
  write(data: Uint8Array): Promise<void>;
  /** Seals the final record, fsyncs and closes. The file is complete only after this resolves. */
  finish(): Promise<EncryptedFileSummary>;
  /** Closes without sealing (the caller deletes the file). */
  abort(): Promise<void>;
};

export async function createEncryptedFileWriter(
  filePath: string,
  options: { key: Buffer; fileId: Buffer; chunkSize?: number },
): Promise<EncryptedFileWriter> {
  const { key, fileId } = options;
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  assertKey(key, 'file key');
  const handle: FileHandle = await open(filePath, 'wx');
  let closed = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  let plainBytes = 0;
  let storedBytes = headerBytes;
  const hash = createHash('sha256');
  try {
    await handle.write(encodeHeader(fileId, chunkSize));
  } catch (error) {
    await handle.close();
    throw error;
  }

  async function seal(plain: Buffer, final: boolean): Promise<void> {
    const record = encryptChunk(key, fileId, index, final, plain);
    await handle.write(record);
    storedBytes += record.length;
    index += 1;
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await handle.close();
  }

  return {
    get offset() {
      return plainBytes;
    },
    async write(data) {
      if (closed) throw new AppError({ code: 'internal', message: 'write after close' });
      const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      hash.update(buf);
      plainBytes += buf.length;
      pending.push(buf);
      pendingBytes += buf.length;
      // Keep at least one byte back: only finish() knows which record is the final one.
      while (pendingBytes > chunkSize) {
        const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        await seal(all.subarray(0, chunkSize), false);
        const rest = all.subarray(chunkSize);
        pending = [rest];
        pendingBytes = rest.length;
      }
    },
    async finish() {
      if (closed) throw new AppError({ code: 'internal', message: 'finish after close' });
      try {
        await seal(Buffer.concat(pending), true);
        pending = [];
        await handle.sync();
      } finally {
        await close();
      }
      return { plainBytes, storedBytes, chunkCount: index, chunkSize, sha256: hash.digest('hex') };
    },
    async abort() {
      await close();
    },
  };
}

// Reads of whole records are made in runs of about this many bytes.
const readRunBytes = 1024 * 1024;
// Run buffers are reused: allocating (and page-faulting) a fresh megabyte per run costs about
// as much as decrypting it. They only ever hold ciphertext.
const runPool = new Map<number, Buffer[]>();
const runPoolMax = 4;

function takeRunBuffer(size: number): Buffer {
  return runPool.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
}

function releaseRunBuffer(buf: Buffer): void {
  let free = runPool.get(buf.length);
  if (!free) {
    if (runPool.size >= runPoolMax) runPool.clear();
    free = [];
    runPool.set(buf.length, free);
  }
  if (free.length < runPoolMax && !free.includes(buf)) free.push(buf);
}

export type EncryptedFileReader = {
  readonly plainBytes: number;
  readonly chunkCount: number;
  readonly chunkSize: number;
  readChunk(index: number): Promise<Buffer>;
  /** Decrypted bytes of [start, end) — every chunk is authenticated before any of it is yielded. */
  read(start?: number, end?: number): AsyncGenerator<Buffer>;
  close(): Promise<void>;
};

export async function openEncryptedFile(
  filePath: string,
  options: { key: Buffer; fileId: Buffer },
): Promise<EncryptedFileReader> {
  // Long by design (over 80 lines): the reader's methods share the open file handle, its key and header.
  const { key, fileId } = options;
  const handle = await open(filePath, 'r');
  try {
    const header = Buffer.alloc(headerBytes);
    // stat and the header read run side by side (two thread-pool trips, not one after the other).
    const [statResult, headerResult] = await Promise.allSettled([
      handle.stat(),
      handle.read(header, 0, headerBytes, 0),
    ]);
    if (statResult.status === 'rejected') throw statResult.reason;
    if (headerResult.status === 'rejected') throw headerResult.reason;
    const { size } = statResult.value;
    const { bytesRead } = headerResult.value;
    if (bytesRead !== headerBytes || !header.subarray(0, 4).equals(magic) || header[4] !== formatVersion) {
      throw integrityError('cache file has a bad header');
    }
    if (!header.subarray(8, 24).equals(fileId)) throw integrityError('cache file belongs to another entry');
    const chunkSize = header.readUInt32BE(24);
    const recordBytes = chunkSize + recordOverhead;
    const body = size - headerBytes;
    if (chunkSize === 0 || body < recordOverhead) throw integrityError('cache file is truncated');
    const chunkCount = Math.ceil(body / recordBytes);
    const lastRecord = body - (chunkCount - 1) * recordBytes;
    if (lastRecord < recordOverhead) throw integrityError('cache file is truncated');
    const plainBytes = (chunkCount - 1) * chunkSize + (lastRecord - recordOverhead);

    const readRecord = async (index: number): Promise<Buffer> => {
      if (!Number.isInteger(index) || index < 0 || index >= chunkCount) {
        throw new AppError({ code: 'internal', message: `chunk ${index} out of range` });
      }
      const length = index === chunkCount - 1 ? lastRecord : recordBytes;
      const record = Buffer.allocUnsafe(length);
      const position = headerBytes + index * recordBytes;
      let got = 0;
      while (got < length) {
        const r = await handle.read(record, got, length - got, position + got);
        if (r.bytesRead === 0) throw integrityError(`cache chunk ${index} is truncated`);
        got += r.bytesRead;
      }
      return record;
    };
    const decryptAt = (index: number, record: Buffer) =>
      decryptChunk(key, fileId, index, index === chunkCount - 1, record);

    return {
      plainBytes,
      chunkCount,
      chunkSize,
      readChunk: async (index) => decryptAt(index, await readRecord(index)),
      async *read(start = 0, end = plainBytes) {
        const from = Math.max(0, start);
        const to = Math.min(plainBytes, end);
        if (to <= from) return;
        const first = Math.floor(from / chunkSize);
        const last = Math.floor((to - 1) / chunkSize);
        // Whole records are read in runs of about readRunBytes (one read call per run) into
        // pooled buffers, one run ahead: the file system read (thread pool) overlaps the
        // decryption of the run before it.
        const perRun = Math.max(1, Math.round(readRunBytes / recordBytes));
        const runBytes = perRun * recordBytes;
        const readRun = async (runStart: number): Promise<{ buf: Buffer; count: number }> => {
          const count = Math.min(perRun, last - runStart + 1);
          const length =
            (count - 1) * recordBytes + (runStart + count - 1 === chunkCount - 1 ? lastRecord : recordBytes);
          const buf = takeRunBuffer(runBytes);
          const position = headerBytes + runStart * recordBytes;
          let got = 0;
          while (got < length) {
            const r = await handle.read(buf, got, length - got, position + got);
            if (r.bytesRead === 0) {
              releaseRunBuffer(buf);
              throw integrityError(`cache chunk ${runStart + Math.floor(got / recordBytes)} is truncated`);
            }
            got += r.bytesRead;
          }
          return { buf, count };
        };
        let pending: Promise<{ buf: Buffer; count: number }> | undefined = readRun(first);
        let current: Buffer | undefined;
        try {
          for (let runStart = first; runStart <= last;) {
            const run: { buf: Buffer; count: number } = await pending!;
            current = run.buf;
            const next = runStart + run.count;
            pending = next <= last ? readRun(next) : undefined;
            for (let k = 0; k < run.count; k += 1) {
              const i = runStart + k;
              const offset = k * recordBytes;
              const length = i === chunkCount - 1 ? lastRecord : recordBytes;
              const plain = decryptAt(i, run.buf.subarray(offset, offset + length));
              const chunkStart = i * chunkSize;
              const lo = Math.max(from - chunkStart, 0);
              const hi = Math.min(to - chunkStart, plain.length);
              yield lo === 0 && hi === plain.length ? plain : plain.subarray(lo, hi);
            }
            releaseRunBuffer(run.buf);
            current = undefined;
            runStart = next;
          }
        } finally {
          // Stopped early (error, or the consumer stopped): the run in hand goes back to the
          // pool; the read ahead is awaited in the background and is never left rejecting
          // unobserved.
          if (current) releaseRunBuffer(current);
          pending?.then(
            (run) => releaseRunBuffer(run.buf),
            () => undefined,
          );
        }
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
