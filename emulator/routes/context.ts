// What every route module gets from the server: state, config, catalogue, JSON views, limits.
import type { Catalogue } from '../catalogue.js';
import type { EmulatorConfig } from '../config.js';
import type { EmulatorRequest } from '../http.js';
import { ServiceError } from '../http.js';
import type { OAuthVerifier } from '../oauth.js';
import type { EmulatorState } from '../state.js';
import type { Views } from '../views.js';

export type RateLimiter = {
  /** Sliding one-second window per (bucket, key); over the limit → 429 with the envelope. */
  perSecond(bucket: string, key: string, limit: number): void;
};

export type RouteContext = {
  state: EmulatorState;
  config: EmulatorConfig;
  catalogue: Catalogue;
  views: Views;
  baseUrl: () => string;
  verifier: OAuthVerifier;
  rate: RateLimiter;
  /** Short-lived URL for downloadTrack (the media module's pre-signed media-transfer URL). */
  downloadUrl(trackId: string): string;
};

export function createRateLimiter(now: () => number): RateLimiter {
  const windows = new Map<string, number[]>();
  return {
    perSecond(bucket, key, limit) {
      const at = now();
      const id = `${bucket}\u0000${key}`;
      const recent = (windows.get(id) ?? []).filter((t) => t > at - 1000);
      if (recent.length >= limit) {
        windows.set(id, recent);
        throw new ServiceError(429, 1003, `Rate limit exceeded: at most ${limit} requests per second`);
      }
      recent.push(at);
      windows.set(id, recent);
    },
  };
}

/** The user a 3-legged request acts for (set by the server's auth step). */
export function authUser(req: EmulatorRequest): string {
  const userId = req.auth.userId;
  if (userId === null) throw new ServiceError(400, 1001, 'Missing "userId" parameter');
  return userId;
}

/** Whether a track's release may be streamed in a country (unknown tracks: no). */
export function isTrackAvailableInCountry(catalogue: Catalogue, trackId: string, country: string): boolean {
  const track = catalogue.tracks.get(trackId);
  const release = track ? catalogue.releases.get(track.releaseId) : undefined;
  return release !== undefined && !release.unavailableIn.includes(country.toUpperCase());
}

/** Slice of a list for page/pageSize. */
export function pageOf<T>(list: readonly T[], paging: { page: number; pageSize: number }): T[] {
  const start = (paging.page - 1) * paging.pageSize;
  return list.slice(start, start + paging.pageSize);
}
