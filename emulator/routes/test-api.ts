// The test-only API under /_emulator/ (unsigned, loopback only): received logs, radio
// history, clock offset, fault injection, subscription expiry, the media engine's view of a
// track (loudness, segments, gapless release) and its cache.
import { z } from 'zod';
import type { Faults } from '../faults.js';
import { FaultInput } from '../faults.js';
import type { Router } from '../http.js';
import type { EmulatorMedia } from '../media/emulator-media.js';
import { previewWindow } from '../media/track-audio.js';
import { invalidValue, notFound, parseBody, readJsonBody, sendJson } from '../http.js';
import type { LogEndpoint } from '../state/play-logs.js';
import type { RouteContext } from './context.js';

/** What the radio module exposes for inspection (its session history). */
export type RadioInspector = { history(sessionId: string): unknown };

const ClockRequest = z.object({
  offsetMs: z
    .number()
    .int()
    .min(-10 * 365 * 86_400_000)
    .max(10 * 365 * 86_400_000),
});
const logEndpoints: readonly LogEndpoint[] = ['subscriber', 'catalogue', 'preview'];

export function registerTestApi(
  router: Router,
  ctx: RouteContext,
  deps: { faults: Faults; radio: RadioInspector; media: EmulatorMedia },
): void {
  // Long by design (over 80 lines): a table of test-only routes, one short entry per route.
  const { state, catalogue } = ctx;
  const { faults, radio, media } = deps;
  router.add('GET', '/_emulator/logs', (req, res) => {
    const endpoint = req.query.get('endpoint');
    if (!logEndpoints.includes(endpoint as LogEndpoint))
      throw invalidValue('endpoint', `expected one of ${logEndpoints.join(', ')}`);
    sendJson(res, 200, state.receivedLogs(endpoint as LogEndpoint));
  });
  router.add('GET', '/_emulator/radio/{sessionId}/history', (req, res) => {
    const history = radio.history(req.params.sessionId ?? '');
    if (history === undefined || history === null) throw notFound('Radio session');
    sendJson(res, 200, history);
  });
  router.add('GET', '/_emulator/clock', (_req, res) => {
    sendJson(res, 200, { offsetMs: state.getClockOffset(), now: new Date(state.now()).toISOString() });
  });
  router.add('POST', '/_emulator/clock', (req, res) => {
    const body = parseBody(ClockRequest, readJsonBody(req));
    state.setClockOffset(body.offsetMs);
    sendJson(res, 200, { offsetMs: body.offsetMs, now: new Date(state.now()).toISOString() });
  });
  router.add('GET', '/_emulator/faults', (_req, res) => {
    sendJson(res, 200, { faults: faults.list() });
  });
  router.add('POST', '/_emulator/faults', (req, res) => {
    const body = parseBody(FaultInput, readJsonBody(req));
    sendJson(res, 201, { id: faults.add(body) });
  });
  router.add('DELETE', '/_emulator/faults', (_req, res) => {
    sendJson(res, 200, { removed: faults.clear() });
  });
  router.add('DELETE', '/_emulator/faults/{id}', (req, res) => {
    if (!faults.remove(req.params.id ?? '')) throw notFound('Fault');
    sendJson(res, 200, { removed: 1 });
  });
  router.add('POST', '/_emulator/subscriptions/{userId}/expire', (req, res) => {
    const userId = req.params.userId ?? '';
    if (!state.getUser(userId)) throw notFound('User');
    sendJson(res, 200, { userId, expired: state.expireSubscriptions(userId) });
  });
  router.add('GET', '/_emulator/demo-set', (_req, res) => {
    sendJson(res, 200, { tracks: catalogue.demoSetTracks() });
  });
  router.add('GET', '/_emulator/media/tracks/{trackId}', (req, res) => {
    const { engine } = media;
    const track = engine.track(req.params.trackId ?? '');
    if (!track) throw notFound('Track');
    sendJson(res, 200, {
      trackId: track.trackId,
      releaseId: track.releaseId,
      durationSec: track.durationSec,
      loudnessLufs: engine.loudnessLufs(track.trackId),
      gapless: track.gaplessRelease !== undefined,
      preview: previewWindow(track.durationSec),
      hlsSegments: (engine.hlsSegments(track.trackId) ?? []).map((s) => ({
        index: s.index,
        firstFrame: s.firstFrame,
        frameCount: s.frameCount,
        durationSec: s.durationSec,
      })),
    });
  });
  router.add('GET', '/_emulator/media/gapless-releases', (_req, res) => {
    sendJson(res, 200, {
      releases: catalogue.gaplessReleases().map((r) => ({
        releaseId: r.id,
        title: r.title,
        artistName: catalogue.artists.get(r.artistId)?.name ?? '',
        tracks: catalogue
          .tracksOfRelease(r.id)
          .map((t) => ({ trackId: t.id, title: t.title, durationSec: t.durationSec })),
      })),
    });
  });
  router.add('GET', '/_emulator/media/cache', (_req, res) => {
    const { cache } = media;
    sendJson(res, 200, { dir: cache.root, maxBytes: cache.maxBytes, ...cache.usage() });
  });
}
