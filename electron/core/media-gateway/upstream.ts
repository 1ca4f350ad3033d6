// The small function types the media services depend on, so they stay decoupled from the API
// client, the vault and the session store. The composition root (app-core.ts) adapts the real
// ones to these shapes.
import { AppError, appCodeForServiceCode, type AppErrorCode } from '../../../shared/errors.js';
import { oauthErrorPrefix } from '../../../shared/service-errors.js';
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

function codeForStatus(status: number): AppErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 416) return 'invalid_input';
  if (status === 429) return 'rate_limited';
  if (status >= 400 && status < 500) return 'invalid_input';
  return 'service_error';
}

/** Reads a non-OK upstream response into one AppError (service envelope, JSON or XML, or OAuth text). */
export async function errorFromResponse(response: Response, what: string): Promise<AppError> {
  const status = response.status;
  let text = '';
  try {
    text = await response.text();
  } catch (cause) {
    return new AppError(
      { code: 'network', message: `${what}: response body lost (HTTP ${status})`, status },
      { cause },
    );
  }
  if (text.startsWith(oauthErrorPrefix)) {
    return new AppError({ code: 'unauthorized', message: `${what}: ${text.slice(0, 300)}`, status });
  }
  let serviceCode: number | undefined;
  let message: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'number') serviceCode = parsed.error.code;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    const xml = /<error[^>]*\bcode="(\d+)"[^>]*>(?:[\s\S]*?<errorMessage>([\s\S]*?)<\/errorMessage>)?/.exec(
      text,
    );
    if (xml) {
      serviceCode = Number(xml[1]);
      message = xml[2];
    }
  }
  const code =
    status === 429
      ? 'rate_limited'
      : serviceCode !== undefined
        ? appCodeForServiceCode(serviceCode)
        : codeForStatus(status);
  const data = { code, message: `${what}: ${message ?? (text.slice(0, 200) || `HTTP ${status}`)}`, status };
  return new AppError(serviceCode === undefined ? data : { ...data, serviceCode });
}

/** Turns a thrown fetch failure into an AppError (network/timeout/cancelled), keeping AppErrors. */
export function toNetworkError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError')
    return new AppError({ code: 'cancelled', message: `${what}: cancelled` }, { cause: error });
  if (name === 'TimeoutError')
    return new AppError({ code: 'timeout', message: `${what}: timed out` }, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new AppError({ code: 'network', message: `${what}: ${message}` }, { cause: error });
}

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
    if (!response.ok) throw await errorFromResponse(response, operationId);
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
