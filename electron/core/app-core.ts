// The composition root of the main-process core: builds every service from its factory, owns
// start/stop, and exposes one handler per contract channel plus the event bus. Both hosts
// (Electron IPC and the browser host) route to these same handlers.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError, isAppError } from '../../shared/errors.js';
import { demoConsumer, demoNoSubscriptionListener } from '../../shared/demo.js';
import type {
  AppInfo,
  DeviceView,
  DownloadView,
  LockerView,
  LogKind,
  MediaKey,
  OfflineItemView,
  OfflineStatusView,
  PlayContext,
  PlayLogStatus,
  RadioTrackView,
  ReleaseView,
  SessionView,
  StreamView,
} from '../../shared/ipc/contract.js';
import {
  createAppEventBus,
  type AppEventSource,
  type ChannelHandlers,
  type HostKind,
} from '../../shared/ipc/handlers.js';
import {
  compact,
  toArtistView,
  toPage,
  toPlaylistSummary,
  toPlaylistTrackInput,
  toPlaylistView,
  toReleaseView,
  toTrackView,
} from '../../shared/ipc/views.js';
import { createApiClient, type ApiClient } from './api/client.js';
import { createLocalSigner, type Signer } from './api/oauth.js';
import { createRemoteSigner } from './api/remote-signer.js';
import type { SeptetConfig } from './config/config.js';
import {
  createDownloadService,
  type DownloadKind as ServiceDownloadKind,
} from './downloads/download-service.js';
import { createLogger, addRedactedValue, type Logger } from './logger.js';
import { createMediaGateway, type MediaGateway, type StreamRequest } from './media-gateway/media-gateway.js';
import type { ApiCall, SessionInfo, UpstreamFetch } from './media-gateway/upstream.js';
import { createOfflineCacheService } from './offline-cache/offline-cache-service.js';
import { createHttpPlayLogSend } from './play-log/http-send.js';
import { createPlayLogService } from './play-log/play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase } from './play-log/play-log-store.js';
import { createRadioService, type RadioNext } from './radio/radio-service.js';
import { createSessionService, type SessionApi } from './session/session-service.js';
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
  pricing?: { currency: string; release: number; track: number };
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

const streamFormatIds = { high: 56, standard: 55 } as const;
const downloadFormatIds = { mp3: '17', flac: '45' } as const;
const previewSeconds = 30;

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const { config } = options;
  const logger = options.logger ?? createLogger('septet');
  const log = logger.child('app-core');
  const events = createAppEventBus((event, error) => log.error('event listener failed', { event, error }));

  const settings = createSettingsStore({ dataDir: config.dataDir, logger: logger.child('settings') });
  const clientId = settings.clientId();

  const vault =
    options.vault ??
    (await createSecretVault({
      service: options.vaultService ?? 'Septet',
      ...(options.safeStorage
        ? {
            safeStorage: {
              safeStorage: options.safeStorage,
              store: createEncryptedFileStore(join(config.dataDir, 'secrets.json')),
            },
          }
        : {}),
      logger: logger.child('vault'),
    }));

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

  // ---- connectivity -------------------------------------------------------------------------
  // While offline the API host is probed this often, so playback resumes within ~2 s of the
  // network returning (issue 6); a HEAD that fails fast costs nothing while there is no network.
  const offlineProbeIntervalMs = 1_000;
  let online = true;
  let probeTimer: NodeJS.Timeout | undefined;
  const setOnline = (value: boolean): void => {
    if (value === online) return;
    online = value;
    log.info(value ? 'back online' : 'offline', { apiBaseUrl: config.baseUrl });
    events.emit('app:connectivityChanged', { online: value });
    if (value) {
      playLog.flush().catch((error: unknown) => log.warn('play log flush after reconnect failed', { error }));
    } else {
      scheduleProbe();
    }
  };
  /** Any HTTP answer from the API's host means reachable; only a failed connection means offline. */
  const probe = async (): Promise<boolean> => {
    try {
      const response = await fetch(config.baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      setOnline(true);
      return true;
    } catch {
      setOnline(false);
      return false;
    }
  };
  const scheduleProbe = (): void => {
    if (probeTimer || stopped) return;
    probeTimer = setTimeout(() => {
      probeTimer = undefined;
      void probe().then((ok) => {
        if (!ok) scheduleProbe();
      });
    }, offlineProbeIntervalMs);
    probeTimer.unref();
  };
  /** Runs a service call; connection failures flip the app offline, a rejected user token signs out. */
  const remote = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      const value = await run();
      setOnline(true);
      return value;
    } catch (error) {
      if (isAppError(error)) {
        if (error.code === 'network' || error.code === 'timeout') setOnline(false);
        if (
          error.code === 'unauthorized' &&
          session.current() &&
          /token|user credentials/i.test(error.message)
        ) {
          await session.expire();
        }
        if (error.code === 'network' && !online) {
          throw new AppError(
            { code: 'offline', message: 'Septet cannot reach the music service right now.' },
            { cause: error },
          );
        }
      }
      throw error;
    }
  };

  // ---- session info for the media services -------------------------------------------------
  const sessionInfo = (): SessionInfo | null => {
    const current = session.current();
    if (!current) return null;
    const view = session.view();
    const subscription = view.state === 'signedIn' ? view.subscription : 'unknown';
    return {
      userId: current.userId,
      country: current.country,
      clientId,
      subscriptionActive: !online
        ? null
        : subscription === 'active' || subscription === 'unknown'
          ? true
          : false,
    };
  };
  const upstream: UpstreamFetch = (operationId, request) => {
    const current = session.current();
    return api.fetchSigned(operationId, {
      ...(request.path ? { path: request.path } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.headers?.range ? { range: request.headers.range } : {}),
      ...(current ? { userId: current.userId } : {}),
    });
  };

  const apiCall: ApiCall = (operationId, request) => {
    const current = session.current();
    return api.call(operationId, {
      ...(request.path ? { path: request.path } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(current ? { userId: current.userId } : {}),
    });
  };

  // ---- play log ------------------------------------------------------------------------------
  const playLogDb = openPlayLogDatabase(join(config.dataDir, 'play-log.sqlite'));
  const playLog = createPlayLogService({
    store: createPlayLogStore(playLogDb),
    send: createHttpPlayLogSend({
      baseUrl: config.baseUrl,
      signer,
      token: () => session.current()?.token ?? null,
    }),
    logger: logger.child('play-log'),
  });
  const playLogView = (): PlayLogStatus => {
    const status = playLog.status();
    const pending = (kind: LogKind): number =>
      status.endpoints[kind].pending + status.endpoints[kind].inFlight;
    const view: PlayLogStatus = {
      pending: {
        subscriber: pending('subscriber'),
        catalogue: pending('catalogue'),
        preview: pending('preview'),
      },
      deadLetters: status.deadLetters,
    };
    if (status.lastError) view.lastError = status.lastError.message;
    return view;
  };
  playLog.subscribe(() => events.emit('playlog:statusChanged', playLogView()));

  // ---- offline cache -------------------------------------------------------------------------
  let memoryMasterKey: Buffer | undefined;
  const getMasterKey = async (): Promise<Buffer> => {
    const stored = await vault.get('cacheMasterKey');
    if (stored) return Buffer.from(stored, 'base64');
    if (memoryMasterKey) return memoryMasterKey;
    const key = randomBytes(32);
    try {
      await vault.set('cacheMasterKey', key.toString('base64'));
    } catch (error) {
      if (!isAppError(error) || error.code !== 'vault_unavailable') throw error;
      log.warn('no keychain: offline tracks are encrypted with a key kept for this run only');
      memoryMasterKey = key;
    }
    return key;
  };
  const offlineCache = createOfflineCacheService({
    dir: join(config.dataDir, 'offline'),
    getMasterKey,
    getSession: sessionInfo,
    call: apiCall,
    upstream,
    quotaBytes: settings.get().cacheQuotaBytes,
    defaultFormat: settings.get().streamFormat,
    deviceName: `Septet on ${process.platform}`,
    log: logger.child('offline-cache'),
  });

  // ---- radio --------------------------------------------------------------------------------
  const radio = createRadioService({ call: apiCall, getSession: sessionInfo, log: logger.child('radio') });
  const radioTrackView = async (next: RadioNext): Promise<RadioTrackView> => {
    const track = toTrackView(next.track) ?? {
      id: next.trackId,
      title: 'Untitled',
      artist: { id: 'unknown', name: 'Unknown artist' },
    };
    const stream = await resolveStream({ trackId: next.trackId, context: 'radio' }, true);
    const station = radio.view();
    return {
      track,
      stream,
      skipAllowed: next.skipAllowed && (station?.skipAllowed ?? false),
      skipsRemaining: station?.skipsRemaining ?? 0,
    };
  };

  // ---- downloads -----------------------------------------------------------------------------
  const downloads = new Map<string, { view: DownloadView; abort: AbortController }>();
  const downloadService = createDownloadService({
    upstream,
    getSession: sessionInfo,
    stateDir: join(config.dataDir, 'downloads'),
    log: logger.child('downloads'),
  });
  const defaultDownloadFolder = options.defaultDownloadFolder ?? join(homedir(), 'Downloads', 'Septet');

  // ---- media gateway (created at start, when the renderer's origins are known) ----------------
  let gateway: MediaGateway | undefined;
  const requireGateway = (): MediaGateway => {
    if (!gateway) throw new AppError({ code: 'internal', message: 'The media gateway is not started.' });
    return gateway;
  };

  let stopped = false;

  // ---- playback ------------------------------------------------------------------------------
  const resolveStream = async (
    arg: { trackId: string; releaseId?: string; context: PlayContext },
    warm: boolean,
  ): Promise<StreamView> => {
    const current = session.require();
    const prefs = settings.get();
    const format = prefs.streamFormat;
    const base = { trackId: arg.trackId, context: arg.context };

    const preview = (): StreamView => ({
      ...base,
      url: requireGateway().urlFor({ trackId: arg.trackId, source: 'preview', format: 'progressive' }),
      kind: 'progressive',
      playMode: 'online',
      logKind: 'preview',
      durationSec: previewSeconds,
    });

    switch (arg.context) {
      case 'preview':
        return preview();
      case 'radio':
      case 'locker': {
        const request: StreamRequest = {
          trackId: arg.trackId,
          source: arg.context === 'radio' ? 'catalogue' : 'locker',
          format,
        };
        const url =
          warm && format === 'hls'
            ? await remote(() => requireGateway().prefetch(request))
            : requireGateway().urlFor(request);
        return {
          ...base,
          url,
          kind: format,
          playMode: 'online',
          logKind: arg.context === 'radio' ? 'catalogue' : 'subscriber',
        };
      }
      case 'subscription': {
        const cachedFormat = offlineCache.formatOf(arg.trackId);
        if (cachedFormat) {
          const reachable = await probe();
          // Online, the service still decides: a lapsed subscription stops cached tracks too.
          if (reachable) await checkSubscription(arg.trackId, current.userId);
          const request: StreamRequest = {
            trackId: arg.trackId,
            source: reachable ? 'subscription' : 'offline',
            format: cachedFormat,
          };
          return {
            ...base,
            url: requireGateway().urlFor(request),
            kind: cachedFormat,
            playMode: reachable ? 'online-cached' : 'offline',
            logKind: 'subscriber',
            formatId: streamFormatIds[prefs.streamQuality],
          };
        }
        const view = session.view();
        if (view.state === 'signedIn' && (view.subscription === 'none' || view.subscription === 'expired'))
          return preview();
        const request: StreamRequest = { trackId: arg.trackId, source: 'subscription', format };
        let url: string;
        try {
          // Fetching the manifest now (HLS) also tells whether the listener may stream at all.
          url =
            format === 'hls'
              ? await remote(() => requireGateway().prefetch(request))
              : requireGateway().urlFor(request);
        } catch (error) {
          if (isAppError(error) && error.code === 'not_available' && /subscription/i.test(error.message)) {
            lapsed();
            return preview();
          }
          if (isAppError(error) && error.code === 'concurrent_stream') {
            events.emit('playback:streamTakenOver', { trackId: arg.trackId, message: takeoverMessage });
          }
          throw error;
        }
        if (format === 'hls') session.setSubscription('active');
        return {
          ...base,
          url,
          kind: format,
          playMode: 'online',
          logKind: 'subscriber',
          formatId: streamFormatIds[prefs.streamQuality],
        };
      }
    }
    void current;
    throw new AppError({ code: 'invalid_input', message: 'Unknown play context.' });
  };

  const lapsed = (): void => {
    const view = session.view();
    session.setSubscription(view.state === 'signedIn' && view.subscription === 'active' ? 'expired' : 'none');
  };
  /** Asks the service for the track's subscription manifest; throws when the subscription lapsed. */
  const checkSubscription = async (trackId: string, userId: string): Promise<void> => {
    try {
      await remote(() =>
        api.call('streamSubscriptionTrackHls', {
          path: { trackId },
          query: { country: country(), clientId },
          userId,
          timeoutMs: 5_000,
        }),
      );
      session.setSubscription('active');
    } catch (error) {
      if (isAppError(error) && error.code === 'not_available' && /subscription/i.test(error.message)) {
        lapsed();
        throw new AppError({
          code: 'not_available',
          message:
            'Your subscription has lapsed, so tracks kept offline cannot play. Renew it to keep listening.',
        });
      }
      if (isAppError(error) && error.code === 'concurrent_stream') {
        events.emit('playback:streamTakenOver', { trackId, message: takeoverMessage });
        throw error;
      }
      // Network trouble: the cache and its own entitlement record decide.
      if (
        isAppError(error) &&
        (error.code === 'offline' || error.code === 'network' || error.code === 'timeout')
      )
        return;
      throw error;
    }
  };

  // ---- locker (ownership for release pages) --------------------------------------------------
  let lockerCache: { userId: string; at: number; releaseIds: Set<string> } | undefined;
  const ownedReleaseIds = async (): Promise<Set<string>> => {
    const current = session.require();
    if (lockerCache && lockerCache.userId === current.userId && Date.now() - lockerCache.at < 30_000)
      return lockerCache.releaseIds;
    const ids = new Set<string>();
    for (let page = 1; page <= 20; page++) {
      const locker = await remote(() => api.getUserLocker({ userId: current.userId, page, pageSize: 100 }));
      for (const release of locker.releases ?? []) if (release.id) ids.add(release.id);
      if ((locker.releases?.length ?? 0) + (locker.tracks?.length ?? 0) < 100) break;
    }
    lockerCache = { userId: current.userId, at: Date.now(), releaseIds: ids };
    return ids;
  };

  // ---- offline items -------------------------------------------------------------------------
  const offlineItems = new Map<string, OfflineItemView & { trackIds: string[] }>(
    settings.getOfflineItems().map((item) => [item.itemId, item]),
  );
  const saveOfflineItems = (): void => settings.setOfflineItems([...offlineItems.values()]);
  /** Saving when background caching ends: a failure (e.g. a full disk) is logged, never left unhandled. */
  const saveOfflineItemsAfter = (before?: () => void): void => {
    try {
      before?.();
      saveOfflineItems();
    } catch (error) {
      log.warn('could not save the offline items', { error });
    }
  };
  const publicItem = (item: OfflineItemView & { trackIds: string[] }): OfflineItemView => {
    const { trackIds: _trackIds, ...view } = item;
    return view;
  };

  const country = (): string => session.current()?.country ?? config.country ?? 'GB';
  const catalogueQuery = () => ({ extraQuery: { country: country() } });
  const pricing = options.pricing ?? { currency: 'USD', release: 9.99, track: 0.99 };

  const tracksOf = async (
    target: { releaseId: string } | { playlistId: string },
  ): Promise<{ title: string; trackIds: string[] }> => {
    if ('releaseId' in target) {
      const [release, listing] = await Promise.all([
        remote(() => api.getReleaseDetails({ releaseId: target.releaseId, ...catalogueQuery() })),
        remote(() => api.getReleaseTrackListing({ releaseId: target.releaseId, ...catalogueQuery() })),
      ]);
      return { title: release.title ?? 'Release', trackIds: compact(listing.tracks, (t) => t.id ?? null) };
    }
    const playlist = await remote(() => api.getPlaylist({ playlistId: target.playlistId }));
    return {
      title: playlist.name ?? 'Playlist',
      trackIds: compact(playlist.tracks, (t) => t.trackId || null),
    };
  };

  // ---- handlers ------------------------------------------------------------------------------
  const handlers: ChannelHandlers = {
    'session:getSession': async () => session.view(),
    'session:signInWithPassword': ({ email, password }) =>
      remote(() => session.signInWithPassword(email, password)),
    'session:signInWithBrowser': () => remote(() => session.signInWithBrowser()),
    'session:cancelSignIn': async () => {
      session.cancelSignIn();
      return null;
    },
    'session:signInDemo': async ({ subscription }) => {
      const view = await remote(() => session.signInDemo(subscription));
      // The demo accounts' subscriptions are known: the API has no "subscription status" call.
      if (view.state === 'signedIn')
        session.setSubscription(view.userId === demoNoSubscriptionListener.userId ? 'none' : 'active');
      return session.view();
    },
    'session:signOut': async () => {
      lockerCache = undefined;
      await radio.stopAll();
      return session.signOut();
    },

    'catalogue:searchArtists': async (arg) => {
      const list = await remote(() =>
        api.searchArtists({ q: arg.q, page: arg.page, pageSize: arg.pageSize, ...catalogueQuery() }),
      );
      return toPage(list, compact(list.artists, toArtistView), arg);
    },
    'catalogue:searchReleases': async (arg) => {
      const list = await remote(() =>
        api.searchReleases({ q: arg.q, page: arg.page, pageSize: arg.pageSize, ...catalogueQuery() }),
      );
      return toPage(list, compact(list.releases, toReleaseView), arg);
    },
    'catalogue:searchTracks': async (arg) => {
      const list = await remote(() =>
        api.searchTracks({ q: arg.q, page: arg.page, pageSize: arg.pageSize, ...catalogueQuery() }),
      );
      return toPage(list, compact(list.tracks, toTrackView), arg);
    },
    'catalogue:browseArtists': async (arg) => {
      const list = await remote(() =>
        api.browseArtistsByName({
          letter: arg.letter,
          page: arg.page,
          pageSize: arg.pageSize,
          ...catalogueQuery(),
        }),
      );
      return toPage(list, compact(list.artists, toArtistView), arg);
    },
    'catalogue:getArtist': async ({ artistId }) => {
      const artist = toArtistView(
        await remote(() => api.getArtistDetails({ artistId, ...catalogueQuery() })),
      );
      if (!artist) throw new AppError({ code: 'malformed_response', message: 'The artist has no id.' });
      return artist;
    },
    'catalogue:getArtistReleases': async (arg) => {
      const list = await remote(() =>
        api.getArtistReleases({
          artistId: arg.artistId,
          page: arg.page,
          pageSize: arg.pageSize,
          ...(arg.type ? { type: arg.type } : {}),
          ...catalogueQuery(),
        }),
      );
      return toPage(list, compact(list.releases, toReleaseView), arg);
    },
    'catalogue:getRelease': async ({ releaseId }) => {
      const release: ReleaseView | null = toReleaseView(
        await remote(() => api.getReleaseDetails({ releaseId, ...catalogueQuery() })),
      );
      if (!release) throw new AppError({ code: 'malformed_response', message: 'The release has no id.' });
      if (session.current()) {
        release.owned = await ownedReleaseIds()
          .then((ids) => ids.has(releaseId))
          .catch((error: unknown) => {
            log.warn('could not read the locker for ownership', { error });
            return false;
          });
      }
      return release;
    },
    'catalogue:getReleaseTracks': async ({ releaseId }) => {
      const listing = await remote(() => api.getReleaseTrackListing({ releaseId, ...catalogueQuery() }));
      return compact(listing.tracks, toTrackView);
    },
    'catalogue:getTracks': async ({ trackIds }) => {
      const batch = await remote(() =>
        api.getTracksBatchDetails({ body: { trackIds }, ...catalogueQuery() }),
      );
      return compact(batch.tracks, toTrackView);
    },

    'playback:resolveStream': (arg) => resolveStream(arg, true),
    'playback:prefetch': (arg) => resolveStream(arg, true),
    'playback:reportPlay': async (arg) => {
      const current = session.require();
      const kind: LogKind =
        arg.logKind ??
        (arg.context === 'preview' ? 'preview' : arg.context === 'radio' ? 'catalogue' : 'subscriber');
      const durationPlayed = Math.max(0, Math.round(arg.durationPlayed));
      const timestamp = arg.startedAt ?? new Date(Date.now() - durationPlayed * 1000).toISOString();
      const recorded = playLog.recordPlay({
        kind,
        playMode: arg.playMode,
        trackId: arg.trackId,
        userId: current.userId,
        clientId,
        durationPlayed,
        country: current.country,
        ...(arg.releaseId ? { releaseId: arg.releaseId } : {}),
        ...(arg.formatId !== undefined ? { formatId: arg.formatId } : {}),
        ...(kind !== 'preview' ? { endReason: arg.endReason } : {}),
        timestamp,
      });
      return { localId: recorded.localId };
    },
    'playback:reclaimStream': ({ trackId }) => resolveStream({ trackId, context: 'subscription' }, true),

    'queue:getSaved': async () => settings.getSavedQueue(),
    'queue:save': async (queue) => {
      settings.saveQueue(queue);
      return null;
    },

    'radio:startStation': async ({ playlistIds, ruleset }) => {
      session.require();
      const station = await remote(() => radio.startStation({ playlistIds, ruleset }));
      return {
        sessionId: station.sessionId,
        ruleset: station.ruleset,
        skipsRemaining: station.skipsRemaining,
      };
    },
    'radio:nextTrack': async () => radioTrackView(await remote(() => radio.nextTrack())),
    'radio:reportEvent': async ({ trackId, type, durationPlayed }) => {
      if (type === 'skip')
        throw new AppError({
          code: 'invalid_input',
          message: 'Use radio:skip to skip, so the budget is kept.',
        });
      radio.reportEvents([
        { eventType: type, trackId, ...(durationPlayed !== undefined ? { durationPlayed } : {}) },
      ]);
      return null;
    },
    'radio:skip': async ({ durationPlayed }) =>
      radioTrackView(await remote(() => radio.skip({ durationPlayed }))),
    'radio:stopStation': async () => {
      await remote(() => radio.stopStation());
      return null;
    },

    'locker:getLocker': async ({ page, pageSize }) => {
      const current = session.require();
      const locker = await remote(() => api.getUserLocker({ userId: current.userId, page, pageSize }));
      const view: LockerView = {
        releases: compact(locker.releases, toReleaseView).map((r) => ({ ...r, owned: true })),
        tracks: compact(locker.tracks, toTrackView),
        page: locker.page ?? page,
        pageSize: locker.pageSize ?? pageSize,
        totalItems: locker.totalItems ?? 0,
      };
      return view;
    },

    'downloads:chooseFolder': async () => {
      if (!options.chooseFolder) return { folder: settings.get().downloadFolder ?? defaultDownloadFolder };
      const folder = await options.chooseFolder();
      if (folder) settings.update({ downloadFolder: folder });
      return { folder };
    },
    'downloads:start': async (arg) => {
      session.require();
      const folder = arg.folder ?? settings.get().downloadFolder ?? defaultDownloadFolder;
      const format = arg.format ?? settings.get().downloadFormat;
      const downloadId = `${arg.kind}-${arg.id}-${randomBytes(4).toString('hex')}`;
      const abort = new AbortController();
      const view: DownloadView = {
        downloadId,
        kind: arg.kind,
        itemId: arg.id,
        state: 'running',
        receivedBytes: 0,
      };
      downloads.set(downloadId, { view, abort });
      const emit = (): void => events.emit('downloads:progressChanged', { ...view });
      emit();
      const task = downloadService.download({
        kind: arg.kind as ServiceDownloadKind,
        id: arg.id,
        folder,
        ...(arg.kind !== 'purchase' ? { formatId: downloadFormatIds[format] } : {}),
        signal: abort.signal,
        onProgress: (progress) => {
          view.receivedBytes = progress.bytes;
          if (progress.total !== null) view.totalBytes = progress.total;
          emit();
        },
      });
      task.then(
        (result) => {
          view.state = 'done';
          view.receivedBytes = result.bytes;
          view.totalBytes = result.bytes;
          view.filePath = result.path;
          emit();
        },
        (error: unknown) => {
          view.state = abort.signal.aborted ? 'cancelled' : 'failed';
          view.error = isAppError(error)
            ? error.toData()
            : { code: 'internal', message: 'The download failed.' };
          if (view.state === 'failed') log.warn('download failed', { downloadId, error });
          emit();
        },
      );
      return { ...view };
    },
    'downloads:cancel': async ({ downloadId }) => {
      downloads.get(downloadId)?.abort.abort();
      return null;
    },
    'downloads:list': async () => [...downloads.values()].map((d) => ({ ...d.view })),

    'playlists:list': async ({ page, pageSize }) => {
      const current = session.require();
      const list = await remote(() => api.listPlaylists({ userId: current.userId, page, pageSize }));
      return toPage(list, compact(list.playlists, toPlaylistSummary), { page, pageSize });
    },
    'playlists:get': async ({ playlistId }) =>
      playlistView(await remote(() => api.getPlaylist({ playlistId }))),
    'playlists:create': async (arg) => {
      const current = session.require();
      const created = await remote(() =>
        api.createPlaylist({
          userId: current.userId,
          body: {
            name: arg.name,
            visibility: arg.visibility,
            ...(arg.description !== undefined ? { description: arg.description } : {}),
            ...(arg.tracks ? { tracks: arg.tracks.map(toPlaylistTrackInput) } : {}),
          },
        }),
      );
      return playlistView(created);
    },
    'playlists:update': async ({ playlistId, ...changes }) => {
      session.require();
      const body = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      await remote(() => api.updatePlaylistDetails({ playlistId, body }));
      return playlistView(await remote(() => api.getPlaylist({ playlistId })));
    },
    'playlists:addTracks': async ({ playlistId, tracks }) => {
      session.require();
      const updated = await remote(() =>
        api.addTracksToPlaylist({ playlistId, body: { tracks: tracks.map(toPlaylistTrackInput) } }),
      );
      return playlistView(updated);
    },
    'playlists:removeTrack': async ({ playlistId, playlistTrackId }) => {
      session.require();
      return playlistView(await remote(() => api.removePlaylistTrack({ playlistId, playlistTrackId })));
    },
    'playlists:moveTrack': async ({ playlistId, playlistTrackId, toPosition }) => {
      session.require();
      const playlist = playlistView(await remote(() => api.getPlaylist({ playlistId })));
      const rest = playlist.tracks.filter((t) => t.playlistTrackId !== playlistTrackId);
      if (rest.length === playlist.tracks.length)
        throw new AppError({ code: 'not_found', message: 'That track is not in the playlist.' });
      const index = Math.min(Math.max(toPosition - 1, 0), rest.length);
      const after = index === 0 ? '0' : (rest[index - 1]?.playlistTrackId ?? '0');
      return playlistView(await remote(() => api.movePlaylistTrack({ playlistId, playlistTrackId, after })));
    },
    'playlists:delete': async ({ playlistId }) => {
      session.require();
      await remote(() => api.deletePlaylist({ playlistId }));
      return null;
    },

    'sales:buy': async (arg) => {
      const current = session.require();
      const isRelease = 'releaseId' in arg;
      const body = {
        userId: current.userId,
        ...(isRelease ? { releaseId: arg.releaseId } : { trackId: arg.trackId }),
        currency: pricing.currency,
        price: isRelease ? pricing.release : pricing.track,
      };
      const receipt = await remote(() => api.creditSalesItem({ userId: current.userId, body }));
      lockerCache = undefined;
      const purchase = (receipt as { response?: { purchase?: { '@_id'?: unknown } } }).response?.purchase;
      const purchaseId = purchase?.['@_id'];
      return typeof purchaseId === 'string' || typeof purchaseId === 'number'
        ? { purchaseId: String(purchaseId) }
        : {};
    },

    'offline:authoriseDevice': async ({ deviceName }) => {
      const current = session.require();
      const result = await remote(() =>
        api.authorizeOfflineDevice({
          userId: current.userId,
          body: { deviceId: clientId, deviceName: deviceName ?? `Septet on ${process.platform}` },
        }),
      );
      settings.setDeviceAuthorised(current.userId, true);
      return deviceView(result, clientId);
    },
    'offline:listDevices': async () => {
      const current = session.require();
      const list = (await remote(() => api.listOfflineDevices({ userId: current.userId }))) as {
        devices?: unknown[];
      };
      return compact(list.devices as Parameters<typeof deviceView>[0][] | undefined, (d) =>
        d.deviceId ? deviceView(d, clientId) : null,
      );
    },
    'offline:makeAvailable': async (target) => {
      const current = session.require();
      const itemId = 'releaseId' in target ? `release:${target.releaseId}` : `playlist:${target.playlistId}`;
      const { title, trackIds } = await tracksOf(target);
      const item: OfflineItemView & { trackIds: string[] } = {
        itemId,
        kind: 'releaseId' in target ? 'release' : 'playlist',
        title,
        trackCount: trackIds.length,
        cachedCount: trackIds.filter((id) => offlineCache.has(id)).length,
        bytes: 0,
        state: 'downloading',
        trackIds,
      };
      const previous = offlineItems.get(itemId);
      offlineItems.set(itemId, item);
      try {
        saveOfflineItems();
      } catch (error) {
        // Nothing started: leave the list as it was (a full disk fails here with disk_full).
        if (previous) offlineItems.set(itemId, previous);
        else offlineItems.delete(itemId);
        throw error;
      }
      const emit = (): void => events.emit('offline:progressChanged', publicItem(item));
      emit();
      const byTrack = new Map<string, number>();
      offlineCache
        .makeAvailable(trackIds, {
          pin: true,
          format: settings.get().streamFormat,
          onProgress: (progress) => {
            byTrack.set(progress.trackId, progress.bytes);
            item.bytes = [...byTrack.values()].reduce((a, b) => a + b, 0);
            item.cachedCount = trackIds.filter((id) => offlineCache.has(id)).length;
            emit();
          },
        })
        .then(
          (results) => {
            item.cachedCount = trackIds.filter((id) => offlineCache.has(id)).length;
            const failed = results.find((r) => !r.ok);
            item.state = failed && item.cachedCount < item.trackCount ? 'failed' : 'ready';
            if (failed && !failed.ok) item.error = failed.error.toData();
            else delete item.error;
            saveOfflineItemsAfter(() => settings.setDeviceAuthorised(current.userId, true));
            emit();
          },
          (error: unknown) => {
            item.state = 'failed';
            item.error = isAppError(error)
              ? error.toData()
              : { code: 'internal', message: 'Making this available offline failed.' };
            log.warn('make available offline failed', { itemId, error });
            saveOfflineItemsAfter();
            emit();
          },
        );
      return publicItem(item);
    },
    'offline:remove': async (target) => {
      const itemId = 'releaseId' in target ? `release:${target.releaseId}` : `playlist:${target.playlistId}`;
      const item = offlineItems.get(itemId);
      if (!item) return null;
      offlineItems.delete(itemId);
      const stillWanted = new Set([...offlineItems.values()].flatMap((other) => other.trackIds));
      offlineCache.remove(item.trackIds.filter((id) => !stillWanted.has(id)));
      saveOfflineItems();
      return null;
    },
    'offline:getStatus': async () => {
      const current = session.current();
      const usage = offlineCache.usage();
      const view: OfflineStatusView = {
        deviceAuthorised: current ? settings.isDeviceAuthorised(current.userId) : false,
        usedBytes: usage.usedBytes,
        quotaBytes: usage.quotaBytes,
        items: [...offlineItems.values()].map(publicItem),
        cachedTrackIds: offlineCache
          .list()
          .filter((entry) => entry.status === 'ok')
          .map((entry) => entry.trackId),
      };
      return view;
    },

    'settings:get': async () => settings.get(),
    'settings:update': async (patch) => {
      const next = settings.update(patch);
      if (patch.cacheQuotaBytes !== undefined) offlineCache.setQuota(next.cacheQuotaBytes);
      return next;
    },

    'app:getInfo': async (_arg, context) => {
      const info: AppInfo = {
        version: options.version,
        host: context.host,
        vaultBackend: vault.backend,
        clientId,
        apiBaseUrl: config.baseUrl,
        usingEmulator: config.consumerKey === demoConsumer.key,
        online,
        platform: process.platform,
      };
      return info;
    },
    'playlog:getStatus': async () => playLogView(),
  };

  return {
    handlers,
    events,
    async start(startOptions) {
      gateway = createMediaGateway({
        upstream,
        getSession: sessionInfo,
        offlineCache,
        isOnline: () => online,
        allowedOrigins: startOptions.rendererOrigins,
        log: logger.child('media-gateway'),
        onUpstreamError: (error, context) => {
          if (error.code === 'concurrent_stream') {
            events.emit('playback:streamTakenOver', { trackId: context.trackId, message: takeoverMessage });
          } else if (error.code === 'network' || error.code === 'timeout') {
            setOnline(false);
          }
        },
      });
      await gateway.start();
      const restored: SessionView = await session.restore();
      if (restored.state === 'signedIn' && restored.method === 'demo') {
        session.setSubscription(restored.userId === demoNoSubscriptionListener.userId ? 'none' : 'active');
      }
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
      clearTimeout(probeTimer);
      for (const { abort } of downloads.values()) abort.abort();
      session.cancelSignIn();
      await radio.stopAll();
      await gateway?.stop();
      await playLog
        .close({ flush: online })
        .catch((error: unknown) => log.warn('play log did not flush at shutdown', { error }));
      await offlineCache.close();
      playLogDb.close();
      settings.close();
    },
    gatewayOrigin: () => gateway?.origin(),
    mediaKeyPressed: (key) => events.emit('app:mediaKeyPressed', { key }),
  };
}

const takeoverMessage =
  'Your subscription is playing on another device, so playback stopped here. Take it back to keep listening.';

function playlistView(playlist: Parameters<typeof toPlaylistView>[0]) {
  const view = toPlaylistView(playlist);
  if (!view) throw new AppError({ code: 'malformed_response', message: 'The playlist has no id.' });
  return view;
}

function deviceView(
  device: {
    deviceId?: string;
    deviceName?: string;
    platform?: string;
    status?: 'authorised' | 'deauthorised';
    authorisedAt?: string;
  },
  clientId: string,
): DeviceView {
  const view: DeviceView = {
    deviceId: device.deviceId ?? clientId,
    status: device.status ?? 'authorised',
    thisDevice: (device.deviceId ?? clientId) === clientId,
  };
  if (device.deviceName) view.deviceName = device.deviceName;
  if (device.platform) view.platform = device.platform;
  if (device.authorisedAt) view.authorisedAt = device.authorisedAt;
  return view;
}

/** Adapts the API client's token flow to what sign-in needs. */
function sessionApi(api: ApiClient): SessionApi {
  return {
    requestToken: (args) => api.requestToken(args?.callback ? { callback: args.callback } : {}),
    authoriseUrl: (token, callback) => api.authoriseUrl(token, callback),
    authoriseWithPassword: (args) => api.authoriseWithPassword(args),
    accessToken: (args) => api.accessToken(args),
  };
}

/** A remote signer when configured (the consumer secret stays with the partner), else the local one. */
async function createSigner(config: SeptetConfig, vault: SecretVault): Promise<Signer> {
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
