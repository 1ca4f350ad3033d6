import { spawn } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaLibrary, TrackDescriptor } from './generate.js';
import { ensureMediaLibrary, mediaCacheKey } from './generate.js';
import { probe, testCacheDir, testTracks } from './fixtures/test-media.js';

let library: MediaLibrary;
const scratch = mkdtempSync(join(tmpdir(), 'septet-media-gen-'));

beforeAll(async () => {
  library = await ensureMediaLibrary({ tracks: testTracks, cacheDir: testCacheDir });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function decryptSegment(key: Buffer, sequence: number, data: Buffer): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(sequence, 12);
  const decipher = createDecipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

describe('generated HLS', () => {
  it('is a VOD playlist of ~6 s AES-128 segments that decrypt to AAC-LC transport streams', async () => {
    const track = testTracks[1] as TrackDescriptor;
    const manifest = library.renderHlsManifest(track.trackId, {
      keyUri: 'https://emulator.test/key',
      segmentUri: (name) => `https://emulator.test/seg/${name}`,
    });
    expect(manifest).toBeDefined();
    const lines = (manifest as string).split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    expect(lines).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(lines).toContain('#EXT-X-ENDLIST');
    expect(lines).toContain('#EXT-X-TARGETDURATION:6');
    expect(lines.find((l) => l.startsWith('#EXT-X-KEY:'))).toBe(
      '#EXT-X-KEY:METHOD=AES-128,URI="https://emulator.test/key"',
    );
    const durations = lines.filter((l) => l.startsWith('#EXTINF:')).map((l) => Number.parseFloat(l.slice(8)));
    const uris = lines.filter((l) => l.startsWith('https://emulator.test/seg/'));
    expect(uris.length).toBe(durations.length);
    for (const d of durations) expect(d).toBeLessThanOrEqual(6.5);
    expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(track.durationSec, 0);

    const key = library.hlsKey(track.trackId) as Buffer;
    expect(key.length).toBe(16);
    const plain: Buffer[] = [];
    uris.forEach((uri, sequence) => {
      const path = library.hlsSegmentPath(track.trackId, uri.split('/').pop() as string) as string;
      const encrypted = readFileSync(path);
      expect(encrypted[0]).not.toBe(0x47); // really encrypted
      const ts = decryptSegment(key, sequence, encrypted);
      expect(ts.length % 188).toBe(0);
      for (let offset = 0; offset < ts.length; offset += 188) expect(ts[offset]).toBe(0x47);
      plain.push(ts);
    });
    const joined = join(scratch, 'joined.ts');
    writeFileSync(joined, Buffer.concat(plain));
    const info = await probe(joined);
    expect(info.audio).toMatch(/^aac \(LC\)/);
    expect(info.durationSec).toBeGreaterThan(track.durationSec - 1);
  });
});

describe('generated files', () => {
  it('has 30-second preview clips in MP3 and AAC', async () => {
    for (const track of testTracks) {
      const mp3 = await probe(library.previewPath(track.trackId, 'mp3') as string);
      expect(mp3.audio).toMatch(/^mp3/);
      expect(mp3.durationSec).toBeGreaterThan(29.8);
      expect(mp3.durationSec).toBeLessThan(30.3);
      const aac = await probe(library.previewPath(track.trackId, 'aac') as string);
      expect(aac.audio).toMatch(/^aac/);
    }
  });

  it('has full-length progressive MP3/AAC and FLAC + MP3-320 downloads', async () => {
    const track = testTracks[2] as TrackDescriptor;
    const flac = await probe(library.downloadPath(track.trackId, 'flac') as string);
    expect(flac.audio).toMatch(/^flac, 44100 Hz, stereo/);
    expect(flac.durationSec).toBeCloseTo(track.durationSec, 1);
    const mp3 = await probe(library.downloadPath(track.trackId, 'mp3') as string);
    expect(mp3.audio).toMatch(/^mp3/);
    expect(mp3.bitrateKbps).toBe(320);
    expect((await probe(library.progressivePath(track.trackId, 'mp3') as string)).durationSec).toBeCloseTo(
      track.durationSec,
      0,
    );
    expect((await probe(library.progressivePath(track.trackId, 'aac') as string)).audio).toMatch(
      /^aac \(LC\)/,
    );
    expect(library.durationSec(track.trackId)).toBe(track.durationSec);
  });

  it('gives every track its own music', () => {
    const middles = testTracks.map((t) => {
      const bytes = readFileSync(library.downloadPath(t.trackId, 'flac') as string);
      return bytes.subarray(bytes.length / 2, bytes.length / 2 + 4096).toString('hex');
    });
    expect(new Set(middles).size).toBe(testTracks.length);
  });

  it('knows which tracks have audio', () => {
    expect(library.hasAudio('tt-1')).toBe(true);
    expect(library.hasAudio('no-such-track')).toBe(false);
    expect(library.progressivePath('no-such-track', 'mp3')).toBeUndefined();
    expect(library.renderHlsManifest('no-such-track', { keyUri: 'k', segmentUri: (n) => n })).toBeUndefined();
  });
});

describe('media cache', () => {
  const oneTrack: TrackDescriptor[] = [
    {
      trackId: 'cache-1',
      releaseId: 'cr',
      title: 'Cached',
      trackNumber: 1,
      durationSec: 12,
      artistName: 'A',
      releaseTitle: 'R',
    },
  ];

  it('is keyed by the descriptors and reused without regenerating', async () => {
    const cacheDir = join(scratch, 'reuse');
    const firstLog: string[] = [];
    const first = await ensureMediaLibrary({ tracks: oneTrack, cacheDir, log: (l) => firstLog.push(l) });
    expect(firstLog).toContain('generating media 1/1');
    expect(first.dir).toBe(join(cacheDir, mediaCacheKey(oneTrack)));
    const mtime = statSync(first.downloadPath('cache-1', 'flac') as string).mtimeMs;

    const secondLog: string[] = [];
    const second = await ensureMediaLibrary({ tracks: oneTrack, cacheDir, log: (l) => secondLog.push(l) });
    expect(secondLog).toEqual([]);
    expect(second.dir).toBe(first.dir);
    expect(statSync(second.downloadPath('cache-1', 'flac') as string).mtimeMs).toBe(mtime);
    expect(second.hlsKey('cache-1')?.equals(first.hlsKey('cache-1') as Buffer)).toBe(true);

    // Different descriptors → a different library, the first one untouched.
    expect(mediaCacheKey([{ ...oneTrack[0], title: 'Renamed' } as TrackDescriptor])).not.toBe(
      mediaCacheKey(oneTrack),
    );
  });

  it('survives two processes generating the same library at once', async () => {
    const cacheDir = join(scratch, 'concurrent');
    const tracks: TrackDescriptor[] = [
      {
        trackId: 'cc-1',
        releaseId: 'cr',
        title: 'One',
        trackNumber: 1,
        durationSec: 10,
        artistName: 'A',
        releaseTitle: 'R',
      },
      {
        trackId: 'cc-2',
        releaseId: 'cr',
        title: 'Two',
        trackNumber: 2,
        durationSec: 11,
        artistName: 'A',
        releaseTitle: 'R',
      },
    ];
    const run = () =>
      new Promise<{ dir: string; lines: string[]; trackIds: string[] }>((resolve, reject) => {
        const child = spawn(
          join(process.cwd(), 'node_modules/.bin/tsx'),
          [join(import.meta.dirname, 'fixtures/generate-child.ts'), cacheDir, JSON.stringify(tracks)],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.on('error', reject);
        child.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`)),
        );
      });
    // Left behind by a generator that was killed mid-way: cleaned up by the next one.
    mkdirSync(join(cacheDir, `.tmp-${mediaCacheKey(tracks)}-999999-dead`, 't0000'), { recursive: true });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.dir).toBe(b.dir);
    expect(a.trackIds.sort()).toEqual(['cc-1', 'cc-2']);
    expect(b.trackIds.sort()).toEqual(['cc-1', 'cc-2']);
    // Exactly one of them generated; the other waited (or found it done) and reused it.
    const generated = [a, b].filter((r) => r.lines.includes('generating media 2/2'));
    expect(generated.length).toBe(1);
    // No temp dirs or locks left, and the library is complete and readable.
    expect(readdirSync(cacheDir).sort()).toEqual([mediaCacheKey(tracks)]);
    const library2 = await ensureMediaLibrary({ tracks, cacheDir });
    for (const id of ['cc-1', 'cc-2']) {
      expect((await probe(library2.downloadPath(id, 'flac') as string)).durationSec).toBeGreaterThan(9.5);
    }
  });
});
