// The logging endpoints' request rate, kept in the play-log database so a restarted process
// respects it too: start times of recent requests per endpoint, and when the next may start.
import type { PlayLogEndpoint } from './play-log-schema.js';
import type { PlayLogStore } from './play-log-store.js';
import type { PlayLogLimits } from './limits.js';

/** A small margin: the server counts arrivals, which jitter after our start times. */
const rateMarginMs = 50;

export type SendRate = {
  /** The earliest time a request to `endpoint` may start without breaking its rate. */
  earliest(endpoint: PlayLogEndpoint, now: number): number;
  noteSend(endpoint: PlayLogEndpoint, at: number): void;
  /**
   * The server counts a request when it arrives, somewhere between our start and the answer
   * (later still if this process was busy): count it at the answer, to stay under its limit.
   */
  noteSendFinished(endpoint: PlayLogEndpoint, startedAt: number, finishedAt: number): void;
};

export function createSendRate(
  store: Pick<PlayLogStore, 'getMeta' | 'setMeta'>,
  limits: PlayLogLimits,
): SendRate {
  const recentSends = (endpoint: PlayLogEndpoint): number[] => {
    const raw = store.getMeta(`sends:${endpoint}`);
    return raw ? (JSON.parse(raw) as number[]) : [];
  };
  return {
    earliest(endpoint, now) {
      const max = limits[endpoint].maxRequestsPerSecond;
      if (max === undefined) return now;
      const recent = recentSends(endpoint).filter((t) => t > now - 1_000);
      return recent.length >= max ? recent[recent.length - max]! + 1_000 + rateMarginMs : now;
    },
    noteSend(endpoint, at) {
      const max = limits[endpoint].maxRequestsPerSecond;
      if (max === undefined) return;
      const kept = [...recentSends(endpoint).filter((t) => t > at - 1_000), at].slice(-max);
      store.setMeta(`sends:${endpoint}`, JSON.stringify(kept));
    },
    noteSendFinished(endpoint, startedAt, finishedAt) {
      if (limits[endpoint].maxRequestsPerSecond === undefined) return;
      const sends = recentSends(endpoint);
      const index = sends.lastIndexOf(startedAt);
      if (index < 0) return;
      sends[index] = finishedAt;
      store.setMeta(`sends:${endpoint}`, JSON.stringify(sends));
    },
  };
}
