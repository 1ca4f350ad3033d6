// Real files, real SQLite, real HTTP. The upstream here is a local media server started by the
// test (testing/local-media-server.ts), which can corrupt or cut its answers on purpose;
// media-gateway/emulator-integration.test.ts runs the same flow against the emulator.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { startLocalMediaServer, type LocalMediaServer } from '../media-gateway/testing/local-media-server.js';
import { createSignedUpstream } from '../media-gateway/testing/signed-upstream.js';
import { apiCallFromUpstream, type SessionInfo } from '../media-gateway/upstream.js';
import { headerBytes } from './chunked-cipher.js';
import {
  createOfflineCacheService,
  type OfflineCacheDeps,
  type OfflineCacheEvent,
} from './offline-cache-service.js';

let dir: string;
let server: LocalMediaServer;
let session: SessionInfo;
const masterKey = randomBytes(32);
const services: Array<{ close(): Promise<void> }> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'septet-offline-'));
  server = await startLocalMediaServer({ audioBytes: 600_000, segments: 3 });
  session = {
    userId: 'demo-listener',
    country: 'GB',
    clientId: 'client-test-1',
    subscriptionActive: true,
    subscriptionExpiresAt: new Date(Date.now() + 86400_000).toISOString(),
  };
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeService(extra: Partial<OfflineCacheDeps> = {}) {
  const events: OfflineCacheEvent[] = [];
  const service = createOfflineCacheService({
    dir,
    getMasterKey: () => Promise.resolve(masterKey),
    getSession: () => session,
    upstream: createSignedUpstream({ baseUrl: server.url, userId: session.userId }),
    call: apiCallFromUpstream(createSignedUpstream({ baseUrl: server.url, userId: session.userId })),
    chunkSize: 64 * 1024,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  services.push(service);
  return { service, events };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('offline cache service', () => {
  it('authorises the device, caches progressive audio encrypted, and serves ranges', async () => {
    const { service } = makeService();
    const progress: number[] = [];
    const results = await service.makeAvailable(['t1'], {
      format: 'progressive',
      onProgress: (p) => progress.push(p.bytes),
    });
    expect(results).toEqual([{ trackId: 't1', ok: true }]);
    const auth = server.requests.find((r) => r.method === 'POST');
    expect(auth?.path).toMatch(/^\/users\/demo-listener\/unlimitedStreaming\/offline/);
    expect(
      server.requests.some((r) =>
        r.path.includes('/streaming/subscription/t1/offline/progressive?clientId=client-test-1'),
      ),
    ).toBe(true);
    expect(progress.at(-1)).toBe(600_000);

    const audio = server.audioOf('t1');
    const stored = readFileSync(service.storedFileOf('t1')!);
    expect(stored.includes(audio.subarray(1000, 1064))).toBe(false); // encrypted at rest
    expect(service.usage()).toMatchObject({ count: 1, usedBytes: stored.length });

    const track = await service.openTrack('t1');
    expect(track.plainBytes).toBe(audio.length);
    expect((await collect(track.createReadStream())).equals(audio)).toBe(true);
    const [s, e] = [65_530, 200_001];
    expect((await collect(track.createReadStream({ start: s, end: e }))).equals(audio.subarray(s, e))).toBe(
      true,
    );
    await track.close();
    expect(service.list()[0]).toMatchObject({
      trackId: 't1',
      format: 'progressive',
      pinned: true,
      status: 'ok',
    });
    expect(service.list()[0]!.lastPlayed).not.toBeNull();
  });

  it('caches HLS: manifest, key and every segment, readable per segment', async () => {
    const { service } = makeService();
    expect(await service.makeAvailable(['h1'], { format: 'hls' })).toEqual([{ trackId: 'h1', ok: true }]);
    const track = await service.openTrack('h1');
    const manifest = (await track.manifest())!;
    expect(manifest).toContain('URI="key/0"');
    expect(manifest).toMatch(/^seg\/0$/m);
    expect(manifest).toMatch(/^seg\/2$/m);
    expect(manifest).not.toContain('127.0.0.1');
    const segments = server.segmentsOf('h1');
    for (const [n, seg] of segments.entries())
      expect((await track.readPart(`seg/${n}`)).data.equals(seg)).toBe(true);
    expect((await track.readPart('key/0')).data.equals(server.keyOf('h1'))).toBe(true);
    await track.close();
  });

  it('detects a tampered chunk, never plays it, marks the entry bad and re-fetches it', async () => {
    const { service, events } = makeService();
    await service.makeAvailable(['t2'], { format: 'progressive' });
    const file = service.storedFileOf('t2')!;
    const bytes = readFileSync(file);
    bytes[headerBytes + 64 * 1024 + 28 + 100]! ^= 0x80; // inside chunk 1
    writeFileSync(file, bytes);

    const track = await service.openTrack('t2');
    const got: Buffer[] = [];
    const error = await (async () => {
      for await (const part of track.createReadStream()) got.push(part as Buffer);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    await track.close();
    expect(isAppError(error) && error.code).toBe('integrity');
    expect(Buffer.concat(got).length).toBe(64 * 1024); // only the authenticated chunk 0
    expect(events.some((e) => e.type === 'corrupted' && e.trackId === 't2')).toBe(true);

    await service.close(); // waits for the background re-fetch
    const again = makeService().service;
    expect(again.has('t2')).toBe(true);
    expect(again.storedFileOf('t2')).not.toBe(file);
    const reopened = await again.openTrack('t2');
    expect((await collect(reopened.createReadStream())).equals(server.audioOf('t2'))).toBe(true);
    await reopened.close();
    expect((await again.verify()).bad).toEqual([]);
  });

  it('verify() finds corruption; a wrong master key is rejected without touching entries', async () => {
    const { service } = makeService({ refetchCorrupted: false });
    await service.makeAvailable(['a', 'b'], { format: 'progressive' });
    const file = service.storedFileOf('b')!;
    const bytes = readFileSync(file);
    bytes[bytes.length - 3]! ^= 1;
    writeFileSync(file, bytes);
    expect(await service.verify()).toEqual({ checked: 2, bad: ['b'] });
    expect(service.has('b')).toBe(false);
    await service.close();

    const wrong = makeService({ getMasterKey: () => Promise.resolve(randomBytes(32)) }).service;
    const error = await wrong.openTrack('a').catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('integrity');
    expect(wrong.has('a')).toBe(true); // a wrong key is not the entry's fault
    // Once the app knows the keychain's key was replaced, unreadable entries can be purged.
    expect((await wrong.purgeUnreadable()).sort()).toEqual(['a', 'b']);
    expect(wrong.list()).toEqual([]);
    expect(wrong.diskBytes()).toBe(0);
  });

  it('keeps the quota with LRU eviction of unpinned entries; pinned entries stay', async () => {
    // Each entry stores 600,000 bytes plus ~28 bytes per 64 KiB chunk and a header.
    let clock = Date.now();
    const { service, events } = makeService({ quotaBytes: 2_000_000, now: () => (clock += 1000) });
    await service.makeAvailable(['pinned'], { format: 'progressive', pin: true });
    await service.makeAvailable(['old'], { format: 'progressive', pin: false });
    await service.makeAvailable(['recent'], { format: 'progressive', pin: false });
    (await service.openTrack('old')).close().catch(() => undefined);
    // 'recent' was never played, 'old' was just played: 'recent' is the least recently used.
    await service.makeAvailable(['new'], { format: 'progressive', pin: false });
    const ids = service
      .list()
      .map((e) => e.trackId)
      .sort();
    expect(ids).toEqual(['new', 'old', 'pinned']);
    expect(events).toContainEqual({ type: 'evicted', trackId: 'recent' });
    expect(service.usage().usedBytes).toBeLessThanOrEqual(2_000_000);
    expect(service.diskBytes()).toBe(service.usage().usedBytes);

    // Pinned entries are never evicted: when only pinned data remains the request fails clearly.
    await service.makeAvailable(['p2', 'p3'], { format: 'progressive', pin: true });
    // Everything left is pinned: the request fails and nothing is touched.
    const before = service.list().map((e) => e.trackId);
    const full = await service.makeAvailable(['p4'], { format: 'progressive', pin: true });
    expect(full[0]).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
    expect(service.list().map((e) => e.trackId)).toEqual(before); // nothing evicted in vain
    expect(
      service
        .list()
        .filter((e) => e.pinned)
        .map((e) => e.trackId)
        .sort(),
    ).toEqual(['p2', 'p3', 'pinned']);
  });

  it('an interrupted fetch leaves no visible entry and no stray file after restart', async () => {
    server.dropBody(/\/offline\/progressive$/, 200_000);
    const { service } = makeService();
    const [result] = await service.makeAvailable(['crash'], { format: 'progressive' });
    expect(result).toMatchObject({ ok: false, error: { code: 'network' } });
    expect(service.has('crash')).toBe(false);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    await service.close();

    // Simulate a kill between temp write and rename: a stray temp file and an unindexed file.
    writeFileSync(join(dir, 'tmp', 'deadbeef.part'), 'partial');
    writeFileSync(join(dir, 'files', 'cafebabe.sptc'), 'unindexed');
    const restarted = makeService().service;
    expect(restarted.list()).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'files'))).toEqual([]);
  });

  it('stops playing when the subscription lapses, and offline judges by the last known expiry', async () => {
    const { service } = makeService();
    await service.makeAvailable(['s1'], { format: 'progressive' });
    session = { ...session, subscriptionActive: false };
    const lapsed = await service.openTrack('s1').catch((e: unknown) => e);
    expect(isAppError(lapsed) && lapsed.code).toBe('not_available');
    // Offline (status unknown): the last record said lapsed, so still refused.
    session = { ...session, subscriptionActive: null };
    expect(
      await service.openTrack('s1').then(
        () => 'played',
        () => 'refused',
      ),
    ).toBe('refused');
    // Renewed online, then offline again before the recorded expiry: plays.
    session = {
      ...session,
      subscriptionActive: true,
      subscriptionExpiresAt: new Date(Date.now() + 3600_000).toISOString(),
    };
    await (await service.openTrack('s1')).close();
    session = { ...session, subscriptionActive: null };
    await (await service.openTrack('s1')).close();
    // Offline past the recorded expiry: refused.
    const later = makeService({ now: () => Date.now() + 2 * 3600_000 }).service;
    expect(
      await later.openTrack('s1').then(
        () => 'played',
        () => 'refused',
      ),
    ).toBe('refused');
  });

  it('authorises the device again when the offline endpoint says it is not (2002)', async () => {
    const { service } = makeService();
    await service.makeAvailable(['r1'], { format: 'progressive' });
    server.failWith(
      /\/offline\/progressive$/,
      403,
      2002,
      'Offline streaming requires an authorised device',
      1,
    );
    expect(await service.makeAvailable(['r2'], { format: 'progressive' })).toEqual([
      { trackId: 'r2', ok: true },
    ]);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('surfaces the service error when the device cannot be authorised', async () => {
    server.failWith(
      /unlimitedStreaming\/offline$/,
      400,
      1003,
      'Maximum number of offline devices registered',
    );
    const { service } = makeService();
    const results = await service.makeAvailable(['x', 'y'], { format: 'progressive' });
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]).toMatchObject({ error: { code: 'limit_reached', serviceCode: 1003 } });
    expect(service.list()).toEqual([]);
  });
});
