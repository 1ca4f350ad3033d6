// The MassiveMusic API emulator: one HTTP server on 127.0.0.1 that serves the spec's 46
// operations, the playlist extensions and the OAuth token flow, with the real service's
// OAuth, envelope, limits and rules; plus the test-only API under /_emulator/.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getCatalogue } from './catalogue.js';
import { resolveConfig, type EmulatorConfig } from './config.js';
import { openDb } from './db.js';
import { createFaults } from './faults.js';
import { createRouter } from './http.js';
import { createEmulatorMedia, type EmulatorMedia } from './media/emulator-media.js';
import { mediaTransferUrl, registerMediaRoutes } from './media/routes.js';
import { createOAuthVerifier } from './oauth.js';
import { registerRadioRoutes } from './radio/routes.js';
import { createAuthenticator } from './request-auth.js';
import { createRequestHandler } from './request-pipeline.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerCatalogueRoutes } from './routes/catalogue-routes.js';
import { createRateLimiter, type RouteContext } from './routes/context.js';
import { registerLoggingRoutes } from './routes/logging-routes.js';
import { registerOAuthRoutes } from './routes/oauth-routes.js';
import { registerPlaylistRoutes } from './routes/playlist-routes.js';
import { registerTestApi } from './routes/test-api.js';
import { createState, seedDemo, type EmulatorState } from './state.js';
import { createViews } from './views.js';
import { createWitness, registerWitnessRoutes } from './witness.js';

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
  const verifier = createVerifier(state);
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
    views: createViews(catalogue, () => baseUrl),
    baseUrl: () => baseUrl,
    verifier,
    rate: createRateLimiter(state.now),
    downloadUrl: (trackId) => mediaTransferUrl(ctx, trackId),
  };
  const server = createServer(
    createRequestHandler({
      ...registerRoutes(ctx, media),
      state,
      config,
      authenticate: createAuthenticator({ state, config, verifier }),
      log,
    }),
  );
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const port = await listen(server, options.port ?? 8787);
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

/** Every route module over the one route context; the test API on a router of its own. */
function registerRoutes(ctx: RouteContext, media: EmulatorMedia) {
  // The witness remembers stream opens (answers unchanged) to list what cannot be true.
  const witness = createWitness({
    db: ctx.state.db,
    now: ctx.state.now,
    catalogue: ctx.catalogue,
    state: ctx.state,
  });
  const router = witness.observe(createRouter());
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
  registerWitnessRoutes(testApi, witness, radio);
  return { router, testApi, faults };
}

/** OAuth signatures checked against the state's consumers and tokens, on the emulator clock. */
function createVerifier(state: EmulatorState) {
  return createOAuthVerifier({
    getConsumerSecret: (key) => state.getConsumer(key)?.secret ?? null,
    getTokenSecret: (token, kind, consumerKey) => {
      const row = kind === 'access' ? state.getAccessToken(token) : state.getRequestToken(token);
      return row && row.consumerKey === consumerKey ? row.secret : null;
    },
    now: state.now,
    timestampWindowSec: () => state.config.oauthTimestampWindowSec,
  });
}

/** Listens on 127.0.0.1; resolves with the port (the one picked when asked for 0). */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
