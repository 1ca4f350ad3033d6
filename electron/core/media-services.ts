// The media services of the core, built in the order they depend on each other: connectivity,
// the play log, the offline cache and library, radio, play accounting, downloads, the media
// gateway (created at start, when the renderer's origins are known) and stream resolution.
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { type AppEventBus } from '../../shared/ipc/handlers.js';
import { createConnectivity, type Connectivity } from './connectivity.js';
import { createDownloadService } from './downloads/download-service.js';
import { playLogView } from './handlers/app-handlers.js';
import { type Logger } from './logger.js';
import { createMediaGateway, type MediaGateway } from './media-gateway/media-gateway.js';
import type { StreamServedEvent } from './media-gateway/gateway-types.js';
import { createMasterKeySource, noKeychainForOffline } from './offline-cache/master-key.js';
import {
  createOfflineCacheService,
  type OfflineCacheService,
} from './offline-cache/offline-cache-service.js';
import { artworkIdOf, createOfflineLibrary } from './offline-library/offline-library.js';
import { createApiPlayLogSend } from './play-log/api-send.js';
import { createPlayLogService } from './play-log/play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase } from './play-log/play-log-store.js';
import { createMediaAdapters } from './playback/media-adapters.js';
import { createPlayDelivery } from './playback/play-delivery.js';
import { createPlayServices } from './playback/play-services.js';
import { createStreamResolver } from './playback/stream-resolver.js';
import { announceStreamTakenOver } from './playback/stream-taken-over.js';
import { createSubscriptionCheck } from './playback/subscription-check.js';
import { createRadioService } from './radio/radio-service.js';

import type { Account } from './account.js';

export type MediaServices = ReturnType<typeof createMediaServices>;

/** Connectivity, the play log, the offline cache, radio, downloads, the gateway and stream resolution. */
export function createMediaServices(account: Account) {
  // Long by design (over 80 lines): one straight sequence building the media services in the order they depend on each other.
  const { config, logger, log, events, settings, clientId, vault, api, session, country } = account;
  const connectivity = createConnectivity({
    baseUrl: config.baseUrl,
    log,
    onChange: (online) => {
      events.emit('app:connectivityChanged', { online });
      if (online)
        playLog
          .flush()
          .catch((error: unknown) => log.warn('play log flush after reconnect failed', { error }));
    },
    onTokenRejected: async () => {
      if (session.current()) await session.expire();
    },
  });
  const adapters = createMediaAdapters({ api, session, clientId, online: connectivity.online });

  const playLogDb = openPlayLogDatabase(join(config.dataDir, 'play-log.sqlite'));
  const delivery = createPlayDelivery(session);
  const playLog = createPlayLogService({
    store: createPlayLogStore(playLogDb),
    send: createApiPlayLogSend({ api, tokenFor: delivery.tokenFor }),
    delivery: delivery.delivery,
    logger: logger.child('play-log'),
  });
  playLog.subscribe(() => events.emit('playlog:statusChanged', playLogView(playLog)));

  // One master key for the cached tracks and the library of what they belong to (issue 13).
  const getMasterKey = createMasterKeySource({ vault, log });
  const offlineRefusal = (): string | null => (vault.backend === 'none' ? noKeychainForOffline : null);
  const offlineCache = createOfflineCacheService({
    dir: join(config.dataDir, 'offline'),
    getMasterKey,
    getSession: adapters.sessionInfo,
    call: adapters.apiCall,
    upstream: adapters.upstream,
    quotaBytes: settings.get().cacheQuotaBytes,
    defaultFormat: settings.get().streamFormat,
    deviceName: `Septet on ${process.platform}`,
    log: logger.child('offline-cache'),
  });
  const library = createOfflineLibrary({ dir: join(config.dataDir, 'offline'), getMasterKey });
  /** Copies sealed under a master key the keychain no longer has can never play: forget them. */
  const forgetUnreadableCopies = async (): Promise<void> => {
    if (offlineRefusal()) return;
    await offlineCache
      .purgeUnreadable()
      .catch((error: unknown) =>
        log.warn('could not check the offline copies against the keychain', { error }),
      );
  };
  // With no keychain nothing cached can be decrypted: play from the service instead.
  const playableCache = {
    formatOf: (trackId: string) => (offlineRefusal() ? null : offlineCache.formatOf(trackId)),
    openTrack: (trackId: string) => offlineCache.openTrack(trackId),
  };
  const radio = createRadioService({
    call: adapters.apiCall,
    getSession: adapters.sessionInfo,
    log: logger.child('radio'),
  });
  const plays = createPlayServices({
    playLogDb,
    playLog,
    session,
    radio,
    events,
    log: logger.child('plays'),
  });
  const downloadService = createDownloadService({
    upstream: adapters.upstream,
    getSession: adapters.sessionInfo,
    stateDir: join(config.dataDir, 'downloads'),
    log: logger.child('downloads'),
  });

  // The media gateway is created at start, when the renderer's origins are known.
  const gateway = createGatewayHolder({
    adapters,
    offlineCache: playableCache,
    artwork: (artworkId) => library.artwork(artworkId),
    connectivity,
    events,
    logger,
    onServed: plays.onServed,
  });
  const subscription = createSubscriptionCheck({ api, session, connectivity, events, clientId, country });
  const streams = createStreamResolver({
    session,
    settings,
    gateway: gateway.require,
    connectivity,
    offlineCache: playableCache,
    subscription,
    events,
    plays: plays.accounting,
    clientId,
  });
  const artworkUrl = (url: string): string | undefined => gateway.current()?.artworkUrl(artworkIdOf(url));
  return {
    connectivity,
    adapters,
    playLog,
    playLogDb,
    plays,
    offlineCache,
    library,
    offlineRefusal,
    forgetUnreadableCopies,
    artworkUrl,
    radio,
    downloadService,
    gateway,
    streams,
  };
}

type GatewayHolder = {
  current(): MediaGateway | undefined;
  require(): MediaGateway;
  start(rendererOrigins: string[]): MediaGateway;
};

/** The media gateway, created at start; its upstream failures feed connectivity and takeover. */
function createGatewayHolder(deps: {
  adapters: ReturnType<typeof createMediaAdapters>;
  offlineCache: Pick<OfflineCacheService, 'formatOf' | 'openTrack'>;
  artwork: (artworkId: string) => Promise<{ data: Buffer; contentType: string } | null>;
  connectivity: Connectivity;
  events: AppEventBus;
  logger: Logger;
  onServed: (event: StreamServedEvent) => void;
}): GatewayHolder {
  const { adapters, connectivity, events } = deps;
  let gateway: MediaGateway | undefined;
  return {
    current: () => gateway,
    require() {
      if (!gateway) throw new AppError({ code: 'internal', message: 'The media gateway is not started.' });
      return gateway;
    },
    start(rendererOrigins) {
      gateway = createMediaGateway({
        upstream: adapters.upstream,
        getSession: adapters.sessionInfo,
        offlineCache: deps.offlineCache,
        artwork: deps.artwork,
        isOnline: connectivity.online,
        allowedOrigins: rendererOrigins,
        log: deps.logger.child('media-gateway'),
        onServed: deps.onServed,
        onUpstreamError: (error, context) => {
          if (error.code === 'concurrent_stream') announceStreamTakenOver(events, context.trackId);
          else if (error.code === 'network' || error.code === 'timeout') connectivity.setOnline(false);
        },
      });
      return gateway;
    },
  };
}
