import { AppError } from '../../../shared/errors.js';
import type { SecretStore } from './secret-store.js';

/** The part of keytar the vault uses. */
export type KeytarLike = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

/** keytar is an optional native dependency: load it only when a vault is created. */
export async function loadKeytar(specifier = 'keytar'): Promise<KeytarLike> {
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (error) {
    throw new AppError(
      {
        code: 'vault_unavailable',
        message: `the ${specifier} module is not installed or failed to load (${reasonOf(error)})`,
      },
      { cause: error },
    );
  }
  const candidate = (loaded as { default?: unknown }).default ?? loaded;
  if (!isKeytar(candidate)) {
    throw new AppError({ code: 'vault_unavailable', message: 'the keytar module has an unexpected shape' });
  }
  return candidate;
}

function isKeytar(value: unknown): value is KeytarLike {
  const v = value as Partial<Record<keyof KeytarLike, unknown>> | null;
  return (
    typeof v?.getPassword === 'function' &&
    typeof v.setPassword === 'function' &&
    typeof v.deletePassword === 'function'
  );
}

export function createKeytarBackend(keytar: KeytarLike, service: string): SecretStore {
  const wrap = async <T>(what: string, account: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new AppError(
        { code: 'vault_unavailable', message: `keychain ${what} of ${account} failed: ${reasonOf(error)}` },
        { cause: error },
      );
    }
  };
  return {
    get: (account) => wrap('read', account, () => keytar.getPassword(service, account)),
    set: (account, value) => wrap('write', account, () => keytar.setPassword(service, account, value)),
    delete: (account) => wrap('delete', account, () => keytar.deletePassword(service, account)),
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
