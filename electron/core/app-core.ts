// The composition root of the main-process core: the listener's account (account.ts), the media
// services built on it (media-services.ts) and the channel handler table (handler-table.ts, the
// domain slices with connectivity applied once); it owns start/stop and exposes the event bus.
// Both hosts (Electron IPC and the browser host) route to these same handlers.
import type { MediaKey } from '../../shared/ipc/contract.js';
import type { AppEventSource, ChannelHandlers, HostKind } from '../../shared/ipc/handlers.js';
import { createAccount, type AccountOptions } from './account.js';
import { createHandlerTable, type HandlerTableOptions } from './handler-table.js';
import { createMediaServices } from './media-services.js';
import { knowDemoSubscription } from './handlers/session-handlers.js';

export type AppCoreOptions = AccountOptions &
  HandlerTableOptions & {
    host: HostKind;
  };

export type AppCoreStartOptions = {
  /** Origins of the renderer (browser host origin, septet://app) allowed to fetch from the gateway. */
  rendererOrigins: string[];
};

export type AppCore = {
  handlers: ChannelHandlers;
  events: AppEventSource;
  start(options: AppCoreStartOptions): Promise<void>;
  stop(): Promise<void>;
  /** The media gateway's origin, once started (for the CSP). */
  gatewayOrigin(): string | undefined;
  /** The Electron host's global shortcuts report media keys here; the renderer gets app:mediaKeyPressed. */
  mediaKeyPressed(key: MediaKey): void;
};

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const account = await createAccount(options);
  const media = createMediaServices(account);
  const { handlers, abortDownloads } = createHandlerTable(options, account, media);
  const { config, session, settings, events, log } = account;
  const { connectivity, playLog, playLogDb, offlineCache, radio } = media;

  let stopped = false;
  return {
    handlers,
    events,
    async start(startOptions) {
      const gateway = media.gateway.start(startOptions.rendererOrigins);
      await gateway.start();
      knowDemoSubscription(session, await session.restore());
      await media.forgetUnreadableCopies();
      // Plays a previous run left open (a crash, a kill) are recorded for their own listeners.
      media.plays.accounting.closeAll();
      playLog.start();
      log.info('core started', {
        dataDir: config.dataDir,
        apiBaseUrl: config.baseUrl,
        gateway: gateway.origin(),
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      connectivity.stop();
      abortDownloads();
      session.cancelSignIn();
      await radio.stopAll();
      await media.gateway.current()?.stop();
      media.plays.accounting.closeAll();
      await playLog
        .close({ flush: connectivity.online() })
        .catch((error: unknown) => log.warn('play log did not flush at shutdown', { error }));
      await offlineCache.close();
      media.library.close();
      playLogDb.close();
      settings.close();
    },
    gatewayOrigin: () => media.gateway.current()?.origin(),
    mediaKeyPressed: (key) => events.emit('app:mediaKeyPressed', { key }),
  };
}
