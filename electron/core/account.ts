// The listener's side of the core: settings, the secret vault, the signed API client and the
// session, built first; every other service is built on them.
import { join } from 'node:path';
import { createAppEventBus } from '../../shared/ipc/handlers.js';
import { createApiClient } from './api/client.js';
import { createSigner } from './api/signer-from-config.js';
import type { SeptetConfig } from './config/config.js';
import { createLogger, type Logger } from './logger.js';
import { sessionApi } from './session/session-api.js';
import { createSessionService } from './session/session-service.js';
import { createSettingsStore } from './settings/settings-store.js';
import {
  createEncryptedFileStore,
  createSecretVault,
  type SafeStorageLike,
  type SecretVault,
} from './vault/secret-vault.js';

export type AccountOptions = {
  config: SeptetConfig;
  version: string;
  /** Opens the system browser (Electron shell.openExternal, xdg-open, or a test function). */
  openExternal: (url: string) => Promise<void>;
  /** Electron's safeStorage: the vault's fallback when keytar cannot reach a keychain. */
  safeStorage?: SafeStorageLike;
  /** Keychain service name (tests use one per run so parallel apps do not share tokens). */
  vaultService?: string;
  /** An already-created vault (tests). */
  vault?: SecretVault;
  logger?: Logger;
};

/** Settings, the vault, the signed API client and the listener's session. */
export async function createAccount(options: AccountOptions) {
  const { config } = options;
  const logger = options.logger ?? createLogger('septet');
  const log = logger.child('app-core');
  const events = createAppEventBus((event, error) => log.error('event listener failed', { event, error }));
  const settings = createSettingsStore({ dataDir: config.dataDir, logger: logger.child('settings') });
  const clientId = settings.clientId();
  const vault = options.vault ?? (await createVault(options, logger));
  const signer = await createSigner(config, vault);
  const api = createApiClient({
    baseUrl: config.baseUrl,
    signer,
    // Called per request, after `session` below exists.
    getUserToken: () => session.current()?.token ?? null,
    timeoutMs: config.timeoutMs,
    userAgent: `Septet/${options.version}`,
    logger: logger.child('api'),
  });
  const session = createSessionService({
    api: sessionApi(api),
    vault,
    store: settings,
    openExternal: options.openExternal,
    onChange: (view) => events.emit('session:sessionChanged', view),
    defaultCountry: config.country ?? 'GB',
    logger: logger.child('session'),
  });
  const country = (): string => session.current()?.country ?? config.country ?? 'GB';
  return { config, logger, log, events, settings, clientId, vault, api, session, country };
}

export type Account = Awaited<ReturnType<typeof createAccount>>;
function createVault(options: AccountOptions, logger: Logger): Promise<SecretVault> {
  return createSecretVault({
    service: options.vaultService ?? 'Septet',
    ...(options.safeStorage
      ? {
          safeStorage: {
            safeStorage: options.safeStorage,
            store: createEncryptedFileStore(join(options.config.dataDir, 'secrets.json')),
          },
        }
      : {}),
    logger: logger.child('vault'),
  });
}
