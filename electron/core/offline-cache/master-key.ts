// The offline cache's master key: kept in the vault; with no keychain, a key for this run only
// (tracks cached in such a run cannot be read after a restart, which is said in the log).
import { randomBytes } from 'node:crypto';
import { isAppError } from '../../../shared/errors.js';
import type { Logger } from '../logger.js';
import type { SecretVault } from '../vault/secret-vault.js';

export function createMasterKeySource(deps: {
  vault: Pick<SecretVault, 'get' | 'set'>;
  log: Pick<Logger, 'warn'>;
}): () => Promise<Buffer> {
  let memoryMasterKey: Buffer | undefined;
  return async () => {
    const stored = await deps.vault.get('cacheMasterKey');
    if (stored) return Buffer.from(stored, 'base64');
    if (memoryMasterKey) return memoryMasterKey;
    const key = randomBytes(32);
    try {
      await deps.vault.set('cacheMasterKey', key.toString('base64'));
    } catch (error) {
      if (!isAppError(error) || error.code !== 'vault_unavailable') throw error;
      deps.log.warn('no keychain: offline tracks are encrypted with a key kept for this run only');
      memoryMasterKey = key;
    }
    return key;
  };
}
