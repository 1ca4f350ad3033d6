// The streaming, download and content-delivery operations (notes §5, §7.6, §7.8; rules 22–27,
// 34, 36), plus the unsigned `/_media/hls/{token}/…` routes that serve HLS segments and keys.
// Every media URI in a manifest carries a short-lived random token bound to (user, clientId,
// track); the clientId concurrency rule is enforced on manifests, progressive files and
// segments alike.
import { createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { serviceErrorCodes } from '../../shared/service-errors.js';
import type { EmulatorRequest, Router } from '../http.js';
import {
  invalidValue,
  missingParameter,
  notFound,
  sendServiceError,
  sendText,
  ServiceError,
} from '../http.js';
import type { DownloadFormat, MediaLibrary, ProgressiveFormat } from './generate.js';
import { serveFile } from './serve.js';
import { ensureZip, trackFileName, uniqueNames } from './zip.js';

export type MediaTrackInfo = { trackId: string; releaseId: string; title: string; trackNumber: number };

export type MediaRouteConfig = {
  /** How long the previous clientId of a user is refused (3201) after another one took over. */
  concurrentStreamBlockSec: number;
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
  concurrentStreamBlockSec: 120,
  signedMediaUrlTtlSec: 600,
  mediaTransferRequestsPerSec: 50,
  hlsEncrypt: true,
  notAvailableStatus: 403,
  concurrentStreamStatus: 403,
};

export type MediaRouteDeps = {
  media: MediaLibrary;
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

/** Unsigned routes under this prefix serve segments and keys; the server must skip OAuth for them. */
export const mediaAssetPathPrefix = '/_media/';

type Grant = { userId: string | null; clientId: string | null; trackId: string; expiresAtMs: number };

const contentTypes = {
  mp3: 'audio/mpeg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  zip: 'application/zip',
} as const;

export type MediaRoutes = {
  /** The concurrency state, for tests and the test API. */
  activeClient(userId: string): string | undefined;
};

export function registerMediaRoutes(router: Router, deps: MediaRouteDeps): MediaRoutes {
  const config = { ...defaultMediaRouteConfig, ...deps.config };
  const grants = new Map<string, Grant>();
  const active = new Map<string, string>();
  const blocked = new Map<string, number>(); // `${userId}\n${clientId}` → blocked until (ms)
  const transferHits = new Map<string, number[]>();
  const zipDir = join(deps.media.dir, 'zips');

  const unavailable = (message: string) =>
    new ServiceError(config.notAvailableStatus, serviceErrorCodes.notAvailable, message);
  const concurrentStream = () =>
    new ServiceError(
      config.concurrentStreamStatus,
      serviceErrorCodes.concurrentStream,
      'Simultaneous stream requests from multiple locations - streaming access temporarily disabled',
    );

  // ---- request helpers -------------------------------------------------------------------

  const requireUser = (req: EmulatorRequest): string => {
    const userId = req.auth.userId ?? req.query.get('userId');
    if (!userId) throw missingParameter('userId');
    return userId;
  };
  const pathUser = (req: EmulatorRequest): string => {
    const userId = req.params.userId ?? '';
    if (req.auth.userId && req.auth.userId !== userId)
      throw unavailable('userId does not match the authorised user');
    return userId;
  };
  const country = (req: EmulatorRequest, userId: string | null): string => {
    const value = req.query.get('country');
    if (value !== null && value !== '') {
      if (!/^[A-Za-z]{2}$/.test(value)) throw invalidValue('country', value);
      return value.toUpperCase();
    }
    return (userId && deps.userCountry(userId)) || 'GB';
  };
  const knownTrack = (trackId: string): MediaTrackInfo => {
    const track = deps.getTrack(trackId);
    if (!track) throw notFound('Track');
    return track;
  };
  const requireAvailableIn = (trackId: string, where: string) => {
    if (!deps.isTrackAvailableInCountry(trackId, where)) {
      throw notFound("Track not found. This track isn't available for streaming in your country. Track");
    }
  };
  const requireAudio = (trackId: string) => {
    if (!deps.media.hasAudio(trackId))
      throw unavailable('This track is not available for streaming or download (no media)');
  };
  const requireSubscription = (userId: string) => {
    if (!deps.hasActiveSubscription(userId, deps.now())) {
      throw unavailable(
        'Either the user does not have a valid subscription or the track is not available for streaming',
      );
    }
  };
  const streamFormat = (req: EmulatorRequest): ProgressiveFormat => {
    const value = req.query.get('format');
    if (value === null || value === '') return 'mp3';
    if (value === 'mp3' || value === 'aac') return value;
    throw invalidValue('format', value);
  };
  const downloadFormat = (req: EmulatorRequest, fallback: DownloadFormat): DownloadFormat => {
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
  };

  // ---- clientId concurrency (notes rule 23) ----------------------------------------------

  const blockKey = (userId: string, clientId: string) => `${userId}\n${clientId}`;
  const isBlocked = (userId: string, clientId: string): boolean =>
    (blocked.get(blockKey(userId, clientId)) ?? 0) > deps.now().getTime();
  /** A manifest/progressive request: the newest clientId wins, the previous one is blocked. */
  const claimStream = (userId: string, clientId: string | null) => {
    if (!clientId) return;
    if (isBlocked(userId, clientId)) throw concurrentStream();
    const previous = active.get(userId);
    if (previous !== undefined && previous !== clientId) {
      blocked.set(blockKey(userId, previous), deps.now().getTime() + config.concurrentStreamBlockSec * 1000);
    }
    blocked.delete(blockKey(userId, clientId));
    active.set(userId, clientId);
  };
  const clientIdOf = (req: EmulatorRequest): string | null =>
    req.query.get('clientId') || req.query.get('clientid') || null;

  // ---- HLS ---------------------------------------------------------------------------------

  const pruneGrants = (nowMs: number) => {
    if (grants.size < 1000) return;
    for (const [token, grant] of grants) if (grant.expiresAtMs <= nowMs) grants.delete(token);
  };
  const sendManifest = (
    res: ServerResponse,
    trackId: string,
    userId: string | null,
    clientId: string | null,
  ) => {
    const nowMs = deps.now().getTime();
    pruneGrants(nowMs);
    const token = randomBytes(18).toString('base64url');
    grants.set(token, { userId, clientId, trackId, expiresAtMs: nowMs + config.signedMediaUrlTtlSec * 1000 });
    const base = `${deps.baseUrl().replace(/\/$/, '')}${mediaAssetPathPrefix}hls/${token}/${encodeURIComponent(trackId)}`;
    let manifest = deps.media.renderHlsManifest(trackId, {
      keyUri: `${base}/key`,
      segmentUri: (name) => `${base}/${name}`,
    });
    if (manifest === undefined) throw unavailable('This track is not available for streaming (no media)');
    if (!config.hlsEncrypt) manifest = manifest.replace(/^#EXT-X-KEY:.*\n/m, '');
    res.setHeader('Cache-Control', 'no-store');
    sendText(res, 200, contentTypes.m3u8, manifest);
  };

  const serveAsset = async (req: EmulatorRequest, res: ServerResponse) => {
    const { token = '', trackId = '', file = '' } = req.params;
    const grant = grants.get(token);
    if (!grant || grant.trackId !== trackId) throw unavailable('Media URL is not valid');
    if (grant.expiresAtMs <= deps.now().getTime()) {
      grants.delete(token);
      throw unavailable('Media URL has expired');
    }
    if (grant.userId && grant.clientId && isBlocked(grant.userId, grant.clientId)) throw concurrentStream();
    const track = deps.media.track(trackId);
    if (!track) throw unavailable('This track is not available for streaming (no media)');
    if (file === 'key') {
      if (!config.hlsEncrypt) throw notFound('Key');
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': 16,
        'Cache-Control': 'no-store',
      });
      res.end(track.hls.key);
      return;
    }
    const index = track.hls.segments.findIndex((s) => s.name === file);
    const segment = track.hls.segments[index];
    if (!segment) throw notFound('Segment');
    if (config.hlsEncrypt) {
      await serveFile(req, res, { path: segment.path, contentType: contentTypes.ts });
      return;
    }
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(index, 12);
    const decipher = createDecipheriv('aes-128-cbc', track.hls.key, iv);
    const plain = Buffer.concat([decipher.update(await readFile(segment.path)), decipher.final()]);
    res.writeHead(200, { 'Content-Type': contentTypes.ts, 'Content-Length': plain.length });
    res.end(plain);
  };

  const progressive = async (req: EmulatorRequest, res: ServerResponse, trackId: string) => {
    const format = streamFormat(req);
    const path = deps.media.progressivePath(trackId, format);
    if (!path) throw unavailable('This track is not available for streaming (no media)');
    await serveFile(req, res, {
      path,
      contentType: contentTypes[format],
      headers: { 'Cache-Control': 'no-store' },
    });
  };

  // ---- streaming operations ----------------------------------------------------------------

  type StreamKind = 'catalogue' | 'locker' | 'subscription' | 'offline';
  /** Checks a stream request; returns the user and the clientId the stream is bound to. */
  const authoriseStream = (
    req: EmulatorRequest,
    kind: StreamKind,
  ): { userId: string; clientId: string | null } => {
    const userId = requireUser(req);
    const trackId = req.params.trackId ?? '';
    knownTrack(trackId);
    const clientId = clientIdOf(req);
    switch (kind) {
      case 'catalogue':
        requireAvailableIn(trackId, country(req, userId));
        requireAudio(trackId);
        return { userId, clientId: null };
      case 'locker':
        if (!deps.isTrackInLocker(userId, trackId)) throw notFound('Track in locker');
        requireAudio(trackId);
        return { userId, clientId: null };
      case 'subscription':
        requireSubscription(userId);
        requireAvailableIn(trackId, country(req, userId));
        requireAudio(trackId);
        claimStream(userId, clientId);
        return { userId, clientId };
      case 'offline':
        requireSubscription(userId);
        requireAvailableIn(trackId, country(req, userId));
        if (!clientId || !deps.isDeviceAuthorised(userId, clientId)) {
          throw unavailable('Offline streaming requires a device authorised for offline playback (clientId)');
        }
        requireAudio(trackId);
        return { userId, clientId: null };
    }
  };

  const addStream = (kind: StreamKind, prefix: string) => {
    router.add('GET', `${prefix}/hls`, (req, res) => {
      const { userId, clientId } = authoriseStream(req, kind);
      sendManifest(res, req.params.trackId ?? '', userId, clientId);
    });
    router.add('GET', `${prefix}/progressive`, async (req, res) => {
      authoriseStream(req, kind);
      await progressive(req, res, req.params.trackId ?? '');
    });
  };
  addStream('catalogue', '/streaming/catalogue/{trackId}');
  addStream('locker', '/streaming/locker/{trackId}');
  addStream('subscription', '/streaming/subscription/{trackId}');
  addStream('offline', '/streaming/subscription/{trackId}/offline');

  router.add('GET', '/streaming/preview/{trackId}', async (req, res) => {
    const trackId = req.params.trackId ?? '';
    knownTrack(trackId);
    const format = streamFormat(req);
    requireAvailableIn(trackId, country(req, req.auth.userId));
    const path = deps.media.previewPath(trackId, format);
    if (!path) throw unavailable('No preview clip is available for this track');
    await serveFile(req, res, { path, contentType: contentTypes[format] });
  });

  router.add('GET', `${mediaAssetPathPrefix}hls/{token}/{trackId}/{file}`, serveAsset);

  // ---- downloads (notes §7.6, rules 27 and 34) ---------------------------------------------

  const zipEntries = (trackIds: readonly string[], format: DownloadFormat) => {
    const withAudio = trackIds.flatMap((id) => {
      const info = deps.getTrack(id);
      const path = deps.media.downloadPath(id, format);
      return info && path ? [{ info, path }] : [];
    });
    if (withAudio.length === 0) throw unavailable('No downloadable media for these tracks');
    const names = uniqueNames(
      withAudio.map(({ info }) => trackFileName(info.trackNumber, info.title, format)),
    );
    return withAudio.map(({ path }, i) => ({ sourcePath: path, name: names[i] as string }));
  };
  const sendZip = async (
    req: EmulatorRequest,
    res: ServerResponse,
    id: string,
    trackIds: readonly string[],
    format: DownloadFormat,
  ) => {
    const path = await ensureZip(zipDir, zipEntries(trackIds, format));
    await serveFile(req, res, { path, contentType: contentTypes.zip, attachmentName: `${id}.zip` });
  };

  router.add('GET', '/users/{userId}/downloads/tracks/{trackId}', async (req, res) => {
    const userId = pathUser(req);
    const trackId = req.params.trackId ?? '';
    knownTrack(trackId);
    if (!deps.isTrackInLocker(userId, trackId)) throw notFound('Track in locker');
    const format = downloadFormat(req, 'mp3');
    requireAudio(trackId);
    const path = deps.media.downloadPath(trackId, format);
    if (!path) throw unavailable('No downloadable media for this track');
    await serveFile(req, res, {
      path,
      contentType: contentTypes[format],
      attachmentName: `${trackId}.${format}`,
    });
  });

  router.add('GET', '/users/{userId}/downloads/releases/{releaseId}', async (req, res) => {
    const userId = pathUser(req);
    const releaseId = req.params.releaseId ?? '';
    const trackIds = deps.releaseTrackIds(releaseId);
    if (!trackIds) throw notFound('Release');
    if (!deps.isReleaseInLocker(userId, releaseId)) throw notFound('Release in locker');
    await sendZip(req, res, releaseId, trackIds, downloadFormat(req, 'mp3'));
  });

  router.add('GET', '/users/{userId}/downloads/purchases/{purchaseId}', async (req, res) => {
    const userId = pathUser(req);
    const purchaseId = req.params.purchaseId ?? '';
    const purchase = deps.getPurchase(userId, purchaseId);
    if (!purchase) throw notFound('Purchase');
    // The purchase ZIP uses the highest available quality (spec): FLAC.
    await sendZip(req, res, purchaseId, purchase.trackIds, downloadFormat(req, 'flac'));
  });

  // ---- content delivery (notes §7.8, rules 10 and 36) --------------------------------------

  const transferAllowed = (key: string): boolean => {
    const nowMs = deps.now().getTime();
    const hits = (transferHits.get(key) ?? []).filter((t) => t > nowMs - 1000 && t <= nowMs);
    const allowed = hits.length < config.mediaTransferRequestsPerSec;
    if (allowed) hits.push(nowMs);
    transferHits.set(key, hits);
    return allowed;
  };

  router.add('GET', '/content-delivery/media-transfer', async (req, res) => {
    if (!transferAllowed(req.auth.consumerKey)) {
      res.setHeader('Retry-After', '1');
      sendServiceError(
        res,
        new ServiceError(
          429,
          serviceErrorCodes.outOfRange,
          `Too many requests: at most ${config.mediaTransferRequestsPerSec} per second`,
        ),
      );
      return;
    }
    const trackId = req.query.get('trackId');
    if (!trackId) throw missingParameter('trackId');
    const format = req.query.get('format') || 'mp3';
    if (format !== 'mp3' && format !== 'flac' && format !== 'aac') throw invalidValue('format', format);
    const bitrateText = req.query.get('bitrate');
    const bitrate = bitrateText
      ? Number(bitrateText)
      : format === 'flac'
        ? 1411
        : format === 'aac'
          ? 128
          : 320;
    if (![128, 192, 256, 320, 1411].includes(bitrate) || !/^\d*$/.test(bitrateText ?? ''))
      throw invalidValue('bitrate', bitrateText ?? '');
    if ((format === 'flac') !== (bitrate === 1411)) {
      throw invalidValue('bitrate', `${bitrate} kbps is not available as ${format}`);
    }
    knownTrack(trackId);
    requireAudio(trackId);
    const path =
      format === 'flac'
        ? deps.media.downloadPath(trackId, 'flac')
        : format === 'aac'
          ? deps.media.progressivePath(trackId, 'aac')
          : bitrate >= 256
            ? deps.media.downloadPath(trackId, 'mp3')
            : deps.media.progressivePath(trackId, 'mp3');
    if (!path) throw unavailable('No media for this track');
    await serveFile(req, res, {
      path,
      contentType: contentTypes[format],
      attachmentName: `${trackId}.${format}`,
    });
  });

  return { activeClient: (userId) => active.get(userId) };
}
