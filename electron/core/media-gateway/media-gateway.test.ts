// Real gateway, real HTTP. Upstream is the local media server this test starts
// (testing/local-media-server.ts), which can misbehave on purpose;
// emulator-integration.test.ts runs the gateway against the emulator.
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors.js';
import { createOfflineCacheService } from '../offline-cache/offline-cache-service.js';
import {
  createMediaGateway,
  parseRange,
  type MediaGatewayDeps,
  type StreamErrorContext,
} from './media-gateway.js';
import { startLocalMediaServer, type LocalMediaServer } from './testing/local-media-server.js';
import { createSignedUpstream } from './testing/signed-upstream.js';
import { apiCallFromUpstream, type SessionInfo } from './upstream.js';

let server: LocalMediaServer;
const closers: Array<() => Promise<void>> = [];
const session: SessionInfo = {
  userId: 'demo-listener',
  country: 'GB',
  clientId: 'gw-client',
  subscriptionActive: true,
  subscriptionExpiresAt: new Date(Date.now() + 86400_000).toISOString(),
};
const appOrigin = 'http://127.0.0.1:5999';

beforeEach(async () => {
  server = await startLocalMediaServer({ audioBytes: 300_000, segments: 3 });
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await server.close();
});

async function startGateway(extra: Partial<MediaGatewayDeps> = {}) {
  const errors: Array<{ error: AppError; context: StreamErrorContext }> = [];
  const gateway = createMediaGateway({
    upstream: createSignedUpstream({ baseUrl: server.url, userId: session.userId }),
    getSession: () => session,
    allowedOrigins: [appOrigin],
    onUpstreamError: (error, context) => errors.push({ error, context }),
    ...extra,
  });
  const { port } = await gateway.start();
  closers.push(() => gateway.stop());
  return { gateway, port, errors };
}

function rawGet(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('media gateway', () => {
  it('answers 403 without the token, with a wrong token, or with a foreign Host header', async () => {
    const { gateway, port } = await startGateway();
    const url = new URL(gateway.urlFor({ trackId: 't1', source: 'subscription', format: 'hls' }));
    expect(url.hostname).toBe('127.0.0.1');
    const tokenPath = url.pathname;
    const withoutToken = tokenPath.split('/').slice(2).join('/');
    expect((await rawGet(port, `/${withoutToken}`)).status).toBe(403);
    expect(
      (await rawGet(port, tokenPath.replace(/^\/[^/]+/, '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))).status,
    ).toBe(403);
    expect((await rawGet(port, tokenPath, { Host: `evil.example:${port}` })).status).toBe(403);
    expect((await rawGet(port, tokenPath)).status).toBe(200);
    expect((await rawGet(port, tokenPath, { Host: `localhost:${port}` })).status).toBe(200);
    // Only the two authorised requests reached the gateway's handler; the manifest is reused.
    expect(server.requests.filter((r) => r.path.includes('/hls'))).toHaveLength(1);
  });

  it('rewrites every segment and key URI to point back at itself and proxies them', async () => {
    const { gateway } = await startGateway();
    const url = gateway.urlFor({ trackId: 'h1', source: 'subscription', format: 'hls' });
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const manifest = await res.text();
    const base = url.replace(/index\.m3u8$/, '');
    const uris = [
      ...manifest.split('\n').filter((l) => l && !l.startsWith('#')),
      ...[...manifest.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]!),
    ];
    expect(uris).toHaveLength(4);
    for (const uri of uris) expect(uri.startsWith(base)).toBe(true);
    expect(manifest).not.toContain(server.url);
    expect(manifest).not.toContain('t=tok');
    const upstreamHls = server.requests.find((r) => r.path.includes('/streaming/subscription/h1/hls'));
    expect(upstreamHls?.path).toContain('clientId=gw-client');

    const segments = server.segmentsOf('h1');
    for (const [n, seg] of segments.entries()) {
      const got = Buffer.from(await (await fetch(`${base}seg/${n}`)).arrayBuffer());
      expect(got.equals(seg)).toBe(true);
    }
    const key = Buffer.from(await (await fetch(`${base}key/0`)).arrayBuffer());
    expect(key.equals(server.keyOf('h1'))).toBe(true);
  });

  it('re-fetches the manifest once when a segment URL has expired', async () => {
    let clock = 1_000_000;
    const { gateway, errors } = await startGateway({ now: () => clock });
    const url = gateway.urlFor({ trackId: 'x1', source: 'subscription', format: 'hls' });
    await (await fetch(url)).text();
    clock += 60_000;
    server.failWith(/^\/media\/x1\/seg\/0\.ts$/, 403, 2002, 'Media URL expired', 1);
    const seg = await fetch(url.replace(/index\.m3u8$/, 'seg/0'));
    expect(seg.status).toBe(200);
    expect(Buffer.from(await seg.arrayBuffer()).equals(server.segmentsOf('x1')[0]!)).toBe(true);
    expect(server.requests.filter((r) => r.path.includes('/streaming/subscription/x1/hls'))).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('does not take the stream back when a segment is refused because another device took over (3201)', async () => {
    let clock = 1_000_000;
    const { gateway, errors } = await startGateway({ now: () => clock });
    const url = gateway.urlFor({ trackId: 'x2', source: 'subscription', format: 'hls' });
    await (await fetch(url)).text();
    clock += 60_000;
    server.failWith(/^\/media\/x2\/seg\/0\.ts$/, 403, 3201, 'Simultaneous stream requests', 1);
    const seg = await fetch(url.replace(/index\.m3u8$/, 'seg/0'));
    expect(seg.status).toBe(403);
    // A new manifest request would be a new stream request, which the service lets win.
    expect(server.requests.filter((r) => r.path.includes('/streaming/subscription/x2/hls'))).toHaveLength(1);
    expect(errors.map((e) => e.error.code)).toEqual(['concurrent_stream']);
  });

  it('passes Range through for progressive audio', async () => {
    const { gateway } = await startGateway();
    const url = gateway.urlFor({ trackId: 'p1', source: 'catalogue', format: 'progressive' });
    const audio = server.audioOf('p1');
    const res = await fetch(url, { headers: { Range: 'bytes=1000-1999' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 1000-1999/${audio.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(audio.subarray(1000, 2000))).toBe(true);
    expect(server.requests.at(-1)?.range).toBe('bytes=1000-1999');
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(audio)).toBe(true);
    expect((await fetch(url, { headers: { Range: `bytes=${audio.length + 5}-` } })).status).toBe(416);
  });

  it('surfaces upstream errors as a JSON body and an event (3201: another device took over)', async () => {
    server.failWith(
      /\/streaming\/subscription\/busy\/hls$/,
      403,
      3201,
      'Concurrent streaming is not allowed',
    );
    const { gateway, errors } = await startGateway();
    const res = await fetch(gateway.urlFor({ trackId: 'busy', source: 'subscription', format: 'hls' }));
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; serviceCode: number } };
    expect(body.error).toMatchObject({ code: 'concurrent_stream', serviceCode: 3201 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.code).toBe('concurrent_stream');
    expect(errors[0]!.context).toMatchObject({ trackId: 'busy', source: 'subscription', from: 'upstream' });
  });

  it('serves the allowed origin with CORS headers, refuses any other origin even with the token, and answers preflights', async () => {
    const { gateway } = await startGateway();
    const url = gateway.urlFor({ trackId: 'c1', source: 'subscription', format: 'hls' });
    const allowed = await fetch(url, { headers: { Origin: appOrigin } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(appOrigin);
    const foreign = await fetch(url, { headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: appOrigin, 'Access-Control-Request-Headers': 'range' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Range');
  });

  it('prefetch warms the manifest, key and first segment so the next track starts from memory', async () => {
    const { gateway } = await startGateway();
    const request = { trackId: 'n1', source: 'subscription', format: 'hls' } as const;
    const url = await gateway.prefetch(request);
    expect(url).toBe(gateway.urlFor(request));
    const before = server.requests.length;
    const manifest = await (await fetch(url)).text();
    const seg0 = manifest.split('\n').find((l) => l.endsWith('/seg/0'))!;
    const key = /URI="([^"]+)"/.exec(manifest)![1]!;
    expect(Buffer.from(await (await fetch(seg0)).arrayBuffer()).equals(server.segmentsOf('n1')[0]!)).toBe(
      true,
    );
    expect(Buffer.from(await (await fetch(key)).arrayBuffer()).equals(server.keyOf('n1'))).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  describe('from the offline cache', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'septet-gw-cache-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves cached HLS and progressive (with Range) without touching the network', async () => {
      const upstream = createSignedUpstream({ baseUrl: server.url, userId: session.userId });
      const cache = createOfflineCacheService({
        dir,
        getMasterKey: () => Promise.resolve(masterKey),
        getSession: () => session,
        upstream,
        call: apiCallFromUpstream(upstream),
        chunkSize: 32 * 1024,
        refetchCorrupted: false,
      });
      closers.push(() => cache.close());
      await cache.makeAvailable(['oh'], { format: 'hls' });
      await cache.makeAvailable(['op'], { format: 'progressive' });
      const { gateway, errors } = await startGateway({ offlineCache: cache, isOnline: () => false });
      const before = server.requests.length;

      const url = gateway.urlFor({ trackId: 'oh', source: 'offline', format: 'hls' });
      const manifest = await (await fetch(url)).text();
      const segs = manifest.split('\n').filter((l) => l.startsWith('http'));
      expect(segs).toHaveLength(3);
      for (const [n, seg] of segs.entries()) {
        expect(seg).toBe(url.replace(/index\.m3u8$/, `seg/${n}`));
        expect(Buffer.from(await (await fetch(seg)).arrayBuffer()).equals(server.segmentsOf('oh')[n]!)).toBe(
          true,
        );
      }

      const audio = server.audioOf('op');
      const purl = gateway.urlFor({ trackId: 'op', source: 'subscription', format: 'progressive' });
      const ranged = await fetch(purl, { headers: { Range: 'bytes=40000-99999' } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes 40000-99999/${audio.length}`);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(audio.subarray(40000, 100000))).toBe(true);
      const suffix = await fetch(purl, { headers: { Range: 'bytes=-10' } });
      expect(Buffer.from(await suffix.arrayBuffer()).equals(audio.subarray(audio.length - 10))).toBe(true);
      expect(server.requests.length).toBe(before);

      // A tampered cached segment is never served: JSON error, an event, the entry marked bad.
      const file = cache.storedFileOf('oh')!;
      const bytes = readFileSync(file);
      bytes[bytes.length - 100]! ^= 0x01; // inside the last record (the manifest part)
      bytes[200]! ^= 0x01; // inside the first record (segment 0)
      writeFileSync(file, bytes);
      const bad = await fetch(segs[0]!);
      expect(bad.status).toBe(500);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('integrity');
      expect(errors.at(-1)).toMatchObject({
        error: { code: 'integrity' },
        context: { trackId: 'oh', from: 'cache' },
      });
      expect(cache.has('oh')).toBe(false);

      const missing = await fetch(gateway.urlFor({ trackId: 'nope', source: 'offline', format: 'hls' }));
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('offline');
    });
  });
});

const masterKey = randomBytes(32);

describe('parseRange', () => {
  it('handles the single-range forms', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 10 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 100 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 100 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 100 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=1-2,5-6', 100)).toBeNull();
  });
});
