// The locker's downloads (notes §7.6, rules 27 and 34): one purchased track as MP3-320 (tagged,
// made as it is sent) or FLAC, and a purchased release or purchase as a ZIP.
import type { ServerResponse } from 'node:http';
import type { EmulatorRequest, Router } from '../http.js';
import { notFound } from '../http.js';
import type { DownloadFormat, VirtualFile } from './media-engine.js';
import { contentTypes, downloadFormat, type RequestChecks } from './request-checks.js';
import type { MediaRouteDeps } from './route-deps.js';
import { serveFile, serveVirtualFile } from './serve.js';
import { ensureZip, trackFileName, uniqueNames, type ZipEntry } from './zip.js';

type DownloadParts = { deps: MediaRouteDeps; checks: RequestChecks };

export function registerDownloadRoutes(router: Router, parts: DownloadParts): void {
  const { deps, checks } = parts;

  router.add('GET', '/users/{userId}/downloads/tracks/{trackId}', async (req, res) => {
    const userId = checks.pathUser(req);
    const trackId = req.params.trackId ?? '';
    checks.knownTrack(trackId);
    if (!deps.isTrackInLocker(userId, trackId)) throw notFound('Track in locker');
    const format = downloadFormat(req, 'mp3');
    const entry = await downloadEntry(deps, trackId, format);
    if (!entry) throw checks.unavailable('No downloadable media for this track');
    const attachmentName = `${trackId}.${format}`;
    if ('file' in entry) await serveVirtualFile(req, res, entry.file, { attachmentName });
    else await serveFile(req, res, { path: entry.path, contentType: contentTypes[format], attachmentName });
  });

  router.add('GET', '/users/{userId}/downloads/releases/{releaseId}', async (req, res) => {
    const userId = checks.pathUser(req);
    const releaseId = req.params.releaseId ?? '';
    const trackIds = deps.releaseTrackIds(releaseId);
    if (!trackIds) throw notFound('Release');
    if (!deps.isReleaseInLocker(userId, releaseId)) throw notFound('Release in locker');
    await sendZip(parts, req, res, releaseId, trackIds, downloadFormat(req, 'mp3'));
  });

  router.add('GET', '/users/{userId}/downloads/purchases/{purchaseId}', async (req, res) => {
    const userId = checks.pathUser(req);
    const purchaseId = req.params.purchaseId ?? '';
    const purchase = deps.getPurchase(userId, purchaseId);
    if (!purchase) throw notFound('Purchase');
    // The purchase ZIP uses the highest available quality (spec): FLAC.
    await sendZip(parts, req, res, purchaseId, purchase.trackIds, downloadFormat(req, 'flac'));
  });
}

/** The download of one track: MP3-320 (tagged, generated as it is sent) or FLAC (whole). */
async function downloadEntry(
  deps: MediaRouteDeps,
  trackId: string,
  format: DownloadFormat,
): Promise<{ path: string } | { file: VirtualFile } | undefined> {
  if (format === 'flac') {
    const path = await deps.media.flacPath(trackId);
    return path ? { path } : undefined;
  }
  const file = deps.media.mp3File(trackId, 320);
  return file ? { file } : undefined;
}

async function sendZip(
  { deps, checks }: DownloadParts,
  req: EmulatorRequest,
  res: ServerResponse,
  id: string,
  trackIds: readonly string[],
  format: DownloadFormat,
): Promise<void> {
  const tracks = trackIds.flatMap((trackId) => {
    const info = deps.getTrack(trackId);
    return info ? [info] : [];
  });
  if (tracks.length === 0) throw checks.unavailable('No downloadable media for these tracks');
  const names = uniqueNames(tracks.map((t) => trackFileName(t.trackNumber, t.title, format)));
  // FLAC files are made whole before zipping: start them all (the encoder slots bound the work).
  const sources = await Promise.all(tracks.map((t) => downloadEntry(deps, t.trackId, format)));
  const entries: ZipEntry[] = sources.flatMap((source, i) =>
    source ? [{ name: names[i] as string, ...source }] : [],
  );
  if (entries.length === 0) throw checks.unavailable('No downloadable media for these tracks');
  const path = await ensureZip(deps.cache, entries);
  await serveFile(req, res, {
    path,
    contentType: contentTypes.zip,
    attachmentName: `${id}.zip`,
    etag: `"${path.split('/').pop()?.replace('.zip', '') ?? id}"`,
  });
}
