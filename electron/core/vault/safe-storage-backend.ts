// Electron safeStorage as a vault backend. The Electron host passes the real safeStorage in;
// ciphertexts live in a small JSON file written atomically. Refuses Linux's 'basic_text'
// backend, which "encrypts" with a hard-coded password.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { SecretStore } from './secret-store.js';

/** The part of Electron's `safeStorage` the vault uses. */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string;
};

/** Holds ciphertexts only (base64 per account). */
export type EncryptedFileStore = {
  read(): Promise<Record<string, string>>;
  write(entries: Record<string, string>): Promise<void>;
};

export function createSafeStorageBackend(
  safeStorage: SafeStorageLike,
  file: EncryptedFileStore,
): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new AppError({
      code: 'vault_unavailable',
      message: 'Electron safeStorage reports no encryption available',
    });
  }
  const selected = safeStorage.getSelectedStorageBackend?.();
  if (selected === 'basic_text' || selected === 'unknown') {
    throw new AppError({
      code: 'vault_unavailable',
      message: `Electron safeStorage has no keyring to use (backend ${selected}: a hard-coded password, not encryption)`,
    });
  }
  // Serialise read-modify-write cycles on the file.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    get: (account) =>
      exclusive(async () => {
        const entries = await file.read();
        const encoded = entries[account];
        if (encoded === undefined) return null;
        try {
          return safeStorage.decryptString(Buffer.from(encoded, 'base64'));
        } catch (error) {
          throw new AppError(
            { code: 'integrity', message: `the stored ${account} cannot be decrypted (keyring changed?)` },
            { cause: error },
          );
        }
      }),
    set: (account, value) =>
      exclusive(async () => {
        const entries = await file.read();
        entries[account] = safeStorage.encryptString(value).toString('base64');
        await file.write(entries);
      }),
    delete: (account) =>
      exclusive(async () => {
        const entries = await file.read();
        if (!(account in entries)) return false;
        delete entries[account];
        await file.write(entries);
        return true;
      }),
  };
}

/** A JSON file of ciphertexts, replaced atomically (temp file, fsync, rename), mode 0600. */
export function createEncryptedFileStore(path: string): EncryptedFileStore {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new AppError({ code: 'integrity', message: `the secret file ${path} is not a JSON object` });
      }
      const entries: Record<string, string> = {};
      for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') entries[key] = value;
      return entries;
    },
    async write(entries) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(entries));
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temp, path);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    },
  };
}
