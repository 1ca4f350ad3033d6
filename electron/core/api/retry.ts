// Backoff and rate-limit helpers shared by the API client and the play-log flusher.
import { AppError } from '../../../shared/errors.js';

export type BackoffOptions = { baseMs: number; capMs: number };

export type RetryPolicy = BackoffOptions & {
  /** Retries after the first attempt (0 = never retry). Only idempotent reads are ever retried. */
  retries: number;
  /** A server asking us to wait longer than this is not retried: the caller gets rate_limited. */
  maxWaitMs: number;
};

export const defaultRetryPolicy: RetryPolicy = { retries: 3, baseMs: 250, capMs: 10_000, maxWaitMs: 60_000 };

/** "Full jitter" (AWS architecture blog): uniform in [0, min(cap, base·2^attempt)). attempt starts at 0. */
export function fullJitterDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.
 * Returns milliseconds to wait (≥ 0), or undefined when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Parses X-RateLimit-Reset. 7digital sends seconds until the window resets (e.g. 46968); some
 * gateways send a Unix timestamp instead, so values that look like one (> 10^9) are read as such.
 */
export function parseRateLimitReset(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  const n = Number(value);
  if (n > 1e12) return Math.max(0, n - nowMs);
  if (n > 1e9) return Math.max(0, n * 1000 - nowMs);
  return n * 1000;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server asked us to wait, in ms: Retry-After first; X-RateLimit-Reset when the
 * response is a 429 (on other responses it only says when the daily window rolls over).
 */
export function serverRetryDelay(
  headers: HeaderSource,
  status: number,
  nowMs: number = Date.now(),
): number | undefined {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  if (status === 429) return parseRateLimitReset(header(headers, 'x-ratelimit-reset'), nowMs);
  return undefined;
}

/** The delay before retry number `attempt` (0-based): the server's wait if longer than the jittered backoff. */
export function nextRetryDelay(
  attempt: number,
  options: BackoffOptions,
  serverDelayMs?: number,
  random: () => number = Math.random,
): number {
  return Math.max(serverDelayMs ?? 0, fullJitterDelay(attempt, options, random));
}

/** Resolves after ms, or rejects with AppError('cancelled') when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError({ code: 'cancelled', message: 'Cancelled' }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AppError({ code: 'cancelled', message: 'Cancelled' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Response facts attached to errors the client throws, for callers that schedule their own
// retries (the play-log flusher): how long the server asked to wait.
const retryHints = new WeakMap<object, number>();

export function attachRetryAfter(error: AppError, delayMs: number | undefined): AppError {
  if (delayMs !== undefined) retryHints.set(error, delayMs);
  return error;
}

/** Milliseconds the server asked to wait (Retry-After / X-RateLimit-Reset on 429), if the error came with it. */
export function retryAfterOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? retryHints.get(error) : undefined;
}
