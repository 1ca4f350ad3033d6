// The offline cache's master key, kept in the vault. With no keychain there is none: a key for
// one run would seal copies that cannot be read after a restart (issue 13: "ready" tracks that
// never play), so offline copies are refused instead, with the reason.
import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../../../shared/errors.js';
import type { Logger } from '../logger.js';
import type { SecretVault } from '../vault/secret-vault.js';

export const noKeychainForOffline =
  'Septet cannot keep music offline on this computer: there is no working keychain to protect the ' +
  'offline copies (and sign-in is not remembered either). Install and unlock a keychain ' +
  '(gnome-keyring or KWallet), then restart Septet.';

export function createMasterKeySource(deps: {
  vault: Pick<SecretVault, 'get' | 'set' | 'backend'>;
  log: Pick<Logger, 'warn'>;
}): () => Promise<Buffer> {
  // One key per run: two first uses at once must not each make (and store) a different key.
  let pending: Promise<Buffer> | undefined;
  const read = async (): Promise<Buffer> => {
    if (deps.vault.backend === 'none')
      throw new AppError({ code: 'vault_unavailable', message: noKeychainForOffline });
    const stored = await deps.vault.get('cacheMasterKey');
    if (stored) return Buffer.from(stored, 'base64');
    const key = randomBytes(32);
    try {
      await deps.vault.set('cacheMasterKey', key.toString('base64'));
    } catch (error) {
      if (!isAppError(error) || error.code !== 'vault_unavailable') throw error;
      deps.log.warn('the keychain refused the offline master key', { reason: error.message });
      throw new AppError({ code: 'vault_unavailable', message: noKeychainForOffline }, { cause: error });
    }
    return key;
  };
  return () => {
    pending ??= read().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
