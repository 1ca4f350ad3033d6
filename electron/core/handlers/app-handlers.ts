// settings:*, app:* and playlog:* — preferences, what the app is and runs against, and the
// play log's queue as the renderer shows it.
import { demoConsumer } from '../../../shared/demo.js';
import type { LogKind } from '../../../shared/domain/play.js';
import type { AppInfo, PlayLogStatus } from '../../../shared/ipc/contract.js';
import type { SeptetConfig } from '../config/config.js';
import type { PlayLogService } from '../play-log/play-log-service.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { SecretVault } from '../vault/secret-vault.js';
import type { HandlersOf } from './handler-slice.js';

export function settingsHandlers(deps: {
  settings: Pick<SettingsStore, 'get' | 'update'>;
  offlineCache: { setQuota(bytes: number): void };
}): HandlersOf<'settings'> {
  return {
    'settings:get': async () => deps.settings.get(),
    'settings:update': async (patch) => {
      const next = deps.settings.update(patch);
      if (patch.cacheQuotaBytes !== undefined) deps.offlineCache.setQuota(next.cacheQuotaBytes);
      return next;
    },
  };
}

export function appHandlers(deps: {
  config: SeptetConfig;
  version: string;
  vault: Pick<SecretVault, 'backend' | 'unavailable'>;
  clientId: string;
  online: () => boolean;
}): HandlersOf<'app'> {
  return {
    'app:getInfo': async (_arg, context) => {
      const info: AppInfo = {
        version: deps.version,
        host: context.host,
        vaultBackend: deps.vault.backend,
        ...(deps.vault.backend === 'none' ? { vaultProblem: vaultProblem(deps.vault.unavailable) } : {}),
        clientId: deps.clientId,
        apiBaseUrl: deps.config.baseUrl,
        usingEmulator: deps.config.consumerKey === demoConsumer.key,
        online: deps.online(),
        platform: process.platform,
      };
      return info;
    },
  };
}

/**
 * What a listener without a keychain loses and how to fix it. Why each keychain failed
 * (`unavailable`) is in the log and in Settings; the first screen says it in plain words.
 */
export function vaultProblem(_unavailable: readonly string[]): string {
  return (
    'This computer has no working keychain, so Septet cannot remember your sign-in or keep music ' +
    'offline. Install and unlock one (on Debian or Ubuntu: sudo apt-get install gnome-keyring ' +
    'libsecret-1-0), then restart Septet.'
  );
}

export function playLogHandlers(playLog: Pick<PlayLogService, 'status'>): HandlersOf<'playlog'> {
  return { 'playlog:getStatus': async () => playLogView(playLog) };
}

/** The play log's queue per endpoint (pending + in flight), dead letters, last error and last delivery. */
export function playLogView(playLog: Pick<PlayLogService, 'status'>): PlayLogStatus {
  const status = playLog.status();
  const pending = (kind: LogKind): number => status.endpoints[kind].pending + status.endpoints[kind].inFlight;
  const view: PlayLogStatus = {
    pending: {
      subscriber: pending('subscriber'),
      catalogue: pending('catalogue'),
      preview: pending('preview'),
    },
    deadLetters: status.deadLetters,
  };
  if (status.lastError) view.lastError = status.lastError.message;
  const delivered = Object.values(status.endpoints)
    .map((e) => e.lastSuccessAt)
    .filter((at): at is string => at !== null)
    .sort();
  if (delivered.length > 0) view.lastDeliveredAt = delivered[delivered.length - 1];
  return view;
}
