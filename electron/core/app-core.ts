// The composition root of the main-process core: builds every service from its factory, joins
// the handler slices (handlers/<domain>-handlers.ts) into one table with connectivity applied
// once (connectivity.ts), owns start/stop, and exposes the event bus. Both hosts (Electron IPC
// and the browser host) route to these same handlers.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { MediaKey } from '../../shared/ipc/contract.js';
import {
  createAppEventBus,
  type AppEventBus,
  type AppEventSource,
  type ChannelHandlers,
  type HostKind,
} from '../../shared/ipc/handlers.js';
import { createApiClient } from './api/client.js';
import { createSigner } from './api/signer-from-config.js';
import type { SeptetConfig } from './config/config.js';
import { createConnectivity, withConnectivity, type Connectivity } from './connectivity.js';
import { createDownloadNames } from './downloads/download-names.js';
import { createDownloadService } from './downloads/download-service.js';
import { localChannels, selfManagedChannels } from './handlers/channel-kinds.js';
import { appHandlers, playLogHandlers, playLogView, settingsHandlers } from './handlers/app-handlers.js';
import { artistStationHandlers } from './handlers/artist-station-handlers.js';
import { catalogueHandlers } from './handlers/catalogue-handlers.js';
import { homeHandlers } from './handlers/home-handlers.js';
import { createTrackDurations, withTrackDurations } from './catalogue/track-durations.js';
import { createPlayHistory } from './play-log/play-history.js';
import { createArtistStations } from './radio/artist-station.js';
import { downloadHandlers } from './handlers/download-handlers.js';
import { lockerHandlers, salesHandlers, type Pricing } from './handlers/locker-handlers.js';
import { offlineHandlers } from './handlers/offline-handlers.js';
import { playbackHandlers, queueHandlers } from './handlers/playback-handlers.js';
import { playlistHandlers } from './handlers/playlist-handlers.js';
import { radioHandlers } from './handlers/radio-handlers.js';
import { knowDemoSubscription, sessionHandlers } from './handlers/session-handlers.js';
import { createOwnedReleases } from './locker/owned-releases.js';
import { createLogger, type Logger } from './logger.js';
import { createMediaGateway, type MediaGateway } from './media-gateway/media-gateway.js';
import type { StreamServedEvent } from './media-gateway/gateway-types.js';
import { createMasterKeySource, noKeychainForOffline } from './offline-cache/master-key.js';
import {
  createOfflineCacheService,
  type OfflineCacheService,
} from './offline-cache/offline-cache-service.js';
import { createOfflineItems } from './offline-cache/offline-items.js';
import { artworkIdOf, createOfflineLibrary } from './offline-library/offline-library.js';
import { withOfflineLibrary } from './handlers/offline-first.js';
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
import { sessionApi } from './session/session-api.js';
import { createSessionService } from './session/session-service.js';
import { createSettingsStore } from './settings/settings-store.js';
import {
  createEncryptedFileStore,
  createSecretVault,
  type SafeStorageLike,
  type SecretVault,
} from './vault/secret-vault.js';

export type AppCoreOptions = {
  config: SeptetConfig;
  host: HostKind;
  version: string;
  /** Opens the system browser (Electron shell.openExternal, xdg-open, or a test function). */
  openExternal: (url: string) => Promise<void>;
  /** Electron: the folder dialog. Absent in the browser host (the configured folder is used). */
  chooseFolder?: () => Promise<string | null>;
  /** Shows a saved download in the file manager (Electron shell.showItemInFolder, xdg-open, a test function). */
  showItemInFolder?: (path: string) => Promise<void>;
  /** Electron's safeStorage: the vault's fallback when keytar cannot reach a keychain. */
  safeStorage?: SafeStorageLike;
  /** Keychain service name (tests use one per run so parallel apps do not share tokens). */
  vaultService?: string;
  /** An already-created vault (tests). */
  vault?: SecretVault;
  logger?: Logger;
  /** Where downloads go when the listener has not chosen a folder. */
  defaultDownloadFolder?: string;
  /** Currency and prices of sales:buy (the emulator prices in USD). */
  pricing?: Pricing;
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

/** Settings, the vault, the signed API client and the listener's session. */
async function createAccount(options: AppCoreOptions) {
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

type Account = Awaited<ReturnType<typeof createAccount>>;

/** Connectivity, the play log, the offline cache, radio, downloads, the gateway and stream resolution. */
function createMediaServices(account: Account) {
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

/** Every channel's handler, from the domain slices, with connectivity applied once. */
function createHandlerTable(
  options: AppCoreOptions,
  account: Account,
  media: ReturnType<typeof createMediaServices>,
): { handlers: ChannelHandlers; abortDownloads: () => void } {
  const { config, log, events, settings, clientId, vault, api, session, country } = account;
  const { connectivity, playLog, offlineCache, radio, downloadService, streams, library } = media;
  const owned = createOwnedReleases({ api, session });
  // Home and artist radio read the listener's own plays from the play log.
  const history = createPlayHistory(media.playLogDb);
  const { abortAll: abortDownloads, ...downloadChannels } = downloadHandlers({
    downloadService,
    session,
    settings,
    events,
    log,
    ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
    ...(options.showItemInFolder ? { showItemInFolder: options.showItemInFolder } : {}),
    describe: createDownloadNames({ api, session, country }),
    defaultFolder: options.defaultDownloadFolder ?? join(homedir(), 'Downloads', 'Septet'),
  });
  const pricing = options.pricing ?? { currency: 'USD', release: 9.99, track: 0.99 };
  const lockerDeps = { api, session, owned, pricing };
  const items = createOfflineItems({ settings, log });
  const beforeSignOut = async (): Promise<void> => {
    // The listener's open plays are recorded for them while their token is still here.
    const current = session.current();
    if (current) media.plays.accounting.closeAll(current.userId);
    owned.forget();
    await radio.stopAll();
  };
  const plays = media.plays.accounting;
  const connected = withConnectivity(
    {
      ...sessionHandlers({ session, beforeSignOut }),
      ...catalogueHandlers({ api, session, owned, connectivity, country, log }),
      ...playbackHandlers({ streams, plays, session, settings }),
      ...queueHandlers({ settings, session }),
      ...radioHandlers({ radio, streams, plays, session }),
      ...lockerHandlers(lockerDeps),
      ...salesHandlers(lockerDeps),
      ...downloadChannels,
      ...withTrackDurations(playlistHandlers({ api, session }), createTrackDurations({ api, country, log })),
      ...offlineHandlers({
        api,
        session,
        settings,
        offlineCache,
        items,
        events,
        log,
        clientId,
        country,
        library,
        snapshot: { api, country, log },
        offlineRefusal: media.offlineRefusal,
        artworkUrl: media.artworkUrl,
      }),
      ...settingsHandlers({ settings, offlineCache }),
      ...appHandlers({ config, version: options.version, vault, clientId, online: connectivity.online }),
      ...playLogHandlers(playLog),
      ...homeHandlers({ api, session, history, country }),
      ...artistStationHandlers({
        stations: createArtistStations({ api, history, country }),
        radio,
        session,
      }),
    },
    connectivity,
    { local: localChannels, selfManaged: selfManagedChannels },
  );
  const handlers = withOfflineLibrary(connected, {
    library,
    items,
    userId: () => session.current()?.userId,
    online: connectivity.online,
    artworkUrl: media.artworkUrl,
    log,
  });
  return { handlers, abortDownloads };
}

function createVault(options: AppCoreOptions, logger: Logger): Promise<SecretVault> {
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
