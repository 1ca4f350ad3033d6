// The media gateway (docs/architecture.md §3a): a loopback HTTP server in main that the
// renderer's audio engine and <audio> fetch from. Every URL carries an unguessable per-run token;
// requests without it, or with a foreign Host header (DNS rebinding), get 403. Manifests are
// fetched signed from the API (or read from the offline cache) and rewritten so every segment
// and key URI points back here; progressive audio passes Range through. Artwork kept in the
// offline library is served here too, so offline pages show their covers.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamSource } from '../../../shared/domain/stream.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import { errorFromFailedResponse, toNetworkError } from '../api/response.js';
import { isStreamTakenOver } from '../api/service-failures.js';
import {
  corsHeadersFor,
  hangUpSignal,
  httpStatusFor,
  operationFor,
  sendWebBody,
  serveCachedRange,
  serveStoredImage,
} from './gateway-http.js';
import type { MediaGatewayDeps, StreamRequest } from './gateway-types.js';
import { rewriteManifest, type HlsResource, type HlsResourceKind } from './hls-manifest.js';
import { defaultUrlFetch } from './upstream.js';

export type {
  GatewayOfflineCache,
  MediaGatewayDeps,
  StreamErrorContext,
  StreamFormat,
  StreamRequest,
  StreamServedEvent,
  StreamSource,
} from './gateway-types.js';
export { parseRange } from './gateway-http.js';

type PrefetchedPart = { data: Buffer; contentType: string };

type StreamState = {
  id: string;
  request: StreamRequest;
  upstreamManifest?: { resources: HlsResource[]; text: string; fetchedAt: number };
  prefetched: Map<string, PrefetchedPart>;
};

const maxStreams = 256;

export type MediaGateway = ReturnType<typeof createMediaGateway>;

export function createMediaGateway(deps: MediaGatewayDeps) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const fetchUrl = deps.fetchUrl ?? defaultUrlFetch;
  const now = deps.now ?? Date.now;
  const manifestTtlMs = deps.manifestTtlMs ?? 5 * 60_000;
  const resourceTimeoutMs = deps.resourceTimeoutMs ?? 60_000;
  // Streams holding prefetched bytes, oldest first: only the next track or two are kept warm.
  const warmStreams: StreamState[] = [];
  const allowedOrigins = new Set(deps.allowedOrigins ?? []);
  const streams = new Map<string, StreamState>();
  const streamIdByKey = new Map<string, string>();
  let server: Server | undefined;
  let port = 0;

  const base = () => `http://127.0.0.1:${port}/${token}`;
  const resourceUrl = (streamId: string, kind: HlsResourceKind, index: number) =>
    `${base()}/s/${streamId}/${kind}/${index}`;

  function streamFor(request: StreamRequest): StreamState {
    const key = `${request.source}\u0000${request.format}\u0000${request.trackId}`;
    const existing = streamIdByKey.get(key);
    const state = existing ? streams.get(existing) : undefined;
    if (state) {
      // Keep recently used streams at the end of the insertion order (LRU).
      streams.delete(state.id);
      streams.set(state.id, state);
      return state;
    }
    const id = randomBytes(12).toString('base64url');
    const created: StreamState = { id, request: { ...request }, prefetched: new Map() };
    streams.set(id, created);
    streamIdByKey.set(key, id);
    while (streams.size > maxStreams) {
      const oldest = streams.values().next().value as StreamState;
      streams.delete(oldest.id);
      streamIdByKey.delete(
        `${oldest.request.source}\u0000${oldest.request.format}\u0000${oldest.request.trackId}`,
      );
    }
    return created;
  }

  function urlOf(state: StreamState): string {
    return state.request.format === 'hls'
      ? `${base()}/s/${state.id}/index.m3u8`
      : `${base()}/s/${state.id}/audio`;
  }

  function servesFromCache(request: StreamRequest): boolean {
    if (request.source === 'offline') return true;
    if (request.source !== 'subscription' || !deps.offlineCache) return false;
    if (deps.offlineCache.formatOf(request.trackId) !== request.format) return false;
    return deps.preferCache !== false || deps.isOnline?.() === false;
  }

  function upstreamQuery(source: StreamSource): Record<string, string | undefined> {
    const session = deps.getSession();
    if (!session) throw new AppError({ code: 'unauthorized', message: 'Sign in to play.' });
    const query: Record<string, string | undefined> = { country: session.country };
    if (source === 'subscription') query.clientId = session.clientId;
    return query;
  }

  async function fetchUpstreamManifest(state: StreamState): Promise<string> {
    const { trackId, source, format } = state.request;
    if (source === 'offline')
      throw new AppError({ code: 'offline', message: `Track ${trackId} is not cached` });
    const what = `manifest of ${trackId}`;
    const response = await deps
      .upstream(operationFor(source, format), { path: { trackId }, query: upstreamQuery(source) })
      .catch((error: unknown) => {
        throw toNetworkError(error, what);
      });
    if (!response.ok) throw await errorFromFailedResponse(response, { what });
    const rewritten = rewriteManifest(await response.text(), response.url || undefined, (r) =>
      resourceUrl(state.id, r.kind, r.index),
    );
    state.upstreamManifest = { resources: rewritten.resources, text: rewritten.text, fetchedAt: now() };
    return rewritten.text;
  }

  async function fetchUpstreamResource(
    state: StreamState,
    kind: HlsResourceKind,
    index: number,
    signal?: AbortSignal,
  ): Promise<Response> {
    const what = `${kind} ${index} of ${state.request.trackId}`;
    for (let attempt = 0; ; attempt += 1) {
      if (!state.upstreamManifest) await fetchUpstreamManifest(state);
      const manifest = state.upstreamManifest!;
      const resource = manifest.resources.find((r) => r.kind === kind && r.index === index);
      if (!resource) throw new AppError({ code: 'not_found', message: `${what}: no such resource` });
      const response = await fetchUrl(resource.uri, signal ? { signal } : {}).catch((error: unknown) => {
        throw toNetworkError(error, what);
      });
      if (!response.ok) {
        const error = await errorFromFailedResponse(response, { what });
        // Segment URIs carry short-lived tokens: when one is refused, re-fetch the manifest once —
        // not when another device took the stream (3201): a new manifest would take it back.
        const expired = [401, 403, 410].includes(response.status) && !isStreamTakenOver(error);
        if (!expired || attempt > 0 || now() - manifest.fetchedAt <= 1_000) throw error;
        delete state.upstreamManifest;
        continue;
      }
      return response;
    }
  }

  const corsHeaders = (req: IncomingMessage) => corsHeadersFor(req, allowedOrigins);

  function sendError(req: IncomingMessage, res: ServerResponse, error: AppError): void {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    const body = JSON.stringify({ error: error.toData() });
    res
      .writeHead(httpStatusFor(error), {
        ...corsHeaders(req),
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
      })
      .end(body);
  }

  function report(error: AppError, state: StreamState, resource: string, from: 'upstream' | 'cache'): void {
    deps.log?.warn('stream request failed', {
      trackId: state.request.trackId,
      source: state.request.source,
      resource,
      code: error.code,
      serviceCode: error.serviceCode,
    });
    deps.onUpstreamError?.(error, { ...state.request, streamId: state.id, from, resource });
  }

  async function serveManifest(req: IncomingMessage, res: ServerResponse, state: StreamState): Promise<void> {
    const { trackId } = state.request;
    let text: string;
    const fromCache = servesFromCache(state.request);
    if (fromCache) {
      const track = await openCached(state);
      try {
        const stored = await track.manifest();
        if (stored === null)
          throw new AppError({ code: 'offline', message: `Track ${trackId} is not cached as HLS` });
        text = rewriteManifest(stored, 'gateway:/', (r) => resourceUrl(state.id, r.kind, r.index)).text;
      } finally {
        await track.close();
      }
    } else {
      text =
        state.upstreamManifest && now() - state.upstreamManifest.fetchedAt < manifestTtlMs
          ? state.upstreamManifest.text
          : await fetchUpstreamManifest(state);
    }
    deps.onServed?.({ ...state.request, streamId: state.id, servedFrom: fromCache ? 'cache' : 'upstream' });
    res
      .writeHead(200, {
        ...corsHeaders(req),
        'Content-Type': 'application/vnd.apple.mpegurl',
        'Cache-Control': 'no-store',
      })
      .end(text);
  }

  async function openCached(state: StreamState) {
    if (!deps.offlineCache || deps.offlineCache.formatOf(state.request.trackId) !== state.request.format) {
      throw new AppError({
        code: 'offline',
        message: `Track ${state.request.trackId} is not available offline`,
      });
    }
    return deps.offlineCache.openTrack(state.request.trackId);
  }

  async function serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    state: StreamState,
    kind: HlsResourceKind,
    index: number,
  ): Promise<void> {
    const name = `${kind}/${index}`;
    const headers = { ...corsHeaders(req), 'Cache-Control': 'no-store' };
    if (servesFromCache(state.request)) {
      const track = await openCached(state);
      try {
        const part = await track.readPart(name);
        res
          .writeHead(200, {
            ...headers,
            'Content-Type': part.contentType,
            'Content-Length': String(part.data.length),
          })
          .end(part.data);
      } finally {
        await track.close();
      }
      return;
    }
    const prefetched = state.prefetched.get(name);
    if (prefetched) {
      state.prefetched.delete(name);
      res
        .writeHead(200, {
          ...headers,
          'Content-Type': prefetched.contentType,
          'Content-Length': String(prefetched.data.length),
        })
        .end(prefetched.data);
      return;
    }
    const response = await fetchUpstreamResource(state, kind, index, hangUpSignal(res, resourceTimeoutMs));
    const out: Record<string, string> = {
      ...headers,
      'Content-Type': response.headers.get('content-type') ?? 'application/octet-stream',
    };
    const length = response.headers.get('content-length');
    if (length !== null) out['Content-Length'] = length;
    res.writeHead(200, out);
    await sendWebBody(res, response.body);
  }

  async function serveProgressive(
    req: IncomingMessage,
    res: ServerResponse,
    state: StreamState,
  ): Promise<void> {
    const { trackId, source, format } = state.request;
    const headers: Record<string, string> = { ...corsHeaders(req), 'Cache-Control': 'no-store' };
    if (servesFromCache(state.request)) {
      const track = await openCached(state);
      try {
        await serveCachedRange(req, res, track, headers, () =>
          deps.onServed?.({ ...state.request, streamId: state.id, servedFrom: 'cache' }),
        );
      } finally {
        await track.close();
      }
      return;
    }
    if (source === 'offline')
      throw new AppError({ code: 'offline', message: `Track ${trackId} is not cached` });
    const what = `audio of ${trackId}`;
    const requestHeaders: Record<string, string> = {};
    if (req.headers.range) requestHeaders.range = req.headers.range;
    const response = await deps
      .upstream(operationFor(source, format), {
        path: { trackId },
        query: upstreamQuery(source),
        headers: requestHeaders,
      })
      .catch((error: unknown) => {
        throw toNetworkError(error, what);
      });
    if (response.status === 416) {
      const out: Record<string, string> = { ...headers };
      const cr = response.headers.get('content-range');
      if (cr) out['Content-Range'] = cr;
      await response.body?.cancel();
      res.writeHead(416, out).end();
      return;
    }
    if (!response.ok) throw await errorFromFailedResponse(response, { what });
    for (const name of ['content-type', 'content-length', 'content-range', 'accept-ranges']) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    res.writeHead(response.status, headers);
    deps.onServed?.({ ...state.request, streamId: state.id, servedFrom: 'upstream' });
    await sendWebBody(res, response.body);
  }

  function checkAccess(req: IncomingMessage): string[] | null {
    const host = req.headers.host;
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return null;
    // Media elements send no Origin; the audio engine's fetches do. A page of another site is refused even with a token.
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) return null;
    const path = (req.url ?? '').split('?')[0] ?? '';
    const segments = path.split('/').slice(1);
    const given = Buffer.from(segments[0] ?? '');
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return null;
    return segments.slice(1);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const segments = checkAccess(req);
    if (!segments) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden');
      return;
    }
    if (req.method === 'OPTIONS') {
      const cors = corsHeaders(req);
      if (!cors['Access-Control-Allow-Origin']) {
        res.writeHead(403).end();
        return;
      }
      res
        .writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, HEAD',
          'Access-Control-Allow-Headers': 'Range',
          'Access-Control-Max-Age': '600',
        })
        .end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS' }).end();
      return;
    }
    const [kind, streamId, resource, indexText] = segments;
    if (kind === 'art' && streamId) return serveStoredImage(res, corsHeaders(req), deps.artwork, streamId);
    const state = kind === 's' && streamId ? streams.get(streamId) : undefined;
    if (!state) {
      sendError(req, res, new AppError({ code: 'not_found', message: 'unknown stream' }));
      return;
    }
    const name = resource === 'index.m3u8' || resource === 'audio' ? resource : `${resource}/${indexText}`;
    const from = servesFromCache(state.request) ? 'cache' : 'upstream';
    // Players hang up all the time (seeks, track changes): that is never an upstream problem.
    let clientGone = false;
    res.once('close', () => {
      if (!res.writableFinished) clientGone = true;
    });
    try {
      if (resource === 'index.m3u8' && state.request.format === 'hls') await serveManifest(req, res, state);
      else if (resource === 'audio' && state.request.format === 'progressive')
        await serveProgressive(req, res, state);
      else if (
        (resource === 'seg' || resource === 'key' || resource === 'map') &&
        /^\d+$/.test(indexText ?? '')
      ) {
        await serveResource(req, res, state, resource, Number(indexText));
      } else sendError(req, res, new AppError({ code: 'not_found', message: 'unknown resource' }));
    } catch (error) {
      const appError = isAppError(error) ? error : toNetworkError(error, `stream ${state.request.trackId}`);
      const errorCode = (error as { code?: unknown } | null)?.code;
      const errorName = (error as { name?: unknown } | null)?.name;
      if (
        errorCode === 'ERR_STREAM_PREMATURE_CLOSE' ||
        (clientGone && (errorName === 'AbortError' || appError.code === 'cancelled'))
      ) {
        if (!res.destroyed) res.destroy();
        return;
      }
      // An unsatisfiable Range (thrown by an API client that rejects non-2xx) is the player's business.
      if (appError.status === 416 && !res.headersSent) {
        res.writeHead(416, corsHeaders(req)).end();
        return;
      }
      report(appError, state, name, from);
      sendError(req, res, appError);
    }
  }

  return {
    /** Binds 127.0.0.1 on deps.port (default: a free port). */
    async start(): Promise<{ port: number; baseUrl: string }> {
      if (server) return { port, baseUrl: base() };
      const created = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          deps.log?.error('media gateway handler failed', { message: String(error) });
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        });
      });
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(deps.port ?? 0, '127.0.0.1', () => {
          created.off('error', reject);
          resolve();
        });
      });
      server = created;
      port = (created.address() as AddressInfo).port;
      return { port, baseUrl: base() };
    },

    async stop(): Promise<void> {
      const current = server;
      if (!current) return;
      server = undefined;
      current.closeAllConnections();
      await new Promise<void>((resolve, reject) => current.close((e) => (e ? reject(e) : resolve())));
    },

    /** The URL of artwork kept in the offline library (deps.artwork), by its artwork id. */
    artworkUrl: (artworkId: string): string => `${base()}/art/${encodeURIComponent(artworkId)}`,

    /** The gateway URL the renderer plays (the audio engine's MediaSource timeline for HLS, <audio> for progressive). */
    urlFor(request: StreamRequest): string {
      if (!server) throw new AppError({ code: 'internal', message: 'media gateway is not started' });
      return urlOf(streamFor(request));
    },

    /**
     * Warms the next track: fetches its manifest, key and first segment now so it starts
     * near-gaplessly. Returns the same URL urlFor() gives. Cached tracks need no warming.
     */
    async prefetch(request: StreamRequest): Promise<string> {
      if (!server) throw new AppError({ code: 'internal', message: 'media gateway is not started' });
      const state = streamFor(request);
      const url = urlOf(state);
      if (request.format !== 'hls' || servesFromCache(request)) return url;
      try {
        warmStreams.push(state);
        while (warmStreams.length > 2) warmStreams.shift()!.prefetched.clear();
        await fetchUpstreamManifest(state);
        const wanted = state.upstreamManifest!.resources.filter(
          (r) =>
            (r.kind === 'seg' && r.index === 0) || r.kind === 'key' || (r.kind === 'map' && r.index === 0),
        );
        for (const r of wanted) {
          const response = await fetchUpstreamResource(
            state,
            r.kind,
            r.index,
            AbortSignal.timeout(resourceTimeoutMs),
          );
          const data = Buffer.from(await response.arrayBuffer());
          state.prefetched.set(`${r.kind}/${r.index}`, {
            data,
            contentType: response.headers.get('content-type') ?? 'application/octet-stream',
          });
        }
      } catch (error) {
        const appError = isAppError(error) ? error : toNetworkError(error, `prefetch ${request.trackId}`);
        report(appError, state, 'prefetch', 'upstream');
        throw appError;
      }
      return url;
    },

    /** Where the gateway listens (for the renderer's CSP media-src / connect-src). */
    origin(): string {
      return `http://127.0.0.1:${port}`;
    },
  };
}
