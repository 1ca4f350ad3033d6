// The MassiveMusic API emulator: one HTTP server on 127.0.0.1 that serves the spec's 46
// operations, the playlist extensions and the OAuth token flow, with the real service's
// OAuth, envelope, limits and rules; plus the test-only API under /_emulator/.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operations } from '../shared/api/operations.js';
import { oauthErrorPrefix, serviceErrorCodes } from '../shared/service-errors.js';
import { getCatalogue } from './catalogue.js';
import { resolveConfig, type EmulatorConfig } from './config.js';
import { openDb } from './db.js';
import { createFaults, truncateResponse } from './faults.js';
import type { AuthContext, EmulatorRequest, RouteAuth, Router } from './http.js';
import { ServiceError, createRouter, sendJson, sendServiceError, sendText } from './http.js';
import { createMediaCache, defaultMediaCacheDir } from './media/media-cache.js';
import { createMediaEngine } from './media/media-engine.js';
import { registerMediaRoutes } from './media/routes.js';
import type { AudioTrackInfo } from './media/track-audio.js';
import { createUnitWorkers } from './media/unit-workers.js';
import {
  OAuthError,
  createOAuthVerifier,
  hmacSha1Signature,
  oauthMessages,
  signatureBaseString,
  type Pair,
} from './oauth.js';
import { registerRadioRoutes } from './radio/routes.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerCatalogueRoutes } from './routes/catalogue-routes.js';
import { createRateLimiter, type RouteContext } from './routes/context.js';
import { registerLoggingRoutes } from './routes/logging-routes.js';
import { registerOAuthRoutes } from './routes/oauth-routes.js';
import { registerPlaylistRoutes } from './routes/playlist-routes.js';
import { registerTestApi, type MediaInspector, type RadioInspector } from './routes/test-api.js';
import { createState, seedDemo, type EmulatorState } from './state.js';
import { createViews } from './views.js';

export type { EmulatorConfig } from './config.js';

export type StartEmulatorOptions = {
  port?: number;
  dataDir: string;
  /** The media cache shared by every data dir (default ~/.cache/septet/emulator-media). */
  mediaCacheDir?: string;
  /** Its size limit (default 2 GiB); least recently used units go first. */
  mediaCacheMaxBytes?: number;
  config?: Partial<EmulatorConfig>;
  log?: (line: string) => void;
};

export type RunningEmulator = { url: string; port: number; close(): Promise<void> };

/** Catalogue GETs that may be called key-only (unsigned), like the real API. */
const unsignedCatalogueOps = new Set<string>(
  operations
    .filter((op) => op.tag === 'Catalogue' && op.method === 'GET' && op.operationId !== 'downloadTrack')
    .map((op) => op.operationId),
);
const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const noAuth: AuthContext = { consumerKey: '', userId: null, via: 'consumer' };

class BodyTooLarge extends Error {}

function readBody(raw: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(raw.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    raw.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        raw.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    raw.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    raw.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Extension points for the media and radio modules (emulator/media/routes.ts,
 * emulator/radio/routes.ts): everything they need from the core state.
 */
export type CoreDeps = {
  state: EmulatorState;
  config: EmulatorConfig;
  catalogue: RouteContext['catalogue'];
  baseUrl: () => string;
  now: () => number;
  log: (line: string) => void;
};

export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const config = resolveConfig(options.config);
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const catalogue = getCatalogue();
  const db = openDb(options.dataDir);
  const state = createState(db, catalogue, config);
  seedDemo(state);
  log(
    `catalogue: ${catalogue.stats.artists} artists, ${catalogue.stats.releases} releases, ${catalogue.stats.tracks} tracks (${Date.now() - started} ms)`,
  );

  let baseUrl = '';
  const views = createViews(catalogue, () => baseUrl);
  const verifier = createOAuthVerifier({
    getConsumerSecret: (key) => state.getConsumer(key)?.secret ?? null,
    getTokenSecret: (token, kind, consumerKey) => {
      if (kind === 'access') {
        const row = state.getAccessToken(token);
        return row && row.consumerKey === consumerKey ? row.secret : null;
      }
      const row = state.getRequestToken(token);
      return row && row.consumerKey === consumerKey ? row.secret : null;
    },
    now: state.now,
    timestampWindowSec: () => config.oauthTimestampWindowSec,
  });
  const router = createRouter();
  const faults = createFaults();
  let downloadUrl = (trackId: string) => `${baseUrl}/_media/download/${trackId}`;
  const ctx: RouteContext = {
    state,
    config,
    catalogue,
    views,
    baseUrl: () => baseUrl,
    verifier,
    rate: createRateLimiter(state.now),
    downloadUrl: (trackId) => downloadUrl(trackId),
  };
  registerCatalogueRoutes(router, ctx);
  registerAccountRoutes(router, ctx);
  registerPlaylistRoutes(router, ctx);
  registerLoggingRoutes(router, ctx);
  registerOAuthRoutes(router, ctx);

  // ── Media and radio modules (owned by the emulator-media engineer) ──────────────────────
  const core: CoreDeps = { state, config, catalogue, baseUrl: () => baseUrl, now: state.now, log };
  const closers: (() => Promise<void> | void)[] = [];
  let radio: RadioInspector | null = null;
  let media: MediaInspector | null = null;
  const extensions = await registerExtensions(router, core, options);
  if (extensions.downloadUrl) downloadUrl = extensions.downloadUrl;
  if (extensions.radio) radio = extensions.radio;
  if (extensions.media) media = extensions.media;
  closers.push(...extensions.closers);
  // ───────────────────────────────────────────────────────────────────────────────────────

  const testApi = createRouter();
  registerTestApi(testApi, { state, faults, radio: () => radio, media: () => media, catalogue });

  const dailyCounts = new Map<string, { day: number; count: number }>();
  const countRequest = (key: string) => {
    const day = Math.floor(state.now() / 86_400_000);
    let entry = dailyCounts.get(key);
    if (!entry || entry.day !== day) {
      entry = { day, count: 0 };
      dailyCounts.set(key, entry);
    }
    entry.count += 1;
    return entry.count;
  };
  const setRateHeaders = (res: ServerResponse, count: number) => {
    const resetSec = Math.ceil((86_400_000 - (state.now() % 86_400_000)) / 1000);
    res.setHeader('X-RateLimit-Limit', String(config.dailyRequestLimit));
    res.setHeader('X-RateLimit-Current', String(count));
    res.setHeader('X-RateLimit-Reset', String(resetSec));
    return resetSec;
  };
  const statusFor = (error: ServiceError) => {
    if (error.code === serviceErrorCodes.notAvailable) return config.notAvailableStatus;
    if (error.code === serviceErrorCodes.alreadyExists) return config.alreadyExistsStatus;
    if (error.code === serviceErrorCodes.concurrentStream) return config.concurrentStreamStatus;
    return error.status;
  };
  const sendError = (res: ServerResponse, error: ServiceError) => {
    sendServiceError(res, new ServiceError(statusFor(error), error.code, error.message, error.errors));
  };

  function authenticate(req: EmulatorRequest, mode: RouteAuth, operationId: string | null): AuthContext {
    if (mode === 'none' || mode === 'self') return noAuth;
    const allowUnsigned =
      config.allowUnsignedCatalogue && operationId !== null && unsignedCatalogueOps.has(operationId);
    const v = verifier.verify(
      {
        method: req.method,
        baseUrl: `http://${String(req.headers.host ?? '').toLowerCase()}${req.path}`,
        query: req.query,
        headers: req.headers,
        body: req.body,
      },
      { tokenKind: 'access', allowUnsigned },
    );
    const consumer = state.getConsumer(v.consumerKey);
    if (!consumer) throw new OAuthError(oauthMessages.unknownKey);
    if (v.token !== null) {
      const token = state.getAccessToken(v.token);
      if (!token) throw new OAuthError(oauthMessages.invalidToken);
      const pathUser = req.params.userId;
      if (pathUser !== undefined && pathUser !== token.userId)
        throw new OAuthError(oauthMessages.accessDenied);
      return { consumerKey: v.consumerKey, userId: token.userId, via: 'token' };
    }
    const formUser =
      req.body.length > 0 &&
      String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
        ? new URLSearchParams(req.body.toString('utf8')).get('userId')
        : null;
    const candidate = req.params.userId ?? req.query.get('userId') ?? formUser;
    const optionalUser = mode === 'twoLegged' || operationId === 'streamPreviewClip';
    if (!candidate || !consumer.userManagement || !v.signed) {
      if (optionalUser) return { consumerKey: v.consumerKey, userId: null, via: 'consumer' };
      throw new OAuthError(oauthMessages.noUserCredentials);
    }
    const user = state.getUser(candidate);
    if (!user) {
      if (optionalUser) return { consumerKey: v.consumerKey, userId: null, via: 'consumer' };
      throw new ServiceError(404, serviceErrorCodes.notFound, 'User not found');
    }
    if (user.ownerKey !== consumer.key) {
      if (optionalUser) return { consumerKey: v.consumerKey, userId: null, via: 'consumer' };
      throw new OAuthError(oauthMessages.accessDenied);
    }
    return { consumerKey: v.consumerKey, userId: user.id, via: 'managed' };
  }

  async function dispatch(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const trace = raw.headers['x-7d-traceid'];
    if (typeof trace === 'string') res.setHeader('x-7d-traceid', trace.slice(0, 200));
    setRateHeaders(res, 0);
    // The service's clock (test clock offset included), so a client can correct its own skew.
    res.setHeader('Date', new Date(state.now()).toUTCString());
    let url: URL;
    try {
      url = new URL(raw.url ?? '/', 'http://127.0.0.1');
    } catch {
      sendError(res, new ServiceError(400, serviceErrorCodes.invalidValue, 'Malformed request URL'));
      return;
    }
    const path = url.pathname;
    const method = (raw.method ?? 'GET').toUpperCase();

    if (path === '/_emulator' || path.startsWith('/_emulator/')) {
      if (!loopback.has(raw.socket.remoteAddress ?? '')) {
        sendError(
          res,
          new ServiceError(403, serviceErrorCodes.notAvailable, 'The test API is loopback only'),
        );
        return;
      }
      await route(testApi, raw, res, url, method, true);
      return;
    }

    const hits = faults.take(path);
    for (const fault of hits) if (fault.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
    const fault = hits.find((f) => f.kind !== 'latency');
    if (fault?.kind === 'drop') {
      raw.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      sendInjectedStatus(res, fault.status ?? 503);
      return;
    }
    if (fault?.kind === 'truncate') truncateResponse(res);
    await route(router, raw, res, url, method, false);
  }

  async function route(
    table: Router,
    raw: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    isTestApi: boolean,
  ) {
    let match;
    try {
      match = table.match(method, url.pathname);
    } catch {
      sendError(res, new ServiceError(400, serviceErrorCodes.invalidValue, 'Malformed path'));
      return;
    }
    if (match === null) {
      sendError(res, new ServiceError(404, serviceErrorCodes.notFound, 'Resource not found'));
      return;
    }
    if (match === 'method') {
      sendError(
        res,
        new ServiceError(405, serviceErrorCodes.invalidValue, `Method ${method.slice(0, 10)} not allowed`),
      );
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(raw, config.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('Connection', 'close');
        sendError(
          res,
          new ServiceError(
            413,
            serviceErrorCodes.outOfRange,
            `Request body larger than ${config.maxBodyBytes} bytes`,
          ),
        );
        res.on('finish', () => raw.destroy());
        return;
      }
      throw error;
    }
    const req: EmulatorRequest = {
      method,
      path: url.pathname,
      url,
      query: url.searchParams,
      headers: raw.headers,
      body,
      params: match.params,
      auth: noAuth,
      raw,
    };
    if (!isTestApi) {
      req.auth = authenticate(req, match.auth, match.operationId);
      if (req.auth.consumerKey !== '') {
        const count = countRequest(req.auth.consumerKey);
        const resetSec = setRateHeaders(res, count);
        const consumer = state.getConsumer(req.auth.consumerKey);
        if (consumer && !consumer.live && count > config.dailyRequestLimit) {
          res.setHeader('Retry-After', String(resetSec));
          throw new ServiceError(
            429,
            serviceErrorCodes.outOfRange,
            'Daily request limit reached for this key',
          );
        }
      }
    }
    await match.handler(req, res);
  }

  const server = createServer((raw, res) => {
    dispatch(raw, res).catch((error: unknown) => {
      if (res.headersSent) {
        if (!res.writableEnded) res.destroy();
        return;
      }
      if (error instanceof OAuthError) {
        sendText(res, error.status, 'text/plain; charset=utf-8', error.message);
        return;
      }
      if (error instanceof ServiceError) {
        sendError(res, error);
        return;
      }
      log(
        `unexpected error on ${raw.method ?? ''} ${raw.url ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendJson(res, 500, {
        status: 'error',
        error: { code: serviceErrorCodes.unableToPerformAction, message: 'Unable to perform action' },
      });
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  log(`ready in ${Date.now() - started} ms`);
  extensions.onListening?.();

  let closing: Promise<void> | null = null;
  return {
    url: baseUrl,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        for (const close of closers) await close();
        db.close();
      })();
      return closing;
    },
  };
}

/** An injected error status, shaped like the service's own answer for that status. */
function sendInjectedStatus(res: ServerResponse, status: number): void {
  if (status === 401) {
    sendText(
      res,
      401,
      'text/plain; charset=utf-8',
      `${oauthErrorPrefix}Access to resource denied (injected fault)`,
    );
    return;
  }
  if (status === 429) res.setHeader('Retry-After', '1');
  const [code, message] =
    status === 429
      ? [serviceErrorCodes.outOfRange, 'Rate limit exceeded (injected fault)']
      : status === 404
        ? [serviceErrorCodes.notFound, 'Resource not found (injected fault)']
        : status === 403
          ? [serviceErrorCodes.notAvailable, 'Resource not available (injected fault)']
          : status < 500
            ? [serviceErrorCodes.invalidValue, 'Invalid request (injected fault)']
            : [9001, 'Unexpected internal server error (injected fault)'];
  sendServiceError(res, new ServiceError(status, code, message));
}

type Extensions = {
  downloadUrl?: (trackId: string) => string;
  radio?: RadioInspector;
  media?: MediaInspector;
  /** Work that may wait until the server accepts requests. */
  onListening?: () => void;
  closers: (() => Promise<void> | void)[];
};

/**
 * Wires the media and radio route modules (owned by the emulator-media engineer):
 * registerMediaRoutes(router, MediaRouteDeps) and registerRadioRoutes(router, RadioRouteDeps),
 * with their deps built from the core state. Media is generated (or reused from the shared
 * content-addressed cache) before the server starts listening.
 */
async function registerExtensions(
  router: Router,
  core: CoreDeps,
  options: StartEmulatorOptions,
): Promise<Extensions> {
  const { state, config, catalogue } = core;
  const now = () => new Date(core.now());
  const isTrackAvailableInCountry = (trackId: string, country: string) => {
    const track = catalogue.tracks.get(trackId);
    const release = track ? catalogue.releases.get(track.releaseId) : undefined;
    return release !== undefined && !release.unavailableIn.includes(country.toUpperCase());
  };
  const userCountry = (userId: string) => state.getUserCountry(userId) ?? undefined;

  const cache = createMediaCache({
    dir: options.mediaCacheDir ?? defaultMediaCacheDir(),
    ...(options.mediaCacheMaxBytes !== undefined ? { maxBytes: options.mediaCacheMaxBytes } : {}),
    log: core.log,
  });
  const workers = createUnitWorkers();
  const media = createMediaEngine({
    cache,
    workers,
    trackInfo: (trackId) => audioTrackInfo(catalogue, trackId),
  });
  core.log(
    `media: generated on demand into ${cache.root} (limit ${(cache.maxBytes / 1024 ** 3).toFixed(1)} GiB)`,
  );
  registerMediaRoutes(router, {
    media,
    cache,
    baseUrl: core.baseUrl,
    now,
    config: {
      concurrentStreamBlockSec: config.concurrentStreamBlockSec,
      signedMediaUrlTtlSec: config.signedMediaUrlTtlSec,
      mediaTransferRequestsPerSec: config.mediaTransferRequestsPerSec,
      hlsEncrypt: config.hlsEncrypt,
      notAvailableStatus: config.notAvailableStatus,
      concurrentStreamStatus: config.concurrentStreamStatus,
    },
    getTrack(trackId) {
      const t = catalogue.tracks.get(trackId);
      return t
        ? { trackId: t.id, releaseId: t.releaseId, title: t.title, trackNumber: t.trackNumber }
        : undefined;
    },
    releaseTrackIds: (releaseId) => catalogue.releases.get(releaseId)?.trackIds.slice(),
    isTrackAvailableInCountry,
    userCountry,
    hasActiveSubscription: (userId, at) => state.hasActiveSubscription(userId, at.getTime()),
    isTrackInLocker: (userId, trackId) => state.isTrackInLocker(userId, trackId),
    isReleaseInLocker: (userId, releaseId) => state.isReleaseInLocker(userId, releaseId),
    getPurchase(userId, purchaseId) {
      const purchase = state.getPurchase(purchaseId);
      if (!purchase || purchase.userId !== userId) return undefined;
      if (purchase.refundedAt !== null && config.refundRemovesFromLocker) return undefined;
      return {
        trackIds:
          purchase.trackId !== null
            ? [purchase.trackId]
            : (catalogue.releases.get(purchase.releaseId)?.trackIds.slice() ?? []),
      };
    },
    isDeviceAuthorised: (userId, deviceId) => state.isDeviceAuthorised(userId, deviceId),
  });

  const views = createViews(catalogue, core.baseUrl);
  const engine = registerRadioRoutes(router, {
    db: state.db,
    now,
    config,
    playlistTrackIds(playlistId, userId) {
      const playlist = state.getPlaylist(playlistId);
      if (!playlist || (playlist.userId !== null && playlist.userId !== userId)) return undefined;
      return state.playlistTracks(playlistId).map((t) => t.trackId);
    },
    trackMeta(trackId) {
      const t = catalogue.tracks.get(trackId);
      const release = t ? catalogue.releases.get(t.releaseId) : undefined;
      if (!t || !release) return undefined;
      return {
        trackId: t.id,
        releaseId: t.releaseId,
        artistId: t.artistId,
        isCompilation: release.type === 'compilation',
      };
    },
    isTrackAvailableInCountry,
    userCountry,
    userExists: (userId) => state.getUser(userId) !== null,
    trackJson: (trackId) => views.trackById(trackId) ?? undefined,
    streamUrl: (trackId) => `${core.baseUrl()}/streaming/catalogue/${trackId}/hls`,
  });

  return {
    downloadUrl: (trackId) =>
      signedUrl(core, `/content-delivery/media-transfer`, { trackId, format: 'mp3', bitrate: '320' }),
    radio: { history: (sessionId) => engine.history(sessionId) },
    media: { engine: media, cache },
    // The media workers load in the background once requests are accepted.
    onListening: () => workers.start(),
    closers: [() => workers.close()],
  };
}

/**
 * A URL pre-signed by the emulator with the demo consumer's credentials (2-legged, query
 * string), like the real service's signed media URLs: valid for the OAuth timestamp window, once.
 */
function signedUrl(core: CoreDeps, path: string, params: Record<string, string>): string {
  const key = core.config.demo.consumerKey;
  const secret = core.state.getConsumer(key)?.secret ?? core.config.demo.consumerSecret;
  const pairs: Pair[] = [
    ...Object.entries(params),
    ['oauth_consumer_key', key],
    ['oauth_nonce', randomBytes(12).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(core.now() / 1000))],
    ['oauth_version', '1.0'],
  ];
  const baseUrl = `${core.baseUrl()}${path}`;
  const signature = hmacSha1Signature(signatureBaseString('GET', baseUrl, pairs), secret);
  const query = new URLSearchParams([...pairs, ['oauth_signature', signature]]);
  return `${baseUrl}?${query.toString()}`;
}

/** What the media engine needs to know of a catalogue track. */
function audioTrackInfo(catalogue: CoreDeps['catalogue'], trackId: string): AudioTrackInfo | undefined {
  const track = catalogue.tracks.get(trackId);
  const release = track ? catalogue.releases.get(track.releaseId) : undefined;
  if (!track || !release) return undefined;
  return {
    trackId: track.id,
    releaseId: release.id,
    title: track.title,
    artistName: catalogue.artists.get(track.artistId)?.name ?? '',
    releaseTitle: release.title,
    trackNumber: track.trackNumber,
    durationSec: track.durationSec,
    ...(release.gapless
      ? {
          gaplessRelease: release.trackIds.map((id) => ({
            trackId: id,
            durationSec: catalogue.tracks.get(id)?.durationSec ?? 0,
          })),
        }
      : {}),
  };
}
