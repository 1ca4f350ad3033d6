// What the media gateway is asked for and what it depends on.
import type { Readable } from 'node:stream';
import type { StreamFormat, StreamSource } from '../../../shared/domain/stream.js';
import type { AppError } from '../../../shared/errors.js';
import type { CoreLogger, GetSession, UpstreamFetch, UrlFetch } from './upstream.js';

export type { StreamFormat, StreamSource };
export type StreamRequest = { trackId: string; source: StreamSource; format: StreamFormat };

/** What the gateway needs of the offline cache (offline-cache-service.ts). */
export type GatewayOfflineCache = {
  formatOf(trackId: string): StreamFormat | null;
  openTrack(trackId: string): Promise<{
    contentType: string;
    plainBytes: number;
    manifest(): Promise<string | null>;
    readPart(name: string): Promise<{ data: Buffer; contentType: string }>;
    createReadStream(range?: { start?: number; end?: number }): Readable;
    close(): Promise<void>;
  }>;
};

export type StreamErrorContext = StreamRequest & {
  streamId: string;
  /** 'upstream' for service errors (e.g. 3201 another device took over, 2002 no subscription). */
  from: 'upstream' | 'cache';
  resource: string;
};

export type StreamServedEvent = StreamRequest & { streamId: string; servedFrom: 'cache' | 'upstream' };

export type MediaGatewayDeps = {
  upstream: UpstreamFetch;
  fetchUrl?: UrlFetch;
  getSession: GetSession;
  offlineCache?: GatewayOfflineCache;
  /** false when the app knows it is offline: cached tracks are then served from the cache. */
  isOnline?: () => boolean;
  /** Prefer the offline copy of a subscription track even when online (default true). */
  preferCache?: boolean;
  /** Origins (e.g. the browser host's http://127.0.0.1:PORT) allowed to fetch via XHR/fetch. */
  allowedOrigins?: readonly string[];
  port?: number;
  log?: CoreLogger;
  onUpstreamError?: (error: AppError, context: StreamErrorContext) => void;
  /** Artwork kept in the offline library, by artwork id (served under /art/). */
  artwork?: (artworkId: string) => Promise<{ data: Buffer; contentType: string } | null>;
  onServed?: (event: StreamServedEvent) => void;
  /** Re-fetch a manifest older than this when a segment URL is refused (default 5 min). */
  manifestTtlMs?: number;
  /** Upper bound for one upstream segment/key fetch, body included (default 60 s). */
  resourceTimeoutMs?: number;
  now?: () => number;
};
