// The secret vault: the only place Septet keeps the consumer secret, OAuth tokens and the
// cache master key. Backends: the OS keychain through keytar, Electron safeStorage (the host
// passes it in; core never imports electron), or none — which refuses to persist.
import { AppError } from '../../../shared/errors.js';
import { addRedactedValue, type Logger } from '../logger.js';
import { createKeytarBackend, type KeytarLike, loadKeytar } from './keytar-backend.js';
import type { SecretStore } from './secret-store.js';
import {
  createSafeStorageBackend,
  type EncryptedFileStore,
  type SafeStorageLike,
} from './safe-storage-backend.js';

export { createKeytarBackend, loadKeytar, type KeytarLike } from './keytar-backend.js';
export type { SecretStore } from './secret-store.js';
export {
  createEncryptedFileStore,
  createSafeStorageBackend,
  type EncryptedFileStore,
  type SafeStorageLike,
} from './safe-storage-backend.js';

export const secretNames = ['consumerSecret', 'accessToken', 'accessTokenSecret', 'cacheMasterKey'] as const;
export type SecretName = (typeof secretNames)[number];

export type VaultBackend = 'keytar' | 'safe-storage' | 'none';

export type SecretVault = {
  readonly backend: VaultBackend;
  /** Why each better backend was not used (empty when keytar works). Never contains a secret. */
  readonly unavailable: readonly string[];
  get(name: SecretName): Promise<string | null>;
  set(name: SecretName, value: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(name: SecretName): Promise<boolean>;
};

export type VaultLogger = Pick<Logger, 'info' | 'warn'>;

export type CreateSecretVaultOptions = {
  /** Keychain service name. */
  service?: string;
  /** false skips keytar; a function replaces the lazy `import('keytar')` (e.g. in a packaged app). */
  keytar?: false | (() => Promise<KeytarLike>);
  /** Electron's safeStorage, passed by the Electron host, with where its ciphertexts live. */
  safeStorage?: { safeStorage: SafeStorageLike; store: EncryptedFileStore };
  /** Upper bound for the keychain probe: a keychain that prompts or hangs counts as unavailable. */
  probeTimeoutMs?: number;
  logger?: VaultLogger;
};

export const defaultVaultService = 'Septet';

export function isSecretName(value: unknown): value is SecretName {
  return typeof value === 'string' && (secretNames as readonly string[]).includes(value);
}

function checkName(name: SecretName): void {
  if (!isSecretName(name)) {
    throw new AppError({ code: 'invalid_input', message: `Unknown secret name: ${String(name)}` });
  }
}

function vaultOver(backend: VaultBackend, store: SecretStore, unavailable: string[]): SecretVault {
  return {
    backend,
    unavailable,
    // Every secret that passes through the vault is blanked from log lines wherever it appears,
    // not only under the field names the logger knows.
    async get(name) {
      checkName(name);
      const value = await store.get(name);
      addRedactedValue(value);
      return value;
    },
    async set(name, value) {
      checkName(name);
      if (typeof value !== 'string' || value.length === 0) {
        throw new AppError({ code: 'invalid_input', message: `Secret ${name} must be a non-empty string` });
      }
      addRedactedValue(value);
      await store.set(name, value);
    },
    async delete(name) {
      checkName(name);
      return store.delete(name);
    },
  };
}

/** The vault of last resort: holds nothing and says why on every attempt to store. */
export function createRefusingVault(unavailable: string[]): SecretVault {
  const why = unavailable.length > 0 ? ` (${unavailable.join('; ')})` : '';
  const message =
    'No secure secret storage is available: Septet will not save credentials to disk in plain text. ' +
    `Unlock or install a keychain (Secret Service, e.g. gnome-keyring or KWallet) and restart${why}.`;
  return vaultOver(
    'none',
    {
      get: async () => null,
      set: async () => {
        throw new AppError({ code: 'vault_unavailable', message });
      },
      delete: async () => false,
    },
    unavailable,
  );
}

export async function createSecretVault(options: CreateSecretVaultOptions = {}): Promise<SecretVault> {
  const { service = defaultVaultService, logger, probeTimeoutMs = 10_000 } = options;
  const unavailable: string[] = [];

  if (options.keytar !== false) {
    try {
      const keytar = await (options.keytar ?? (() => loadKeytar()))();
      const store = createKeytarBackend(keytar, service);
      await probe(store, probeTimeoutMs);
      logger?.info('secret vault: using the OS keychain (keytar)', { service });
      return vaultOver('keytar', store, unavailable);
    } catch (error) {
      unavailable.push(`keytar: ${reasonOf(error)}`);
    }
  }

  if (options.safeStorage) {
    try {
      const store = createSafeStorageBackend(options.safeStorage.safeStorage, options.safeStorage.store);
      await probe(store, probeTimeoutMs);
      logger?.info('secret vault: using Electron safeStorage', { unavailable });
      return vaultOver('safe-storage', store, unavailable);
    } catch (error) {
      unavailable.push(`safeStorage: ${reasonOf(error)}`);
    }
  } else {
    unavailable.push('safeStorage: not provided (only inside Electron)');
  }

  logger?.warn('secret vault: no secure storage, secrets will not be persisted', { unavailable });
  return createRefusingVault(unavailable);
}

const probeAccount = 'septet-vault-probe';

/**
 * Write, read back and delete a throwaway entry. A locked or missing keyring makes keytar's
 * getPassword quietly return null, so only a round trip proves the store works.
 */
async function probe(store: SecretStore, timeoutMs: number): Promise<void> {
  const value = `probe-${process.pid}-${Date.now()}`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([
      (async () => {
        await store.set(probeAccount, value);
        const back = await store.get(probeAccount);
        if (back !== value) throw new Error('a written entry could not be read back (keyring locked?)');
        await store.delete(probeAccount);
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
