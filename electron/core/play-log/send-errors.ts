// What a failed send says to the flusher, read from whatever the PlayLogSend threw: an AppError
// of the one HTTP→error path (with its response facts), or any error shaped like one.
import { isAppError } from '../../../shared/errors.js';
import { retryAfterOf } from '../api/retry.js';

export type SendErrorInfo = {
  message: string;
  code?: string;
  status?: number;
  serviceCode?: number;
  /** Retry-After: honoured in full. */
  retryAfterMs?: number;
  /** X-RateLimit-Reset on a 429 (or a wait whose origin is unknown): honoured up to the backoff cap. */
  rateLimitResetMs?: number;
  itemErrors?: Array<{ index: number; code?: number; message?: string }>;
};

/** Rejections that resending cannot fix: the service judged the content invalid. */
export function isPermanentRejection(info: SendErrorInfo): boolean {
  if (info.status === 429 || info.code === 'rate_limited') return false;
  if (info.status === 401 || info.status === 403) return false;
  if (info.serviceCode !== undefined && info.serviceCode >= 1000 && info.serviceCode < 2000) return true;
  return info.status === 400 || info.status === 413 || info.status === 422;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function describeSendError(error: unknown): SendErrorInfo {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const info: SendErrorInfo = { message: error instanceof Error ? error.message : String(error) };
  if (isAppError(error)) info.code = error.code;
  else if (typeof e.code === 'string') info.code = e.code;
  const status = num(e.status);
  if (status !== undefined) info.status = status;
  const serviceCode = num(e.serviceCode);
  if (serviceCode !== undefined) info.serviceCode = serviceCode;
  const retryAfterSec = num(e.retryAfter);
  const retryAfterMs =
    num(e.retryAfterMs) ?? (retryAfterSec === undefined ? undefined : retryAfterSec * 1_000);
  if (retryAfterMs !== undefined && retryAfterMs > 0) info.retryAfterMs = retryAfterMs;
  // The API client's hint merges Retry-After and X-RateLimit-Reset, so it gets the capped treatment.
  const resetMs = num(e.rateLimitResetMs) ?? (retryAfterMs === undefined ? retryAfterOf(error) : undefined);
  if (resetMs !== undefined && resetMs > 0) info.rateLimitResetMs = resetMs;
  const details = e.details as Record<string, unknown> | undefined;
  const items = e.itemErrors ?? e.errors ?? details?.errors;
  if (Array.isArray(items)) {
    info.itemErrors = items
      .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null)
      .map((i) => ({
        index: Number(i.index),
        ...(num(i.code) === undefined ? {} : { code: num(i.code)! }),
        ...(typeof i.message === 'string' ? { message: i.message } : {}),
      }));
  }
  return info;
}
