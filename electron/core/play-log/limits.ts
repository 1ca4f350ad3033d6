// The logging endpoints' batch sizes and request rates (notes §4), and the flusher's backoff.
import { AppError } from '../../../shared/errors.js';
import { playLogEndpoints, type PlayLogEndpoint } from './play-log-schema.js';

export type EndpointLimits = {
  /** Most logs in one request. */
  maxBatch: number;
  /** Wait for this many logs before sending (a partial batch still goes after maxWaitMs). */
  minBatch: number;
  /** The longest a log waits for a batch to fill. */
  maxWaitMs: number;
  /** Requests started in any rolling second; undefined = no limit. */
  maxRequestsPerSecond?: number;
  /** Logs for one user per request (3-legged endpoints are signed per user). */
  perUser: boolean;
};

export type PlayLogLimits = Record<PlayLogEndpoint, EndpointLimits> & {
  backoff: { baseMs: number; capMs: number };
};

export const defaultPlayLogLimits: PlayLogLimits = {
  // ≤ 500 logs per request and ≤ 5 POST/s (notes §4.3); a short linger groups a burst of previews.
  preview: { maxBatch: 500, minBatch: 500, maxWaitMs: 2_000, maxRequestsPerSecond: 5, perUser: false },
  // "near real-time, or the same day in batches of 10–20" (§4.1): batches of 10–20, a partial one after 60 s.
  subscriber: { maxBatch: 20, minBatch: 10, maxWaitMs: 60_000, maxRequestsPerSecond: 5, perUser: true },
  // Near real time (§4.2); the emulator (like a cautious client) caps every logging endpoint at 5 requests/s.
  catalogue: { maxBatch: 20, minBatch: 1, maxWaitMs: 0, maxRequestsPerSecond: 5, perUser: true },
  backoff: { baseMs: 1_000, capMs: 5 * 60_000 },
};

export type PlayLogLimitsOverride = Partial<{ [K in PlayLogEndpoint]: Partial<EndpointLimits> }> & {
  backoff?: Partial<PlayLogLimits['backoff']>;
};

export function mergeLimits(override: PlayLogLimitsOverride | undefined): PlayLogLimits {
  const merged: PlayLogLimits = {
    preview: { ...defaultPlayLogLimits.preview, ...override?.preview },
    subscriber: { ...defaultPlayLogLimits.subscriber, ...override?.subscriber },
    catalogue: { ...defaultPlayLogLimits.catalogue, ...override?.catalogue },
    backoff: { ...defaultPlayLogLimits.backoff, ...override?.backoff },
  };
  for (const endpoint of playLogEndpoints) {
    const l = merged[endpoint];
    if (!(l.maxBatch >= 1 && l.minBatch >= 1 && l.minBatch <= l.maxBatch && l.maxWaitMs >= 0)) {
      throw new AppError({ code: 'invalid_input', message: `Invalid play-log limits for ${endpoint}` });
    }
  }
  return merged;
}
