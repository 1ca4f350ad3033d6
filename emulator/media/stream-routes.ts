// The streaming operations (notes §5; rules 22–26): catalogue, locker, subscription and offline
// streams as HLS or progressive files, and preview clips; plus the unsigned
// `/_media/hls/{token}/…` routes that serve HLS segments and keys. Every media URI in a manifest
// carries a short-lived random token bound to (user, clientId, track); under the clientId
// concurrency rule a new stream request wins, and a displaced device's segments, keys and
// progressive Range requests are refused.
import { createCipheriv, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorRequest, Router } from '../http.js';
import { missingParameter, notFound, sendText } from '../http.js';
import { segmentIndex, segmentName } from './media-engine.js';
import { contentTypes, streamFormat, type RequestChecks } from './request-checks.js';
import type { MediaRouteConfig, MediaRouteDeps } from './route-deps.js';
import { serveVirtualFile } from './serve.js';
import type { StreamClaims } from './stream-claims.js';

/** Unsigned routes under this prefix serve segments and keys; the server skips OAuth for them. */
export const mediaAssetPathPrefix = '/_media/';

type StreamKind = 'catalogue' | 'locker' | 'subscription' | 'offline';
type Grant = { userId: string | null; clientId: string | null; trackId: string; expiresAtMs: number };
type StreamParts = {
  deps: MediaRouteDeps;
  config: MediaRouteConfig;
  checks: RequestChecks;
  claims: StreamClaims;
};

export function registerStreamRoutes(router: Router, parts: StreamParts): void {
  const hls = createHlsGrants(parts);
  const addStream = (kind: StreamKind, prefix: string) => {
    router.add('GET', `${prefix}/hls`, (req, res) => {
      const { userId, clientId } = authoriseStream(parts, req, kind, false);
      hls.sendManifest(res, req.params.trackId ?? '', userId, clientId);
    });
    router.add('GET', `${prefix}/progressive`, async (req, res) => {
      authoriseStream(parts, req, kind, continuesStream(req));
      await progressive(parts, req, res, req.params.trackId ?? '');
    });
  };
  addStream('catalogue', '/streaming/catalogue/{trackId}');
  addStream('locker', '/streaming/locker/{trackId}');
  addStream('subscription', '/streaming/subscription/{trackId}');
  addStream('offline', '/streaming/subscription/{trackId}/offline');

  router.add('GET', '/streaming/preview/{trackId}', async (req, res) => {
    const { deps, checks } = parts;
    const trackId = req.params.trackId ?? '';
    checks.knownTrack(trackId);
    const format = streamFormat(req);
    checks.requireAvailableIn(trackId, checks.country(req, req.auth.userId));
    const file = deps.media.preview(trackId, format);
    if (!file) throw checks.unavailable('No preview clip is available for this track');
    await serveVirtualFile(req, res, file);
  });

  router.add('GET', `${mediaAssetPathPrefix}hls/{token}/{trackId}/{file}`, hls.serveAsset);
}

const clientIdOf = (req: EmulatorRequest): string | null =>
  req.query.get('clientId') || req.query.get('clientid') || null;

/** A progressive Range request further in than the first byte continues a stream; others start one. */
function continuesStream(req: EmulatorRequest): boolean {
  const range = req.headers.range;
  const start = /^\s*bytes\s*=\s*(\d*)\s*-/i.exec(Array.isArray(range) ? (range[0] ?? '') : (range ?? ''));
  return start !== null && (start[1] === '' || Number(start[1]) > 0);
}

/**
 * Checks a stream request; returns the user and the clientId the stream is bound to. A new
 * subscription stream request takes the stream (rule 23); a continuing one from a displaced
 * device is refused.
 */
function authoriseStream(
  { deps, checks, claims }: StreamParts,
  req: EmulatorRequest,
  kind: StreamKind,
  continuing: boolean,
): { userId: string; clientId: string | null } {
  const userId = checks.requireUser(req);
  const trackId = req.params.trackId ?? '';
  checks.knownTrack(trackId);
  const clientId = clientIdOf(req);
  switch (kind) {
    case 'catalogue':
      checks.requireAvailableIn(trackId, checks.country(req, userId));
      return { userId, clientId: null };
    case 'locker':
      if (!deps.isTrackInLocker(userId, trackId)) throw notFound('Track in locker');
      return { userId, clientId: null };
    case 'subscription':
      checks.requireSubscription(userId);
      checks.requireAvailableIn(trackId, checks.country(req, userId));
      if (!continuing) claims.claim(userId, clientId);
      else if (clientId && claims.isDisplaced(userId, clientId)) throw checks.concurrentStream();
      return { userId, clientId };
    case 'offline':
      // "You forgot the device id" (1001) is not "this device is not authorised" (2002).
      if (!clientId) throw missingParameter('clientId');
      checks.requireSubscription(userId);
      checks.requireAvailableIn(trackId, checks.country(req, userId));
      if (!deps.isDeviceAuthorised(userId, clientId)) {
        throw checks.unavailable(
          'Offline streaming requires a device authorised for offline playback (clientId)',
        );
      }
      return { userId, clientId: null };
  }
}

async function progressive(
  { deps, checks }: StreamParts,
  req: EmulatorRequest,
  res: ServerResponse,
  trackId: string,
): Promise<void> {
  const file = deps.media.progressive(trackId, streamFormat(req));
  if (!file) throw checks.unavailable('This track is not available for streaming (no media)');
  await serveVirtualFile(req, res, file, { headers: { 'Cache-Control': 'no-store' } });
}

/** HLS manifests whose segment and key URIs carry a grant token, and the routes serving them. */
function createHlsGrants({ deps, config, checks, claims }: StreamParts) {
  const grants = new Map<string, Grant>();
  const pruneGrants = (nowMs: number) => {
    if (grants.size < 1000) return;
    for (const [token, grant] of grants) if (grant.expiresAtMs <= nowMs) grants.delete(token);
  };
  const noMedia = () => checks.unavailable('This track is not available for streaming (no media)');

  return {
    sendManifest(res: ServerResponse, trackId: string, userId: string | null, clientId: string | null) {
      const nowMs = deps.now().getTime();
      pruneGrants(nowMs);
      const token = randomBytes(18).toString('base64url');
      grants.set(token, {
        userId,
        clientId,
        trackId,
        expiresAtMs: nowMs + config.signedMediaUrlTtlSec * 1000,
      });
      const base = `${deps.baseUrl().replace(/\/$/, '')}${mediaAssetPathPrefix}hls/${token}/${encodeURIComponent(trackId)}`;
      const manifest = deps.media.renderHlsManifest(
        trackId,
        { keyUri: `${base}/key`, segmentUri: (name) => `${base}/${name}` },
        config.hlsEncrypt,
      );
      if (manifest === undefined) throw noMedia();
      // The player asks for the first segments next: start making them now.
      deps.media.prefetchHls(trackId, [0, 1]);
      res.setHeader('Cache-Control', 'no-store');
      sendText(res, 200, contentTypes.m3u8, manifest);
    },

    async serveAsset(req: EmulatorRequest, res: ServerResponse) {
      const { token = '', trackId = '', file = '' } = req.params;
      const grant = grants.get(token);
      if (!grant || grant.trackId !== trackId) throw checks.unavailable('Media URL is not valid');
      if (grant.expiresAtMs <= deps.now().getTime()) {
        grants.delete(token);
        throw checks.unavailable('Media URL has expired');
      }
      if (grant.userId && grant.clientId && claims.isDisplaced(grant.userId, grant.clientId))
        throw checks.concurrentStream();
      const segments = deps.media.hlsSegments(trackId);
      if (!segments) throw noMedia();
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
    },
  };
}

function encryptSegment(key: Buffer, index: number, plain: Buffer): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(index, 12);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}
