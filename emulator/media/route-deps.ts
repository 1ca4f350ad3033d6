// What the media routes need of the emulator: its settings, clock and base URL, the catalogue's
// tracks and releases, and the listener's rights (subscription, locker, offline devices) — as a
// small deps object (the route tests give them fakes), derived here from the route context.
import { isTrackAvailableInCountry, type RouteContext } from '../routes/context.js';
import type { EmulatorMedia } from './emulator-media.js';
import type { MediaCache } from './media-cache.js';
import type { MediaEngine } from './media-engine.js';

export type MediaTrackInfo = { trackId: string; releaseId: string; title: string; trackNumber: number };

export type MediaRouteConfig = {
  /** Lifetime of the tokens in segment/key URIs. */
  signedMediaUrlTtlSec: number;
  mediaTransferRequestsPerSec: number;
  /** false → manifests without EXT-X-KEY and segments served decrypted. */
  hlsEncrypt: boolean;
  /** HTTP statuses of 2002 and 3201 (undocumented by the service; notes rule 8). */
  notAvailableStatus: number;
  concurrentStreamStatus: number;
};

export const defaultMediaRouteConfig: MediaRouteConfig = {
  signedMediaUrlTtlSec: 600,
  mediaTransferRequestsPerSec: 50,
  hlsEncrypt: true,
  notAvailableStatus: 403,
  concurrentStreamStatus: 403,
};

export type MediaRouteDeps = {
  media: MediaEngine;
  cache: MediaCache;
  /** The emulator's absolute base URL (e.g. http://127.0.0.1:8787), used in manifests. */
  baseUrl(): string;
  /** The emulator clock (honours the test API's clock offset). */
  now(): Date;
  config?: Partial<MediaRouteConfig>;
  getTrack(trackId: string): MediaTrackInfo | undefined;
  /** Track ids of a release in track order; undefined for an unknown release. */
  releaseTrackIds(releaseId: string): string[] | undefined;
  isTrackAvailableInCountry(trackId: string, country: string): boolean;
  /** The user's country (fallback for a missing `country` query parameter). */
  userCountry(userId: string): string | undefined;
  hasActiveSubscription(userId: string, at: Date): boolean;
  isTrackInLocker(userId: string, trackId: string): boolean;
  isReleaseInLocker(userId: string, releaseId: string): boolean;
  /** The tracks a purchase entitles to (refunded purchases → undefined). */
  getPurchase(userId: string, purchaseId: string): { trackIds: string[] } | undefined;
  isDeviceAuthorised(userId: string, deviceId: string): boolean;
};

/** What the media routes read of the emulator's state, catalogue and settings. */
export function mediaRouteDeps(ctx: RouteContext, media: EmulatorMedia): MediaRouteDeps {
  const { state, config, catalogue } = ctx;
  return {
    media: media.engine,
    cache: media.cache,
    baseUrl: ctx.baseUrl,
    now: () => new Date(state.now()),
    config: {
      signedMediaUrlTtlSec: config.signedMediaUrlTtlSec,
      mediaTransferRequestsPerSec: config.mediaTransferRequestsPerSec,
      hlsEncrypt: config.hlsEncrypt,
      notAvailableStatus: config.notAvailableStatus,
      concurrentStreamStatus: config.concurrentStreamStatus,
    },
    getTrack(trackId) {
      const t = catalogue.tracks.get(trackId);
      return t
        ? { trackId: t.id, releaseId: t.releaseId, title: t.title, trackNumber: t.trackNumber }
        : undefined;
    },
    releaseTrackIds: (releaseId) => catalogue.releases.get(releaseId)?.trackIds.slice(),
    isTrackAvailableInCountry: (trackId, country) => isTrackAvailableInCountry(catalogue, trackId, country),
    userCountry: (userId) => state.getUserCountry(userId) ?? undefined,
    hasActiveSubscription: (userId, at) => state.hasActiveSubscription(userId, at.getTime()),
    isTrackInLocker: (userId, trackId) => state.isTrackInLocker(userId, trackId),
    isReleaseInLocker: (userId, releaseId) => state.isReleaseInLocker(userId, releaseId),
    getPurchase(userId, purchaseId) {
      const purchase = state.getPurchase(purchaseId);
      if (!purchase || purchase.userId !== userId) return undefined;
      if (purchase.refundedAt !== null && config.refundRemovesFromLocker) return undefined;
      return {
        trackIds:
          purchase.trackId !== null
            ? [purchase.trackId]
            : (catalogue.releases.get(purchase.releaseId)?.trackIds.slice() ?? []),
      };
    },
    isDeviceAuthorised: (userId, deviceId) => state.isDeviceAuthorised(userId, deviceId),
  };
}
