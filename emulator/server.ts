// The MassiveMusic API emulator: one HTTP server on 127.0.0.1 that serves the spec's 46
// operations, the playlist extensions and the OAuth token flow, with the real service's
// OAuth, envelope, limits and rules; plus the test-only API under /_emulator/.
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
import { createEmulatorMedia } from './media/emulator-media.js';
import { mediaTransferUrl, registerMediaRoutes } from './media/routes.js';
import { OAuthError, createOAuthVerifier, oauthMessages } from './oauth.js';
import { registerRadioRoutes } from './radio/routes.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerCatalogueRoutes } from './routes/catalogue-routes.js';
import { createRateLimiter, type RouteContext } from './routes/context.js';
import { registerLoggingRoutes } from './routes/logging-routes.js';
import { registerOAuthRoutes } from './routes/oauth-routes.js';
import { registerPlaylistRoutes } from './routes/playlist-routes.js';
import { registerTestApi } from './routes/test-api.js';
import { createState, seedDemo } from './state.js';
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
  const media = createEmulatorMedia({
    catalogue,
    cacheDir: options.mediaCacheDir,
    cacheMaxBytes: options.mediaCacheMaxBytes,
    log,
  });
  const ctx: RouteContext = {
    state,
    config,
    catalogue,
    views,
    baseUrl: () => baseUrl,
    verifier,
    rate: createRateLimiter(state.now),
    downloadUrl: (trackId) => mediaTransferUrl(ctx, trackId),
  };
  const router = createRouter();
  registerCatalogueRoutes(router, ctx);
  registerAccountRoutes(router, ctx);
  registerPlaylistRoutes(router, ctx);
  registerLoggingRoutes(router, ctx);
  registerOAuthRoutes(router, ctx);
  registerMediaRoutes(router, ctx, media);
  const radio = registerRadioRoutes(router, ctx);
  const faults = createFaults();
  const testApi = createRouter();
  registerTestApi(testApi, ctx, { faults, radio, media });

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
  // The media workers load in the background once requests are accepted.
  media.workers.start();

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
        await media.workers.close();
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
