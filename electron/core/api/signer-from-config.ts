// The signer the configuration asks for: a remote signing service (the consumer secret stays with
// the partner) or the local HMAC-SHA1 signer with the secret from the config or the keychain.
import { AppError } from '../../../shared/errors.js';
import type { SeptetConfig } from '../config/config.js';
import { addRedactedValue } from '../logger.js';
import type { SecretVault } from '../vault/secret-vault.js';
import { createLocalSigner, type Signer } from './oauth.js';
import { createRemoteSigner } from './remote-signer.js';

export async function createSigner(config: SeptetConfig, vault: Pick<SecretVault, 'get'>): Promise<Signer> {
  if (config.signerUrl) return createRemoteSigner({ url: config.signerUrl, consumerKey: config.consumerKey });
  const secret = config.consumerSecret ?? (await vault.get('consumerSecret'));
  if (!secret) {
    throw new AppError({
      code: 'unauthorized',
      message: `No consumer secret for key ${config.consumerKey}: set SEPTET_CONSUMER_SECRET, store it in the keychain, or configure a signing service.`,
    });
  }
  addRedactedValue(secret);
  return createLocalSigner({ consumerKey: config.consumerKey, consumerSecret: secret, includeVersion: true });
}
