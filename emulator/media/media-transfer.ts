// Content delivery (notes §7.8, rules 10 and 36): `/content-delivery/media-transfer` serves a
// track as MP3 or AAC at a chosen bitrate, or FLAC, at most mediaTransferRequestsPerSec per key;
// downloadTrack answers with a URL to it that the emulator pre-signed.
import { randomBytes } from 'node:crypto';
import { serviceErrorCodes } from '../../shared/service-errors.js';
import type { Router } from '../http.js';
import { invalidValue, missingParameter, sendServiceError, ServiceError } from '../http.js';
import { hmacSha1Signature, signatureBaseString, type Pair } from '../oauth.js';
import type { RouteContext } from '../routes/context.js';
import { aacBitratesKbps, mp3BitratesKbps, type AacBitrate, type Mp3Bitrate } from './layout.js';
import { contentTypes, type RequestChecks } from './request-checks.js';
import type { MediaRouteConfig, MediaRouteDeps } from './route-deps.js';
import { serveFile, serveVirtualFile } from './serve.js';

const mediaTransferPath = '/content-delivery/media-transfer';

type TransferParts = { deps: MediaRouteDeps; config: MediaRouteConfig; checks: RequestChecks };

export function registerMediaTransferRoute(router: Router, { deps, config, checks }: TransferParts): void {
  const transferHits = new Map<string, number[]>();
  const transferAllowed = (key: string): boolean => {
    const nowMs = deps.now().getTime();
    const hits = (transferHits.get(key) ?? []).filter((t) => t > nowMs - 1000 && t <= nowMs);
    const allowed = hits.length < config.mediaTransferRequestsPerSec;
    if (allowed) hits.push(nowMs);
    transferHits.set(key, hits);
    return allowed;
  };

  router.add('GET', mediaTransferPath, async (req, res) => {
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
    const { format, bitrate } = transferFormat(req.query);
    checks.knownTrack(trackId);
    const attachmentName = `${trackId}.${format}`;
    if (format === 'flac') {
      const path = await deps.media.flacPath(trackId);
      if (!path) throw checks.unavailable('No media for this track');
      await serveFile(req, res, { path, contentType: contentTypes.flac, attachmentName });
      return;
    }
    const file =
      format === 'aac'
        ? deps.media.aacFile(trackId, bitrate as AacBitrate)
        : deps.media.mp3File(trackId, bitrate as Mp3Bitrate);
    if (!file) throw checks.unavailable('No media for this track');
    await serveVirtualFile(req, res, file, { attachmentName });
  });
}

/** The format and bitrate asked for (defaults: MP3 320, AAC 128, FLAC 1411 kbps). */
function transferFormat(query: URLSearchParams): { format: 'mp3' | 'aac' | 'flac'; bitrate: number } {
  const format = query.get('format') || 'mp3';
  if (format !== 'mp3' && format !== 'flac' && format !== 'aac') throw invalidValue('format', format);
  const bitrateText = query.get('bitrate');
  const bitrate = bitrateText ? Number(bitrateText) : format === 'flac' ? 1411 : format === 'aac' ? 128 : 320;
  if (![...mp3BitratesKbps, ...aacBitratesKbps, 1411].includes(bitrate) || !/^\d*$/.test(bitrateText ?? ''))
    throw invalidValue('bitrate', bitrateText ?? '');
  if ((format === 'flac') !== (bitrate === 1411)) {
    throw invalidValue('bitrate', `${bitrate} kbps is not available as ${format}`);
  }
  return { format, bitrate };
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
  const baseUrl = `${ctx.baseUrl()}${mediaTransferPath}`;
  const signature = hmacSha1Signature(signatureBaseString('GET', baseUrl, pairs), secret);
  const query = new URLSearchParams([...pairs, ['oauth_signature', signature]]);
  return `${baseUrl}?${query.toString()}`;
}
