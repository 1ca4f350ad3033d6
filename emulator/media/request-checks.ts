// The checks and parameters the media operations share: the user a request acts for, the
// country, a known and available track, an active subscription, the stream and download formats,
// and the service's 2002/3201 errors with their configured statuses.
import { serviceErrorCodes } from '../../shared/service-errors.js';
import type { EmulatorRequest } from '../http.js';
import { invalidValue, missingParameter, notFound, ServiceError } from '../http.js';
import type { DownloadFormat, ProgressiveFormat } from './media-engine.js';
import type { MediaRouteConfig, MediaRouteDeps, MediaTrackInfo } from './route-deps.js';

export const contentTypes = {
  mp3: 'audio/mpeg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  zip: 'application/zip',
} as const;

export type RequestChecks = ReturnType<typeof createRequestChecks>;

export function createRequestChecks(deps: MediaRouteDeps, config: MediaRouteConfig) {
  const unavailable = (message: string) =>
    new ServiceError(config.notAvailableStatus, serviceErrorCodes.notAvailable, message);
  return {
    unavailable,
    concurrentStream: () =>
      new ServiceError(
        config.concurrentStreamStatus,
        serviceErrorCodes.concurrentStream,
        'Simultaneous stream requests from multiple locations - streaming access temporarily disabled',
      ),
    requireUser(req: EmulatorRequest): string {
      const userId = req.auth.userId ?? req.query.get('userId');
      if (!userId) throw missingParameter('userId');
      return userId;
    },
    pathUser(req: EmulatorRequest): string {
      const userId = req.params.userId ?? '';
      if (req.auth.userId && req.auth.userId !== userId)
        throw unavailable('userId does not match the authorised user');
      return userId;
    },
    country(req: EmulatorRequest, userId: string | null): string {
      const value = req.query.get('country');
      if (value !== null && value !== '') {
        if (!/^[A-Za-z]{2}$/.test(value)) throw invalidValue('country', value);
        return value.toUpperCase();
      }
      return (userId && deps.userCountry(userId)) || 'GB';
    },
    knownTrack(trackId: string): MediaTrackInfo {
      const track = deps.getTrack(trackId);
      if (!track) throw notFound('Track');
      return track;
    },
    requireAvailableIn(trackId: string, where: string): void {
      if (!deps.isTrackAvailableInCountry(trackId, where)) {
        throw notFound("Track not found. This track isn't available for streaming in your country. Track");
      }
    },
    requireSubscription(userId: string): void {
      if (!deps.hasActiveSubscription(userId, deps.now())) {
        throw unavailable(
          'Either the user does not have a valid subscription or the track is not available for streaming',
        );
      }
    },
  };
}

export function streamFormat(req: EmulatorRequest): ProgressiveFormat {
  const value = req.query.get('format');
  if (value === null || value === '') return 'mp3';
  if (value === 'mp3' || value === 'aac') return value;
  throw invalidValue('format', value);
}

export function downloadFormat(req: EmulatorRequest, fallback: DownloadFormat): DownloadFormat {
  const format = req.query.get('format');
  const formatId = req.query.get('formatId') ?? req.query.get('formatid');
  if (format) {
    if (format === 'mp3' || format === 'flac') return format;
    throw invalidValue('format', format);
  }
  if (formatId) {
    if (formatId === '17') return 'mp3';
    if (formatId === '45') return 'flac';
    throw invalidValue('formatId', formatId);
  }
  return fallback;
}
