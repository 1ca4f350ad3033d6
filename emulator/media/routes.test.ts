// Route-level tests over real HTTP and real generated media. The server is a tiny stand-in for the
// core's (testing/test-server.ts: no OAuth, userId from the query) and the emulator state is a
// fake deps object; the core's contract suite runs these routes end-to-end.
import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { MediaRouteDeps, MediaTrackInfo } from './route-deps.js';
import { registerMediaRoutesWithDeps as registerMediaRoutes } from './routes.js';
import { createTestMedia, testTracks, type TestMedia } from './testing/test-media.js';
import type { TestServer } from './testing/test-server.js';
import { startTestServer } from './testing/test-server.js';

let media: TestMedia;
let server: TestServer;
const clockStart = Date.parse('2026-06-01T12:00:00Z');
let clockMs = clockStart;
const advance = (sec: number) => {
  clockMs += sec * 1000;
};

const tracks = new Map<string, MediaTrackInfo>(
  testTracks
    .map((t) => ({ trackId: t.trackId, releaseId: t.releaseId, title: t.title, trackNumber: t.trackNumber }))
    .map((t) => [t.trackId, t]),
);

function fakeDeps(test: TestMedia, baseUrl: () => string): MediaRouteDeps {
  return {
    media: test.engine,
    cache: test.cache,
    baseUrl,
    now: () => new Date(clockMs),
    config: { mediaTransferRequestsPerSec: 5 },
    getTrack: (id) => tracks.get(id),
    releaseTrackIds: (id) => {
      const ids = [...tracks.values()].filter((t) => t.releaseId === id).map((t) => t.trackId);
      return ids.length ? ids : undefined;
    },
    isTrackAvailableInCountry: (id, country) => !(id === 'tt-3' && country === 'US'),
    userCountry: () => 'GB',
    hasActiveSubscription: (userId, at) => userId === 'sub' && at.getTime() < clockStart + 24 * 3600_000,
    isTrackInLocker: (userId, id) => userId === 'sub' && (id === 'tt-1' || id === 'tt-2'),
    isReleaseInLocker: (userId, id) => userId === 'sub' && id === 'tr-1',
    getPurchase: (userId, id) =>
      userId === 'sub' && id === 'p-1' ? { trackIds: ['tt-1', 'tt-2', 'tt-3'] } : undefined,
    isDeviceAuthorised: (userId, deviceId) => userId === 'sub' && deviceId === 'dev-ok',
  };
}

beforeAll(async () => {
  media = createTestMedia();
  server = await startTestServer((router, baseUrl) => registerMediaRoutes(router, fakeDeps(media, baseUrl)));
});
afterAll(async () => {
  await server.close();
  await media.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });
async function expectError(response: Response, status: number, code: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { status: string; error: { code: number } };
  expect(body.status).toBe('error');
  expect(body.error.code).toBe(code);
}
async function manifest(path: string) {
  const response = await get(path);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
  const text = await response.text();
  const lines = text.split('\n');
  const keyUri = /URI="([^"]+)"/.exec(lines.find((l) => l.startsWith('#EXT-X-KEY')) ?? '')?.[1] ?? '';
  const segments = lines.filter((l) => l.startsWith('http'));
  return { text, keyUri, segments };
}

describe('subscription HLS', () => {
  it('serves a manifest whose absolute, tokenised key and segment URIs play', async () => {
    const m = await manifest('/streaming/subscription/tt-1/hls?userId=sub&clientId=dev-a');
    expect(m.text.startsWith('#EXTM3U\n')).toBe(true);
    expect(m.keyUri.startsWith(`${server.url}/_media/hls/`)).toBe(true);
    expect(m.segments.length).toBeGreaterThan(4);
    for (const uri of m.segments)
      expect(uri).toMatch(new RegExp(`^${server.url}/_media/hls/[A-Za-z0-9_-]{20,}/tt-1/seg-\\d{3}\\.ts$`));
    const key = Buffer.from(await (await fetch(m.keyUri)).arrayBuffer());
    expect(key.length).toBe(16);
    const segment = await fetch(m.segments[1] as string);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(1, 12);
    const decipher = createDecipheriv('aes-128-cbc', key, iv);
    const ts = Buffer.concat([decipher.update(Buffer.from(await segment.arrayBuffer())), decipher.final()]);
    expect(ts[0]).toBe(0x47);
    expect(ts[188]).toBe(0x47);
  });

  it('needs an active subscription (2002) and the track available in the country (2001)', async () => {
    await expectError(await get('/streaming/subscription/tt-1/hls?userId=nosub'), 403, 2002);
    await expectError(await get('/streaming/subscription/tt-1/progressive?userId=nosub'), 403, 2002);
    await expectError(await get('/streaming/subscription/tt-3/hls?userId=sub&country=US'), 404, 2001);
    await expectError(await get('/streaming/subscription/nope/hls?userId=sub'), 404, 2001);
  });

  it('lets the newest stream request win at once; only the displaced device continuing gets 3201', async () => {
    const a = await manifest('/streaming/subscription/tt-2/hls?userId=sub&clientId=dev-a');
    expect((await fetch(a.segments[0] as string)).status).toBe(200);
    const b = await manifest('/streaming/subscription/tt-2/hls?userId=sub&clientId=dev-b');
    // Device A continuing its stream: segments, keys and progressive Range requests further in.
    await expectError(await fetch(a.segments[1] as string), 403, 3201);
    await expectError(await fetch(a.keyUri), 403, 3201);
    await expectError(
      await get('/streaming/subscription/tt-2/progressive?userId=sub&clientId=dev-a', {
        range: 'bytes=4096-',
      }),
      403,
      3201,
    );
    expect((await fetch(b.segments[1] as string)).status).toBe(200);
    // Without clientId there is no enforcement.
    expect((await get('/streaming/subscription/tt-2/hls?userId=sub')).status).toBe(200);

    // "Play here" on device A: its new request wins at once (no waiting out a window) …
    const a2 = await manifest('/streaming/subscription/tt-2/hls?userId=sub&clientId=dev-a');
    expect((await fetch(a2.segments[0] as string)).status).toBe(200);
    // … and now B is the displaced one, until it asks again (a progressive stream from byte 0).
    await expectError(await fetch(b.segments[2] as string), 403, 3201);
    const fromStart = await get('/streaming/subscription/tt-2/progressive?userId=sub&clientId=dev-b', {
      range: 'bytes=0-',
    });
    expect(fromStart.status).toBe(206);
    await fromStart.body?.cancel();
    await expectError(await fetch(a2.segments[1] as string), 403, 3201);
  });

  it('expires segment and key URIs after the TTL (403) and rejects unknown tokens', async () => {
    const m = await manifest('/streaming/subscription/tt-1/hls?userId=sub&clientId=dev-ttl');
    expect((await fetch(m.segments[0] as string)).status).toBe(200);
    advance(601);
    await expectError(await fetch(m.segments[0] as string), 403, 2002);
    await expectError(await fetch(m.keyUri), 403, 2002);
    await expectError(await get('/_media/hls/forged-token-forged-token/tt-1/seg-000.ts'), 403, 2002);
    advance(-601);
  });
});

describe('offline, catalogue, locker and preview streams', () => {
  it('offline streams need a clientId (1001) of an authorised device (2002)', async () => {
    await expectError(await get('/streaming/subscription/tt-1/offline/hls?userId=sub'), 400, 1001);
    await expectError(await get('/streaming/subscription/tt-1/offline/progressive?userId=sub'), 400, 1001);
    await expectError(
      await get('/streaming/subscription/tt-1/offline/hls?userId=sub&clientId=dev-x'),
      403,
      2002,
    );
    await expectError(
      await get('/streaming/subscription/tt-1/offline/progressive?userId=nosub&clientId=dev-ok'),
      403,
      2002,
    );
    await manifest('/streaming/subscription/tt-1/offline/hls?userId=sub&clientId=dev-ok');
    const progressive = await get(
      '/streaming/subscription/tt-1/offline/progressive?userId=sub&clientId=dev-ok',
    );
    expect(progressive.status).toBe(200);
    expect(progressive.headers.get('content-type')).toBe('audio/mpeg');
  });

  it('locker streams need the track in the locker (2001)', async () => {
    await expectError(await get('/streaming/locker/tt-3/hls?userId=sub'), 404, 2001);
    await manifest('/streaming/locker/tt-1/hls?userId=sub');
  });

  it('catalogue streams need no subscription', async () => {
    await manifest('/streaming/catalogue/tt-3/hls?userId=nosub');
    await expectError(await get('/streaming/catalogue/tt-3/hls?userId=nosub&country=US'), 404, 2001);
  });

  it('serves preview clips as MP3 or AAC', async () => {
    const mp3 = await get('/streaming/preview/tt-1');
    expect(mp3.status).toBe(200);
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    expect(Number(mp3.headers.get('content-length'))).toBe(media.engine.preview('tt-1', 'mp3')?.size);
    expect(Buffer.from(await mp3.arrayBuffer()).length).toBe(media.engine.preview('tt-1', 'mp3')?.size);
    const aac = await get('/streaming/preview/tt-1?format=aac');
    expect(aac.headers.get('content-type')).toBe('audio/aac');
    await expectError(await get('/streaming/preview/tt-1?format=ogg'), 400, 1002);
  });
});

describe('progressive Range requests', () => {
  const path = '/streaming/subscription/tt-1/progressive?userId=sub';
  it('serves the whole file with Accept-Ranges, or 206 with Content-Range for a range', async () => {
    const size = media.engine.progressive('tt-1', 'mp3')?.size ?? 0;
    const whole = await get(path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(whole.headers.get('content-length'))).toBe(size);
    const full = Buffer.from(await whole.arrayBuffer());
    expect(full.length).toBe(size);

    const part = await get(path, { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect(Number(part.headers.get('content-length'))).toBe(100);
    expect(Buffer.from(await part.arrayBuffer()).equals(full.subarray(100, 200))).toBe(true);

    const tail = await get(path, { Range: 'bytes=-50' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(full.subarray(size - 50))).toBe(true);
    const open = await get(path, { Range: `bytes=${size - 10}-` });
    expect(open.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    await open.arrayBuffer();

    const bad = await get(path, { Range: `bytes=${size}-` });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${size}`);
    expect((await get(path, { Range: 'bytes=20-10' })).status).toBe(416);

    const aac = await get(`${path}&format=aac`, { Range: 'bytes=0-1' });
    expect(aac.status).toBe(206);
    expect(aac.headers.get('content-type')).toBe('audio/aac');
    expect([...Buffer.from(await aac.arrayBuffer())]).toEqual([0xff, 0xf1]); // ADTS sync word
  });

  it('answers the same bytes with the same ETag, and 304 to If-None-Match', async () => {
    const first = await get(path, { Range: 'bytes=0-999' });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"g\d+-[0-9a-f]{20}"$/);
    const again = await get(path, { Range: 'bytes=0-999' });
    expect(again.headers.get('etag')).toBe(etag);
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(await first.arrayBuffer()))).toBe(true);
    const cached = await get(path, { 'If-None-Match': etag });
    expect(cached.status).toBe(304);
  });
});

function zipEntries(data: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('downloads', () => {
  it('downloads a purchased track as MP3-320 or FLAC with Content-Disposition', async () => {
    const mp3 = await get('/users/sub/downloads/tracks/tt-1');
    expect(mp3.status).toBe(200);
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    expect(mp3.headers.get('content-disposition')).toBe('attachment; filename="tt-1.mp3"');
    await mp3.arrayBuffer();
    const flac = await get('/users/sub/downloads/tracks/tt-1?format=flac');
    expect(flac.headers.get('content-type')).toBe('audio/flac');
    expect(flac.headers.get('content-disposition')).toBe('attachment; filename="tt-1.flac"');
    expect(
      Buffer.from(await flac.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('fLaC');
    await expectError(await get('/users/sub/downloads/tracks/tt-3'), 404, 2001);
  });

  it('downloads a purchased release as a ZIP of `NN - Title.ext` entries', async () => {
    const response = await get('/users/sub/downloads/releases/tr-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="tr-1.zip"');
    const data = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(data.length);
    expect(await zipEntries(data)).toEqual(['01 - Opening_ Light_Dark.mp3', '02 - Second Song.mp3']);
    // Cached and resumable.
    const resumed = await get('/users/sub/downloads/releases/tr-1', { Range: `bytes=${data.length - 100}-` });
    expect(resumed.status).toBe(206);
    expect(Buffer.from(await resumed.arrayBuffer()).equals(data.subarray(data.length - 100))).toBe(true);
    await expectError(await get('/users/sub/downloads/releases/tr-2'), 404, 2001);
    await expectError(await get('/users/sub/downloads/releases/unknown'), 404, 2001);
  });

  it('downloads a purchase as a ZIP in the highest quality (FLAC)', async () => {
    const response = await get('/users/sub/downloads/purchases/p-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="p-1.zip"');
    expect(await zipEntries(Buffer.from(await response.arrayBuffer()))).toEqual([
      '01 - Opening_ Light_Dark.flac',
      '02 - Second Song.flac',
      '01 - Single.flac',
    ]);
    await expectError(await get('/users/sub/downloads/purchases/p-2'), 404, 2001);
    await expectError(await get('/users/other/downloads/purchases/p-1'), 404, 2001);
  });
});

describe('media transfer', () => {
  it('validates format and bitrate combinations (1002) and serves the file', async () => {
    await expectError(await get('/content-delivery/media-transfer?consumerKey=v'), 400, 1001);
    await expectError(
      await get('/content-delivery/media-transfer?trackId=tt-1&format=flac&bitrate=320&consumerKey=v'),
      400,
      1002,
    );
    await expectError(
      await get('/content-delivery/media-transfer?trackId=tt-1&format=mp3&bitrate=1411&consumerKey=v2'),
      400,
      1002,
    );
    await expectError(
      await get('/content-delivery/media-transfer?trackId=tt-1&format=aac&bitrate=1411&consumerKey=v3'),
      400,
      1002,
    );
    await expectError(
      await get('/content-delivery/media-transfer?trackId=tt-1&format=wav&consumerKey=v4'),
      400,
      1002,
    );
    const flac = await get(
      '/content-delivery/media-transfer?trackId=tt-1&format=flac&bitrate=1411&consumerKey=v5',
    );
    expect(flac.status).toBe(200);
    expect(flac.headers.get('content-type')).toBe('audio/flac');
    await flac.arrayBuffer();
  });

  it('limits requests per second per key (429 + Retry-After)', async () => {
    // The fake clock does not move here, so all requests fall into the same second.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await get(
        '/content-delivery/media-transfer?trackId=tt-2&format=mp3&bitrate=128&consumerKey=burst',
      );
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('1');
        await expectError(response, 429, 1003);
      } else await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    advance(1);
    const after = await get('/content-delivery/media-transfer?trackId=tt-2&consumerKey=burst');
    expect(after.status).toBe(200);
    await after.arrayBuffer();
  });
});
