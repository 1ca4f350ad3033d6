// The small function types the media services depend on, so they stay decoupled from the API
// client, the vault and the session store. playback/media-adapters.ts adapts the real
// ones to these shapes.
import { AppError } from '../../../shared/errors.js';
import { errorFromFailedResponse, toNetworkError } from '../api/response.js';
import type { Logger } from '../logger.js';

export type UpstreamRequest = {
  path?: Record<string, string>;
  query?: Record<string, string | undefined>;
  /** Lower-case names: `range` (and `if-range`) are the ones the media services send. */
  headers?: Record<string, string>;
  /** JSON body for POST operations. */
  body?: unknown;
  signal?: AbortSignal;
};

/**
 * A signed request to one operation of the shared operation table. Resolves with the raw
 * response whatever its status (the services read error envelopes themselves); rejects only
 * when no response arrived (or with an AppError the API client already made).
 */
export type UpstreamFetch = (operationId: string, request: UpstreamRequest) => Promise<Response>;

/** An unsigned GET of a URL the service handed out (HLS segment and key URIs carry their own token). */
export type UrlFetch = (
  url: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

export type SessionInfo = {
  userId: string;
  country: string;
  /** This installation's client id: the offline deviceId and the stream-concurrency clientId. */
  clientId: string;
  /** true/false when known from the service; null when it cannot be known now (offline). */
  subscriptionActive: boolean | null;
  /** ISO date-time the subscription ends, when known. */
  subscriptionExpiresAt?: string | null;
};

export type GetSession = () => SessionInfo | null;

/** The subset of the app's named logger (logger.ts) these services use. */
export type CoreLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export const defaultUrlFetch: UrlFetch = (url, init) => fetch(url, init);

export type ApiCallRequest = {
  path?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
  signal?: AbortSignal;
};

/**
 * A signed call of a JSON operation: resolves with the parsed body (undefined when empty),
 * rejects with an AppError. Maps onto the API client's `call(operationId, options)`.
 */
export type ApiCall = (operationId: string, request: ApiCallRequest) => Promise<unknown>;

/** An ApiCall made from an UpstreamFetch (tests, and hosts that only have a signed fetch). */
export function apiCallFromUpstream(upstream: UpstreamFetch): ApiCall {
  return async (operationId, request) => {
    const response = await upstream(operationId, request).catch((error: unknown) => {
      throw toNetworkError(error, operationId);
    });
    if (!response.ok) throw await errorFromFailedResponse(response, { what: operationId });
    const text = await response.text();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new AppError(
        { code: 'malformed_response', message: `${operationId}: response is not JSON` },
        { cause },
      );
    }
  };
}
