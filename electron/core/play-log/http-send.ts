// A PlayLogSend over signed HTTP: POST {baseUrl}/logging/{endpoint} with {"logs":[…]}.
// The composition root may wire the play log to the API client instead; this adapter is the
// reference (used by the tests and the soak) and keeps what the flusher needs from a failed
// response: status, service code, Retry-After / X-RateLimit-Reset and the per-item errors of 1008.
import { AppError } from '../../../shared/errors.js';
import type { OAuthToken, Signer } from '../api/oauth.js';
import { readBodyLimited, errorFromResponse } from '../api/response.js';
import { parseRateLimitReset, parseRetryAfter } from '../api/retry.js';
import type { PlayLogEndpoint, StreamLogPayload } from './play-log-schema.js';
import type { PlayLogSend } from './play-log-service.js';

export type HttpPlayLogSendOptions = {
  baseUrl: string;
  signer: Signer;
  /** The listener's access token for 3-legged endpoints; without one, a user-management key signs 2-legged with userId in the query. */
  token?: () => OAuthToken | null | Promise<OAuthToken | null>;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export type PlayLogSendError = AppError & {
  retryAfterMs?: number;
  rateLimitResetMs?: number;
  itemErrors?: Array<{ index: number; code?: number; message?: string }>;
};

const threeLegged: Record<PlayLogEndpoint, boolean> = { preview: false, catalogue: true, subscriber: true };

export function createHttpPlayLogSend(options: HttpPlayLogSendOptions): PlayLogSend {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (endpoint: PlayLogEndpoint, logs: StreamLogPayload[]) => {
    const url = new URL(
      `logging/${endpoint}`,
      options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
    );
    const token = threeLegged[endpoint] ? ((await options.token?.()) ?? null) : null;
    const userId = logs[0]?.userId;
    if (threeLegged[endpoint] && !token && userId) url.searchParams.set('userId', userId);
    const { authorization } = await options.signer.sign({ method: 'POST', url: url.toString(), token });
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ logs }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'TimeoutError';
      throw new AppError(
        {
          code: timedOut ? 'timeout' : 'network',
          message: timedOut
            ? `No answer from ${url.origin} within ${timeoutMs} ms`
            : `Cannot reach ${url.origin}: ${describeFetchError(error)}`,
        },
        { cause: error },
      );
    }
    const body = await readBodyLimited(response, 1024 * 1024);
    if (response.ok) return { ok: true };
    const error = errorFromResponse(response.status, response.headers, body) as PlayLogSendError;
    // Set explicitly (0 = nothing asked) so the flusher does not fall back on the client's merged hint.
    error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after')) ?? 0;
    const reset = response.status === 429 ? rateLimitResetWait(response.headers) : undefined;
    if (reset !== undefined) error.rateLimitResetMs = reset;
    const itemErrors = itemErrorsOf(body);
    if (itemErrors) error.itemErrors = itemErrors;
    throw error;
  };
}

/**
 * X-RateLimit-Reset counts down to the end of the daily window; on a 429 it matters only when
 * that quota is spent (X-RateLimit-Current ≥ X-RateLimit-Limit), not for a per-second limit.
 */
function rateLimitResetWait(headers: Headers): number | undefined {
  const limit = Number(headers.get('x-ratelimit-limit') ?? NaN);
  const current = Number(headers.get('x-ratelimit-current') ?? NaN);
  if (Number.isFinite(limit) && Number.isFinite(current) && current < limit) return undefined;
  return parseRateLimitReset(headers.get('x-ratelimit-reset'));
}

function itemErrorsOf(body: Buffer): PlayLogSendError['itemErrors'] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { errors?: unknown } };
    const errors = parsed.error?.errors;
    if (!Array.isArray(errors)) return undefined;
    return errors
      .filter(
        (e): e is { index: unknown; code?: unknown; message?: unknown } =>
          typeof e === 'object' && e !== null,
      )
      .map((e) => ({
        index: Number(e.index),
        ...(typeof e.code === 'number' ? { code: e.code } : {}),
        ...(typeof e.message === 'string' ? { message: e.message } : {}),
      }));
  } catch {
    // Not JSON: the error from errorFromResponse already describes the answer.
    return undefined;
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message} (${detail})` : message;
}
