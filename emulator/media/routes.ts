// The streaming, download and content-delivery operations (notes §5, §7.6, §7.8; rules 22–27,
// 34, 36), plus the unsigned `/_media/hls/{token}/…` routes that serve HLS segments and keys.
// Every media URI in a manifest carries a short-lived random token bound to (user, clientId,
// track); the clientId concurrency rule is enforced on manifests, progressive files and
// segments alike. Every catalogue track has media: it is generated when first asked for
// (media-engine.ts).
import { createCipheriv, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
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
import { aacBitratesKbps, mp3BitratesKbps, type AacBitrate, type Mp3Bitrate } from './layout.js';
import type { MediaCache } from './media-cache.js';
import {
  segmentIndex,
  segmentName,
  type DownloadFormat,
  type MediaEngine,
  type ProgressiveFormat,
  type VirtualFile,
} from './media-engine.js';
import { hmacSha1Signature, signatureBaseString, type Pair } from '../oauth.js';
import { isTrackAvailableInCountry, type RouteContext } from '../routes/context.js';
import type { EmulatorMedia } from './emulator-media.js';
import { serveFile, serveVirtualFile } from './serve.js';
import { ensureZip, trackFileName, uniqueNames, type ZipEntry } from './zip.js';

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

/** Registers the media operations over the emulator's state and catalogue (the route context). */
export function registerMediaRoutes(router: Router, ctx: RouteContext, media: EmulatorMedia): MediaRoutes {
  return registerMediaRoutesWithDeps(router, mediaRouteDeps(ctx, media));
}

/** What the media routes read of the emulator's state, catalogue and settings. */
export function mediaRouteDeps(ctx: RouteContext, media: EmulatorMedia): MediaRouteDeps {
  const { state, config, catalogue } = ctx;
  return {
    media: media.engine,
    cache: media.cache,
    baseUrl: ctx.baseUrl,
    now: () => new Date(state.now()),
    config: {
      concurrentStreamBlockSec: config.concurrentStreamBlockSec,
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

/**
 * downloadTrack's answer: a media-transfer URL (MP3-320) pre-signed with the demo consumer's
 * credentials (2-legged, query string), like the real service's signed media URLs: valid for
 * the OAuth timestamp window, once.
 */
export function mediaTransferUrl(ctx: RouteContext, trackId: string): string {
  const key = ctx.config.demo.consumerKey;
  const secret = ctx.state.getConsumer(key)?.secret ?? ctx.config.demo.consumerSecret;
  const pairs: Pair[] = [
    ['trackId', trackId],
    ['format', 'mp3'],
    ['bitrate', '320'],
    ['oauth_consumer_key', key],
    ['oauth_nonce', randomBytes(12).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(ctx.state.now() / 1000))],
    ['oauth_version', '1.0'],
  ];
  const baseUrl = `${ctx.baseUrl()}/content-delivery/media-transfer`;
  const signature = hmacSha1Signature(signatureBaseString('GET', baseUrl, pairs), secret);
  const query = new URLSearchParams([...pairs, ['oauth_signature', signature]]);
  return `${baseUrl}?${query.toString()}`;
}

/** The media operations over a small deps object (the route tests give them fakes). */
export function registerMediaRoutesWithDeps(router: Router, deps: MediaRouteDeps): MediaRoutes {
  const config = { ...defaultMediaRouteConfig, ...deps.config };
  const grants = new Map<string, Grant>();
  const active = new Map<string, string>();
  const blocked = new Map<string, number>(); // `${userId}\n${clientId}` → blocked until (ms)
  const transferHits = new Map<string, number[]>();

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
    const manifest = deps.media.renderHlsManifest(
      trackId,
      { keyUri: `${base}/key`, segmentUri: (name) => `${base}/${name}` },
      config.hlsEncrypt,
    );
    if (manifest === undefined) throw unavailable('This track is not available for streaming (no media)');
    // The player asks for the first segments next: start making them now.
    deps.media.prefetchHls(trackId, [0, 1]);
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
    const segments = deps.media.hlsSegments(trackId);
    if (!segments) throw unavailable('This track is not available for streaming (no media)');
    if (file === 'key') {
      if (!config.hlsEncrypt) throw notFound('Key');
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': 16,
        'Cache-Control': 'no-store',
      });
      res.end(deps.media.hlsKey(trackId));
      return;
    }
    const index = segmentIndex(file);
    if (index === undefined || index >= segments.length || segmentName(index) !== file)
      throw notFound('Segment');
    const plain = await deps.media.hlsSegment(trackId, index);
    deps.media.prefetchHls(trackId, [index + 1]);
    const body = config.hlsEncrypt ? encryptSegment(deps.media.hlsKey(trackId), index, plain) : plain;
    res.writeHead(200, {
      'Content-Type': contentTypes.ts,
      'Content-Length': body.length,
      ETag: `"${trackId}-${index}-${config.hlsEncrypt ? 'aes' : 'plain'}"`,
      'Cache-Control': 'private, max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const progressive = async (req: EmulatorRequest, res: ServerResponse, trackId: string) => {
    const file = deps.media.progressive(trackId, streamFormat(req));
    if (!file) throw unavailable('This track is not available for streaming (no media)');
    await serveVirtualFile(req, res, file, { headers: { 'Cache-Control': 'no-store' } });
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
        return { userId, clientId: null };
      case 'locker':
        if (!deps.isTrackInLocker(userId, trackId)) throw notFound('Track in locker');
        return { userId, clientId: null };
      case 'subscription':
        requireSubscription(userId);
        requireAvailableIn(trackId, country(req, userId));
        claimStream(userId, clientId);
        return { userId, clientId };
      case 'offline':
        // "You forgot the device id" (1001) is not "this device is not authorised" (2002).
        if (!clientId) throw missingParameter('clientId');
        requireSubscription(userId);
        requireAvailableIn(trackId, country(req, userId));
        if (!deps.isDeviceAuthorised(userId, clientId)) {
          throw unavailable('Offline streaming requires a device authorised for offline playback (clientId)');
        }
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
    const file = deps.media.preview(trackId, format);
    if (!file) throw unavailable('No preview clip is available for this track');
    await serveVirtualFile(req, res, file);
  });

  router.add('GET', `${mediaAssetPathPrefix}hls/{token}/{trackId}/{file}`, serveAsset);

  // ---- downloads (notes §7.6, rules 27 and 34) ---------------------------------------------

  /** The download of one track: MP3-320 (tagged, generated as it is sent) or FLAC (whole). */
  const downloadEntry = async (
    trackId: string,
    format: DownloadFormat,
  ): Promise<{ path: string } | { file: VirtualFile } | undefined> => {
    if (format === 'flac') {
      const path = await deps.media.flacPath(trackId);
      return path ? { path } : undefined;
    }
    const file = deps.media.mp3File(trackId, 320);
    return file ? { file } : undefined;
  };

  const sendZip = async (
    req: EmulatorRequest,
    res: ServerResponse,
    id: string,
    trackIds: readonly string[],
    format: DownloadFormat,
  ) => {
    const tracks = trackIds.flatMap((trackId) => {
      const info = deps.getTrack(trackId);
      return info ? [info] : [];
    });
    if (tracks.length === 0) throw unavailable('No downloadable media for these tracks');
    const names = uniqueNames(tracks.map((t) => trackFileName(t.trackNumber, t.title, format)));
    // FLAC files are made whole before zipping: start them all (the encoder slots bound the work).
    const sources = await Promise.all(tracks.map((t) => downloadEntry(t.trackId, format)));
    const entries: ZipEntry[] = sources.flatMap((source, i) =>
      source ? [{ name: names[i] as string, ...source }] : [],
    );
    if (entries.length === 0) throw unavailable('No downloadable media for these tracks');
    const path = await ensureZip(deps.cache, entries);
    await serveFile(req, res, {
      path,
      contentType: contentTypes.zip,
      attachmentName: `${id}.zip`,
      etag: `"${path.split('/').pop()?.replace('.zip', '') ?? id}"`,
    });
  };

  router.add('GET', '/users/{userId}/downloads/tracks/{trackId}', async (req, res) => {
    const userId = pathUser(req);
    const trackId = req.params.trackId ?? '';
    knownTrack(trackId);
    if (!deps.isTrackInLocker(userId, trackId)) throw notFound('Track in locker');
    const format = downloadFormat(req, 'mp3');
    const entry = await downloadEntry(trackId, format);
    if (!entry) throw unavailable('No downloadable media for this track');
    const attachmentName = `${trackId}.${format}`;
    if ('file' in entry) await serveVirtualFile(req, res, entry.file, { attachmentName });
    else await serveFile(req, res, { path: entry.path, contentType: contentTypes[format], attachmentName });
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
    if (![...mp3BitratesKbps, ...aacBitratesKbps, 1411].includes(bitrate) || !/^\d*$/.test(bitrateText ?? ''))
      throw invalidValue('bitrate', bitrateText ?? '');
    if ((format === 'flac') !== (bitrate === 1411)) {
      throw invalidValue('bitrate', `${bitrate} kbps is not available as ${format}`);
    }
    knownTrack(trackId);
    const attachmentName = `${trackId}.${format}`;
    if (format === 'flac') {
      const path = await deps.media.flacPath(trackId);
      if (!path) throw unavailable('No media for this track');
      await serveFile(req, res, { path, contentType: contentTypes.flac, attachmentName });
      return;
    }
    const file =
      format === 'aac'
        ? deps.media.aacFile(trackId, bitrate as AacBitrate)
        : deps.media.mp3File(trackId, bitrate as Mp3Bitrate);
    if (!file) throw unavailable('No media for this track');
    await serveVirtualFile(req, res, file, { attachmentName });
  });

  return { activeClient: (userId) => active.get(userId) };
}

function encryptSegment(key: Buffer, index: number, plain: Buffer): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(index, 12);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}
