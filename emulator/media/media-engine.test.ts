// The media engine against real workers, a real ffmpeg and a real cache dir: every unit decodes,
// units join up without a gap or a click, positions are known before the bytes exist, the same
// request always gives the same bytes, gapless tracks are one signal, loudness is as declared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitAdts } from './codecs.js';
import { aacLayout, hlsSegments, mp3Layout, streamSampleRate } from './layout.js';
import { segmentName } from './media-engine.js';
import { toPcm16 } from './synth.js';
import {
  createTestMedia,
  decode,
  durationOf,
  ffmpegLoudness,
  readAll,
  rmsDb,
  testTracks,
  type Pcm,
  type TestMedia,
} from './testing/test-media.js';
import { previewSource, trackLoudnessLufs, trackSource, type AudioTrackInfo } from './track-audio.js';

let media: TestMedia;
beforeAll(() => {
  media = createTestMedia();
});
afterAll(() => media.close());

const track = (id: string) => testTracks.find((t) => t.trackId === id) as AudioTrackInfo;

async function allSegments(trackId: string): Promise<Buffer> {
  const segments = media.engine.hlsSegments(trackId) ?? [];
  const parts = await Promise.all(segments.map((s) => media.engine.hlsSegment(trackId, s.index)));
  return Buffer.concat(parts);
}

/** The source's own samples, as the decoder should give them back (after the codec's delay). */
function sourcePcm(info: AudioTrackInfo, delaySamples: number, kind: 'track' | 'preview' = 'track'): Pcm {
  const source = kind === 'track' ? trackSource(info) : previewSource(info);
  const count = Math.round(source.durationSec * streamSampleRate);
  const rendered = source.render(-delaySamples, count + delaySamples, streamSampleRate);
  return { ...rendered, sampleRate: streamSampleRate };
}

/**
 * The worst signal-to-error ratio (dB) of decoded audio against its source in the 2048 samples
 * around each of the given times: a gap, a click or a mismatched encoder state at a unit
 * boundary drops it from ~50 dB to ~15 dB (the test tracks' boundaries fall in tonal passages,
 * where AAC's noise substitution does not change the waveform).
 */
function worstSnrAround(decoded: Pcm, source: Pcm, times: number[]): number {
  let worst = Number.POSITIVE_INFINITY;
  for (const t of times) {
    const from = Math.round(t * decoded.sampleRate) - 1024;
    let signal = 0;
    let error = 0;
    for (let i = Math.max(0, from); i < from + 2048 && i < decoded.left.length; i++) {
      signal += (source.left[i] as number) ** 2;
      error += ((decoded.left[i] as number) - (source.left[i] as number)) ** 2;
    }
    worst = Math.min(worst, 10 * Math.log10(signal / (error + 1e-12)));
  }
  return worst;
}

describe('HLS', () => {
  it('lays out segments whose durations add up to the track: a short first one, then ~6 s', () => {
    const segments = hlsSegments(181);
    expect(segments[0]?.durationSec).toBeCloseTo(2.005, 3);
    expect(segments[1]?.durationSec).toBeCloseTo(4.011, 3);
    expect(segments[2]?.durationSec).toBeCloseTo(6.016, 3);
    expect(segments.reduce((sum, s) => sum + s.durationSec, 0)).toBeCloseTo(181, 9);
    for (const s of segments) expect(s.durationSec).toBeLessThanOrEqual(6.5);
  });

  it('renders a VOD playlist with one key and every segment', () => {
    const manifest = media.engine.renderHlsManifest(
      'tt-1',
      { keyUri: 'https://e.test/key', segmentUri: (name) => `https://e.test/${name}` },
      true,
    ) as string;
    const lines = manifest.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:6',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:VOD',
    ]);
    expect(lines.filter((l) => l.startsWith('#EXT-X-KEY'))).toEqual([
      '#EXT-X-KEY:METHOD=AES-128,URI="https://e.test/key"',
    ]);
    const durations = lines.filter((l) => l.startsWith('#EXTINF:')).map((l) => Number.parseFloat(l.slice(8)));
    expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(31, 4);
    expect(lines.filter((l) => l.startsWith('https://e.test/seg-'))).toEqual(
      durations.map((_d, i) => `https://e.test/${segmentName(i)}`),
    );
    expect(lines.at(-2)).toBe('#EXT-X-ENDLIST');
  });

  it('segments are MPEG-TS that decode, joined, to the track with no gap or click at their edges', async () => {
    const info = track('tt-1');
    const ts = await allSegments('tt-1');
    expect(ts.length % 188).toBe(0);
    for (let offset = 0; offset < ts.length; offset += 188) expect(ts[offset]).toBe(0x47);
    const decoded = await decode(ts);
    // One priming frame (1024 samples) before the track, at most one frame of padding after it.
    expect(durationOf(decoded)).toBeGreaterThanOrEqual(31 + 1024 / 48000);
    expect(durationOf(decoded)).toBeLessThan(31 + 3 * (1024 / 48000));
    expect(rmsDb(decoded)).toBeGreaterThan(-40);
    const boundaries: number[] = [];
    let at = 0;
    for (const s of media.engine.hlsSegments('tt-1') ?? [])
      boundaries.push((at += s.frameCount * 1024) / 48000);
    expect(worstSnrAround(decoded, sourcePcm(info, 1024), boundaries.slice(0, -1))).toBeGreaterThan(30);
  });

  it('gives the same bytes for the same segment every time, from a fresh cache too', async () => {
    const first = await media.engine.hlsSegment('tt-2', 1);
    const again = await media.engine.hlsSegment('tt-2', 1);
    const other = createTestMedia();
    try {
      expect((await other.engine.hlsSegment('tt-2', 1)).equals(first)).toBe(true);
    } finally {
      await other.close();
    }
    expect(again.equals(first)).toBe(true);
  });

  it('generates a unit once however many ask for it at the same time', async () => {
    const before = media.jobs.length;
    const results = await Promise.all(Array.from({ length: 6 }, () => media.engine.hlsSegment('tt-3', 2)));
    expect(media.jobs.length - before).toBe(1);
    for (const r of results) expect(r.equals(results[0] as Buffer)).toBe(true);
  });
});

describe('progressive', () => {
  it('MP3 is CBR with a size known in advance; every Range slice matches the whole file', async () => {
    const file = media.engine.progressive('tt-2', 'mp3');
    if (!file) throw new Error('no file');
    expect(file.size).toBe(mp3Layout(23, 128).size);
    // A range near the end first, while nothing of the track exists yet.
    const tail = await readAll(file.read(file.size - 5000, file.size - 1));
    const whole = await readAll(file.read(0, file.size - 1));
    expect(whole.length).toBe(file.size);
    expect(whole.subarray(file.size - 5000).equals(tail)).toBe(true);
    expect((await readAll(file.read(123_456, 234_567))).equals(whole.subarray(123_456, 234_568))).toBe(true);
    const decoded = await decode(whole);
    expect(Math.abs(durationOf(decoded) - 23)).toBeLessThan(0.06);
    const boundaries = mp3Layout(23, 128)
      .units.slice(1)
      .map((u) => (u.firstFrame * 1152) / 48000);
    expect(worstSnrAround(decoded, sourcePcm(track('tt-2'), 1105), boundaries)).toBeGreaterThan(20);
  });

  it('AAC is ADTS padded to a fixed size per unit, and decodes to the track', async () => {
    const file = media.engine.progressive('tt-3', 'aac');
    if (!file) throw new Error('no file');
    expect(file.size).toBe(aacLayout(17, 128).size);
    const whole = await readAll(file.read(0, file.size - 1));
    const frames = splitAdts(whole); // every frame's length field covers its padding
    expect(frames.length).toBe(aacLayout(17, 128).units.reduce((n, u) => n + u.frameCount, 0));
    const decoded = await decode(whole);
    expect(Math.abs(durationOf(decoded) - 17)).toBeLessThan(0.05);
    expect(rmsDb(decoded)).toBeGreaterThan(-40);
  });

  it('previews are 30 s (or the whole track) from a fifth of the way in, faded', async () => {
    const file = media.engine.preview('tt-1', 'mp3');
    if (!file) throw new Error('no file');
    const decoded = await decode(await readAll(file.read(0, file.size - 1)));
    expect(Math.abs(durationOf(decoded) - 30)).toBeLessThan(0.06);
    expect(rmsDb(decoded, 0.03, 0.05)).toBeLessThan(rmsDb(decoded, 5, 10) - 10); // fading in
    const short = media.engine.preview('tt-3', 'aac');
    if (!short) throw new Error('no file');
    expect(
      Math.abs(durationOf(await decode(await readAll(short.read(0, short.size - 1)))) - 17),
    ).toBeLessThan(0.05);
  });
});

describe('downloads', () => {
  it('MP3-320 carries an ID3v2.4 tag before frames at known offsets', async () => {
    const file = media.engine.mp3File('tt-3', 320);
    if (!file) throw new Error('no file');
    const data = await readAll(file.read(0, file.size - 1));
    expect(data.subarray(0, 3).toString()).toBe('ID3');
    expect(data.includes(Buffer.from('Single'))).toBe(true);
    expect(data.length).toBe(file.size);
    expect(Math.abs(durationOf(await decode(data)) - 17)).toBeLessThan(0.06);
  });

  it('FLAC is lossless: it decodes to exactly the synthesised samples', async () => {
    const path = await media.engine.flacPath('tt-3');
    if (!path) throw new Error('no file');
    const { readFileSync } = await import('node:fs');
    const decoded = await decode(readFileSync(path), 44_100);
    expect(decoded.left.length).toBe(17 * 44_100);
    const reference = toPcm16(trackSource(track('tt-3')).render(0, 17 * 44_100, 44_100));
    const samples = new Int16Array(reference.buffer, reference.byteOffset, reference.length / 2);
    let worst = 0;
    for (let i = 0; i < decoded.left.length; i += 7)
      worst = Math.max(worst, Math.abs((decoded.left[i] as number) * 32768 - (samples[i * 2] as number)));
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('music', () => {
  it('each track is a different piece', async () => {
    const spectra = await Promise.all(
      ['tt-1', 'tt-2', 'tt-3'].map(async (id) => {
        const pcm = await decode(await media.engine.hlsSegment(id, 2));
        return [100, 200, 400, 800, 1600, 3200].map((f) => bandEnergy(pcm, f));
      }),
    );
    const distance = (a: number[], b: number[]) =>
      Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number))));
    expect(distance(spectra[0] as number[], spectra[1] as number[])).toBeGreaterThan(3);
    expect(distance(spectra[0] as number[], spectra[2] as number[])).toBeGreaterThan(3);
    expect(distance(spectra[1] as number[], spectra[2] as number[])).toBeGreaterThan(3);
  });

  it("is mastered at the track's declared loudness (EBU R128, within 1 LU)", async () => {
    for (const id of ['tt-1', 'tt-2']) {
      const declared = trackLoudnessLufs(track(id));
      expect(declared).toBeGreaterThanOrEqual(-20);
      expect(declared).toBeLessThanOrEqual(-8);
      const path = await media.engine.flacPath(id);
      const { readFileSync } = await import('node:fs');
      expect(Math.abs((await ffmpegLoudness(readFileSync(path as string))) - declared)).toBeLessThan(1);
    }
  });

  it('gapless tracks are one signal: the next track starts where the previous ended', async () => {
    const [first, second] = [track('tg-1'), track('tg-2')];
    const { readFileSync } = await import('node:fs');
    const a = await decode(readFileSync((await media.engine.flacPath('tg-1')) as string), 44_100);
    const b = await decode(readFileSync((await media.engine.flacPath('tg-2')) as string), 44_100);
    expect(a.left.length).toBe(first.durationSec * 44_100);
    const joined: Pcm = {
      left: Float32Array.from([...a.left.subarray(-4410), ...b.left.subarray(0, 4410)]),
      right: Float32Array.from([...a.right.subarray(-4410), ...b.right.subarray(0, 4410)]),
      sampleRate: 44_100,
    };
    // Not silent at the joint, and the largest step between samples there is no bigger than the
    // music's own steps elsewhere (no click).
    expect(rmsDb(joined, 0.095, 0.105)).toBeGreaterThan(-45);
    const step = (p: Pcm, from: number, to: number) => {
      let worst = 0;
      for (let i = from + 1; i < to; i++)
        worst = Math.max(worst, Math.abs((p.left[i] as number) - (p.left[i - 1] as number)));
      return worst;
    };
    expect(step(joined, 4400, 4420)).toBeLessThanOrEqual(step(joined, 0, 4400) * 1.5 + 1e-4);
    // The same samples as the release's signal rendered straight through.
    const through = trackSource(first).render(first.durationSec * 44_100 - 10, 20, 44_100);
    expect(Math.abs((through.left[10] as number) - (b.left[0] as number))).toBeLessThan(2 / 32768);
    expect(second.gaplessRelease).toBeDefined();
  });
});

/** Energy (dB) in a narrow band around `freq`, by correlating with a sine and cosine. */
function bandEnergy(pcm: Pcm, freq: number): number {
  let re = 0;
  let im = 0;
  const n = Math.min(pcm.left.length, 4 * pcm.sampleRate);
  for (let i = 0; i < n; i++) {
    const phase = (2 * Math.PI * freq * i) / pcm.sampleRate;
    re += (pcm.left[i] as number) * Math.cos(phase);
    im += (pcm.left[i] as number) * Math.sin(phase);
  }
  return 10 * Math.log10((re * re + im * im) / n + 1e-12);
}
