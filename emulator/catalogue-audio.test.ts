// Every track of the catalogue plays, not only the demo artists': random tracks from the whole
// catalogue, streamed by the demo listener (3-legged OAuth, through the real emulator over HTTP)
// as HLS, progressive MP3 and a preview, and bought and downloaded as a purchase ZIP; each is
// decoded by ffmpeg and must be audio of the track's length, not silent, and unlike the others.
import { createDecipheriv, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { demoConsumer, demoListener } from '../shared/demo.js';
import { getCatalogue } from './catalogue.js';
import { decode, durationOf, rmsDb, type Pcm } from './media/testing/test-media.js';
import { startEmulator, type RunningEmulator } from './server.js';

type Token = { key: string; secret: string };

let emulator: RunningEmulator;
let workDir: string;
let listener: Token;
const oauth = new OAuth({
  consumer: { key: demoConsumer.key, secret: demoConsumer.secret },
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
});

/** A GET (or form POST) signed in the Authorization header, as the demo listener by default. */
function signed(method: 'GET' | 'POST', path: string, form?: Record<string, string>, token?: Token | null) {
  const url = `${emulator.url}${path}`;
  const auth = oauth.authorize(
    { url, method, ...(form ? { data: form } : {}) },
    token === null ? undefined : (token ?? listener),
  );
  return fetch(url, {
    method,
    headers: {
      ...oauth.toHeader(auth),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
}

async function ok(response: Response): Promise<Buffer> {
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.toString().slice(0, 300)}`);
  return body;
}

/** Random tracks from the whole catalogue: not the demo set, streamable in GB, at most 4 minutes. */
function randomTracks(count: number) {
  const catalogue = getCatalogue();
  const candidates = [...catalogue.tracks.values()].filter((t) => {
    const release = catalogue.releases.get(t.releaseId);
    return release && !release.demo && !release.unavailableIn.includes('GB') && t.durationSec <= 240;
  });
  const picked = new Set<(typeof candidates)[number]>();
  while (picked.size < count)
    picked.add(candidates[Math.floor(Math.random() * candidates.length)] as (typeof candidates)[number]);
  return [...picked];
}

/** Energy in a few frequency bands: a rough fingerprint of a piece of music. */
function fingerprint(pcm: Pcm): number[] {
  return [110, 220, 440, 880, 1760, 3520].map((freq) => {
    let re = 0;
    let im = 0;
    const from = Math.floor(pcm.left.length / 2);
    const n = Math.min(pcm.left.length - from, 4 * pcm.sampleRate);
    for (let i = from; i < from + n; i++) {
      const phase = (2 * Math.PI * freq * i) / pcm.sampleRate;
      re += (pcm.left[i] as number) * Math.cos(phase);
      im += (pcm.left[i] as number) * Math.sin(phase);
    }
    return 10 * Math.log10((re * re + im * im) / n + 1e-12);
  });
}

function expectAllDifferent(prints: number[][]) {
  for (let a = 0; a < prints.length; a++)
    for (let b = a + 1; b < prints.length; b++) {
      const distance = Math.max(
        ...(prints[a] as number[]).map((x, i) => Math.abs(x - ((prints[b] as number[])[i] as number))),
      );
      expect(distance).toBeGreaterThan(3);
    }
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'septet-catalogue-audio-'));
  // A fresh media cache: everything below is generated on demand during the test.
  emulator = await startEmulator({
    port: 0,
    dataDir: join(workDir, 'data'),
    mediaCacheDir: join(workDir, 'media'),
  });
  // The partner username/password exchange gives the demo listener's access token.
  const requestToken = new URLSearchParams(
    (await ok(await signed('POST', '/oauth/requesttoken', undefined, null))).toString(),
  );
  const token = {
    key: requestToken.get('oauth_token') ?? '',
    secret: requestToken.get('oauth_token_secret') ?? '',
  };
  const query = new URLSearchParams({
    username: demoListener.email,
    password: demoListener.password,
    token: token.key,
  });
  await ok(await signed('GET', `/oauth/requestToken/authorise?${query.toString()}`, undefined, null));
  const access = new URLSearchParams(
    (await ok(await signed('POST', '/oauth/accesstoken', undefined, token))).toString(),
  );
  listener = { key: access.get('oauth_token') ?? '', secret: access.get('oauth_token_secret') ?? '' };
});

afterAll(async () => {
  await emulator?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the whole catalogue plays', () => {
  const tracks = randomTracks(3);

  it(`streams random tracks as HLS: ${tracks.map((t) => t.id).join(', ')}`, async () => {
    const prints: number[][] = [];
    for (const track of tracks) {
      const manifest = (
        await ok(await signed('GET', `/streaming/subscription/${track.id}/hls?clientId=catalogue-test`))
      ).toString();
      const key = await ok(await fetch(/URI="([^"]+)"/.exec(manifest)?.[1] ?? ''));
      const segments = manifest.split('\n').filter((line) => line.startsWith('http'));
      const plain = await Promise.all(
        segments.map(async (uri, index) => {
          const iv = Buffer.alloc(16);
          iv.writeUInt32BE(index, 12);
          const decipher = createDecipheriv('aes-128-cbc', key, iv);
          return Buffer.concat([decipher.update(await ok(await fetch(uri))), decipher.final()]);
        }),
      );
      const pcm = await decode(Buffer.concat(plain));
      expect(Math.abs(durationOf(pcm) - track.durationSec)).toBeLessThan(0.1);
      expect(rmsDb(pcm)).toBeGreaterThan(-40);
      prints.push(fingerprint(pcm));
    }
    expectAllDifferent(prints);
  }, 120_000);

  it('streams them as progressive MP3 and previews', async () => {
    const prints: number[][] = [];
    for (const track of tracks) {
      const mp3 = await decode(
        await ok(
          await signed('GET', `/streaming/subscription/${track.id}/progressive?clientId=catalogue-test`),
        ),
      );
      expect(Math.abs(durationOf(mp3) - track.durationSec)).toBeLessThan(0.1);
      expect(rmsDb(mp3)).toBeGreaterThan(-40);
      prints.push(fingerprint(mp3));
      const preview = await decode(await ok(await signed('GET', `/streaming/preview/${track.id}`)));
      expect(Math.abs(durationOf(preview) - 30)).toBeLessThan(0.1);
      expect(rmsDb(preview)).toBeGreaterThan(-40);
    }
    expectAllDifferent(prints);
  }, 120_000);

  it('sells one and delivers it in the purchase ZIP as FLAC', async () => {
    const track = tracks[0] as (typeof tracks)[number];
    const receipt = (
      await ok(
        await signed(
          'POST',
          '/sales/credit-item',
          {
            userId: demoListener.userId,
            releaseId: track.releaseId,
            trackId: track.id,
            currency: 'USD',
            price: '0.99',
            transactionId: `catalogue-audio-${track.id}`,
          },
          null,
        ),
      )
    ).toString();
    const purchaseId = /<purchase id="(\d+)"/.exec(receipt)?.[1];
    expect(purchaseId).toBeDefined();
    const zip = await ok(
      await signed('GET', `/users/${demoListener.userId}/downloads/purchases/${purchaseId}`),
    );
    const entries = await unzip(zip);
    expect(entries.map((e) => e.name)).toEqual([expect.stringMatching(/\.flac$/)]);
    const pcm = await decode((entries[0] as { data: Buffer }).data, 44_100);
    expect(pcm.left.length).toBe(track.durationSec * 44_100);
    expect(rmsDb(pcm)).toBeGreaterThan(-40);
  }, 120_000);
});

function unzip(data: Buffer): Promise<{ name: string; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries: { name: string; data: Buffer }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
