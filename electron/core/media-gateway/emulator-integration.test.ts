// The media services against the real emulator (real OAuth signing, real media, real rules):
// offline cache through the offline endpoints, the gateway streaming a subscription track and
// surfacing 3201, purchase downloads, and radio, with the demo listener's "Septet Favourites"
// playlist (the demo set).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { demoListener } from '../../../shared/demo.js';
import { startEmulator } from '../../../emulator/server.js';
import { createDownloadService } from '../downloads/download-service.js';
import { createOfflineCacheService } from '../offline-cache/offline-cache-service.js';
import { createRadioService } from '../radio/radio-service.js';
import { createMediaGateway } from './media-gateway.js';
import { createSignedUpstream } from './testing/signed-upstream.js';
import { apiCallFromUpstream, type SessionInfo, type UpstreamFetch } from './upstream.js';

let root: string;
let emulator: { url: string; close(): Promise<void> };
let upstream: UpstreamFetch;
let audioTrackIds: string[] = [];
let audioPlaylistId: string | undefined;
let mediaRoutes = false;
let radioRoutes = false;
const session: SessionInfo = {
  userId: demoListener.userId,
  country: demoListener.country,
  clientId: `septet-test-${randomBytes(4).toString('hex')}`,
  subscriptionActive: true,
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'septet-media-emu-'));
  emulator = await startEmulator({ port: 0, dataDir: join(root, 'emulator') });
  upstream = createSignedUpstream({ baseUrl: emulator.url, userId: session.userId });
  const call = apiCallFromUpstream(upstream);
  const playlists = (await call('listPlaylists', { query: { userId: session.userId, pageSize: '100' } })) as {
    playlists?: Array<{ id: string; name: string; tracks?: Array<{ trackId: string }> }>;
  };
  const audio = playlists.playlists?.find((p) => p.name === 'Septet Favourites');
  audioPlaylistId = audio?.id;
  audioTrackIds = audio?.tracks?.map((t) => t.trackId) ?? [];
  const probe = await upstream('streamSubscriptionTrackHls', {
    path: { trackId: audioTrackIds[0] ?? 'none' },
    query: { country: session.country },
  });
  mediaRoutes = probe.status === 200;
  await probe.body?.cancel();
  const radioProbe = await upstream('getInteractiveRadioNextTrack', { path: { sessionId: 'probe' } });
  radioRoutes = !(await radioProbe.text()).includes('Resource not found');
}, 240_000);

afterAll(async () => {
  await emulator?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The emulator serves the routes a test needs (a failure here means it stopped doing so). */
function needs(_ctx: TestContext, what: 'media' | 'radio'): void {
  const ok = what === 'media' ? mediaRoutes && audioTrackIds.length > 0 : radioRoutes && audioPlaylistId;
  if (!ok)
    throw new Error(`the emulator does not serve its ${what} routes (or the demo playlist is missing)`);
}

describe('media services against the emulator', () => {
  it('caches a subscription track offline (HLS and progressive) and plays it back', async (ctx) => {
    needs(ctx, 'media');
    const cache = createOfflineCacheService({
      dir: join(root, 'cache'),
      getMasterKey: () => Promise.resolve(randomBytes(32).fill(7)),
      getSession: () => session,
      call: apiCallFromUpstream(upstream),
      upstream,
    });
    try {
      const [hlsTrack, progressiveTrack] = audioTrackIds as [string, string];
      expect(await cache.makeAvailable([hlsTrack], { format: 'hls' })).toEqual([
        { trackId: hlsTrack, ok: true },
      ]);
      expect(await cache.makeAvailable([progressiveTrack], { format: 'progressive' })).toEqual([
        { trackId: progressiveTrack, ok: true },
      ]);
      const hls = await cache.openTrack(hlsTrack);
      const manifest = (await hls.manifest())!;
      expect(manifest).toMatch(/^#EXTM3U/);
      expect(manifest).not.toContain(emulator.url);
      expect(hls.partNames().filter((n) => n.startsWith('seg/')).length).toBeGreaterThan(0);
      await hls.close();
      const prog = await cache.openTrack(progressiveTrack);
      let bytes = 0;
      for await (const piece of prog.createReadStream()) bytes += (piece as Buffer).length;
      expect(bytes).toBe(prog.plainBytes);
      await prog.close();
      expect((await cache.verify()).bad).toEqual([]);

      // Offline: the gateway serves the cached manifest, the AES-128 key and the segments.
      const gateway = createMediaGateway({
        upstream,
        getSession: () => session,
        offlineCache: cache,
        isOnline: () => false,
      });
      await gateway.start();
      try {
        const url = gateway.urlFor({ trackId: hlsTrack, source: 'offline', format: 'hls' });
        const served = await (await fetch(url)).text();
        const segUris = served.split('\n').filter((l) => l.startsWith('http'));
        expect(segUris.length).toBe(hls.partNames().filter((n) => n.startsWith('seg/')).length);
        const first = await fetch(segUris[0]!);
        expect(first.status).toBe(200);
        const keyUri = /URI="([^"]+)"/.exec(served)?.[1];
        if (keyUri) expect((await (await fetch(keyUri)).arrayBuffer()).byteLength).toBe(16);
      } finally {
        await gateway.stop();
      }
    } finally {
      await cache.close();
    }
  });

  it('streams through the gateway and surfaces 3201 when another device takes over', async (ctx) => {
    needs(ctx, 'media');
    const errors: string[] = [];
    const gateway = createMediaGateway({
      upstream,
      getSession: () => session,
      onUpstreamError: (error) => errors.push(`${error.code}:${error.serviceCode ?? ''}`),
    });
    await gateway.start();
    try {
      const trackId = audioTrackIds[0]!;
      const url = gateway.urlFor({ trackId, source: 'subscription', format: 'hls' });
      const manifest = await (await fetch(url)).text();
      const uris = manifest.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(uris.length).toBeGreaterThan(0);
      for (const uri of uris) expect(uri.startsWith(gateway.origin())).toBe(true);
      const seg = await fetch(uris[0]!);
      expect(seg.status).toBe(200);
      expect((await seg.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      const key = /URI="([^"]+)"/.exec(manifest)?.[1];
      if (key) expect((await (await fetch(key)).arrayBuffer()).byteLength).toBe(16);

      // Another device (clientId) starts streaming for the same user: this one's continuing
      // segment requests are now refused (a new request from it would win the stream back).
      const other = await upstream('streamSubscriptionTrackHls', {
        path: { trackId },
        query: { country: session.country, clientId: 'another-device' },
      });
      expect(other.status).toBe(200);
      await other.body?.cancel();
      const refused = await fetch(uris.find((u) => u.includes('/seg/1')) ?? uris[1]!);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { serviceCode: number } }).error.serviceCode).toBe(3201);
      expect(errors).toContain('concurrent_stream:3201');
    } finally {
      await gateway.stop();
    }
  });

  it('passes Range through to the emulator for progressive catalogue audio', async (ctx) => {
    needs(ctx, 'media');
    const gateway = createMediaGateway({ upstream, getSession: () => session });
    await gateway.start();
    try {
      const url = gateway.urlFor({ trackId: audioTrackIds[0]!, source: 'catalogue', format: 'progressive' });
      const whole = await fetch(url);
      expect(whole.status).toBe(200);
      const all = Buffer.from(await whole.arrayBuffer());
      const part = await fetch(url, { headers: { Range: 'bytes=100-1099' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${all.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(all.subarray(100, 1100))).toBe(true);
    } finally {
      await gateway.stop();
    }
  });

  it('downloads a purchased release ZIP into a chosen folder', async (ctx) => {
    needs(ctx, 'media');
    const call = apiCallFromUpstream(upstream);
    const locker = (await call('getUserLocker', { path: { userId: session.userId } })) as {
      releases?: Array<{ id: string }>;
    };
    const releaseId = locker.releases?.[0]?.id;
    if (!releaseId) return ctx.skip('the demo locker has no release');
    const downloads = createDownloadService({
      upstream,
      getSession: () => session,
      stateDir: join(root, 'dl-state'),
    });
    const folder = join(root, 'Downloads');
    const result = await downloads.downloadPurchasedReleaseZip({ releaseId, folder });
    expect(result.fileName.endsWith('.zip')).toBe(true);
    const zip = readFileSync(result.path);
    expect(zip.length).toBe(result.bytes);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
  });

  it('runs a radio station: session, next tracks, events, skip budget, delete', async (ctx) => {
    needs(ctx, 'radio');
    const radio = createRadioService({
      call: apiCallFromUpstream(upstream),
      getSession: () => session,
      batchSize: 5,
    });
    const view = await radio.startStation({ playlistIds: [audioPlaylistId!], ruleset: 'dmca' });
    expect(view.skipsRemaining).toBeGreaterThan(0);
    const first = await radio.nextTrack();
    expect(first.trackId).toBeTruthy();
    expect(await radio.nextTrack()).toMatchObject({ trackId: first.trackId }); // idempotent until resolved
    radio.reportEvents([{ eventType: 'start' }, { eventType: 'complete', durationPlayed: 30 }]);
    const second = await radio.nextTrack();
    const before = radio.view()!.skipsRemaining;
    await radio.skip({ durationPlayed: 3 });
    expect(radio.view()!.skipsRemaining).toBe(before - 1);
    expect(second.trackId).toBeTruthy();
    // Spend the rest of the budget; then the client refuses without asking the service.
    while (radio.view()!.skipsRemaining > 0) await radio.skip({ durationPlayed: 1 });
    await expect(radio.skip()).rejects.toMatchObject({ code: 'limit_reached' });
    const history = (await (
      await fetch(`${emulator.url}/_emulator/radio/${view.sessionId}/history`)
    ).json()) as { skipsRemaining: number; tracks: Array<{ resolution: string | null }> };
    expect(history.skipsRemaining).toBe(0);
    expect(history.tracks.filter((t) => t.resolution === 'skip')).toHaveLength(view.skipsRemaining);
    expect(history.tracks.filter((t) => t.resolution === 'complete')).toHaveLength(1);
    const sessionId = view.sessionId;
    await radio.stopStation();
    const gone = await upstream('getInteractiveRadioNextTrack', { path: { sessionId } });
    expect(gone.status).toBe(404);
  });

  // Last: it ends the demo listener's subscription in this emulator instance.
  it('refuses to cache once the subscription lapsed (2002 from the offline endpoint)', async (ctx) => {
    needs(ctx, 'media');
    const cache = createOfflineCacheService({
      dir: join(root, 'cache-lapsed'),
      getMasterKey: () => Promise.resolve(randomBytes(32)),
      getSession: () => session,
      call: apiCallFromUpstream(upstream),
      upstream,
    });
    try {
      const expired = await fetch(`${emulator.url}/_emulator/subscriptions/${session.userId}/expire`, {
        method: 'POST',
      });
      expect(expired.status).toBe(200);
      const [result] = await cache.makeAvailable([audioTrackIds[2] ?? audioTrackIds[0]!], {
        format: 'progressive',
      });
      expect(result).toMatchObject({ ok: false });
      expect(result!.ok ? undefined : result!.error.code).toMatch(/not_available|limit_reached/);
      expect(cache.list()).toEqual([]);
    } finally {
      await cache.close();
    }
  });
});
