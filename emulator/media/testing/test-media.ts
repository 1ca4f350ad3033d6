// Test support (used only by *.test.ts): a few short test tracks (one gapless pair), a media
// engine over a fresh cache, and ffmpeg-based decoding and measurement.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '../codecs.js';
import { createMediaCache, type MediaCache } from '../media-cache.js';
import { createMediaEngine, type MediaEngine } from '../media-engine.js';
import type { AudioTrackInfo } from '../track-audio.js';
import { createUnitWorkers, type UnitWorkers } from '../unit-workers.js';

const gaplessPair = [
  { trackId: 'tg-1', durationSec: 13 },
  { trackId: 'tg-2', durationSec: 11 },
];

export const testTracks: AudioTrackInfo[] = [
  {
    trackId: 'tt-1',
    releaseId: 'tr-1',
    title: 'Opening: Light/Dark',
    trackNumber: 1,
    durationSec: 31,
    artistName: 'Test Artist',
    releaseTitle: 'Test Album',
  },
  {
    trackId: 'tt-2',
    releaseId: 'tr-1',
    title: 'Second Song',
    trackNumber: 2,
    durationSec: 23,
    artistName: 'Test Artist',
    releaseTitle: 'Test Album',
  },
  {
    trackId: 'tt-3',
    releaseId: 'tr-2',
    title: 'Single',
    trackNumber: 1,
    durationSec: 17,
    artistName: 'Other Artist',
    releaseTitle: 'A Single',
  },
  ...gaplessPair.map((t, i) => ({
    trackId: t.trackId,
    releaseId: 'tr-gapless',
    title: `Movement ${i + 1}`,
    trackNumber: i + 1,
    durationSec: t.durationSec,
    artistName: 'Test Ensemble',
    releaseTitle: 'A Continuous Suite',
    gaplessRelease: gaplessPair,
  })),
];

export type TestMedia = {
  engine: MediaEngine;
  cache: MediaCache;
  workers: UnitWorkers;
  /** Jobs the workers were given, by cache key. */
  jobs: string[];
  dir: string;
  close(): Promise<void>;
};

/** A media engine over a fresh cache dir (removed by close()). */
export function createTestMedia(options: { maxBytes?: number; dir?: string } = {}): TestMedia {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'septet-media-test-'));
  const cache = createMediaCache({ dir, ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}) });
  const real = createUnitWorkers(2);
  const jobs: string[] = [];
  const workers: UnitWorkers = {
    ...real,
    run(priority, job, tag) {
      jobs.push(tag ?? job.type);
      return real.run(priority, job, tag);
    },
  };
  const tracks = new Map(testTracks.map((t) => [t.trackId, t]));
  const engine = createMediaEngine({ cache, workers, trackInfo: (id) => tracks.get(id) });
  return {
    engine,
    cache,
    workers,
    jobs,
    dir,
    async close() {
      await real.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function readAll(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

export type Pcm = { left: Float32Array; right: Float32Array; sampleRate: number };

/** Decodes any audio ffmpeg reads (MP3, ADTS, MPEG-TS, FLAC) to float stereo PCM. */
export async function decode(data: Buffer, sampleRate = 48_000): Promise<Pcm> {
  const ffmpeg = await ffmpegPath();
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn(
      ffmpeg,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-i',
        'pipe:0',
        '-f',
        'f32le',
        '-ac',
        '2',
        '-ar',
        String(sampleRate),
        'pipe:1',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(stderr))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(data);
  });
  const samples = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const frames = samples.length / 2;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = samples[i * 2] as number;
    right[i] = samples[i * 2 + 1] as number;
  }
  return { left, right, sampleRate };
}

export const durationOf = (pcm: Pcm) => pcm.left.length / pcm.sampleRate;

/** RMS level in dBFS of the left channel between two times. */
export function rmsDb(pcm: Pcm, fromSec = 0, toSec = durationOf(pcm)): number {
  const from = Math.max(0, Math.floor(fromSec * pcm.sampleRate));
  const to = Math.min(pcm.left.length, Math.floor(toSec * pcm.sampleRate));
  let sum = 0;
  for (let i = from; i < to; i++) sum += (pcm.left[i] as number) ** 2;
  return 10 * Math.log10(sum / Math.max(1, to - from) + 1e-20);
}

/** Integrated loudness measured by ffmpeg's EBU R128 filter, in LUFS. */
export async function ffmpegLoudness(data: Buffer): Promise<number> {
  const ffmpeg = await ffmpegPath();
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      ffmpeg,
      ['-hide_banner', '-nostats', '-i', 'pipe:0', '-af', 'ebur128', '-f', 'null', '-'],
      {
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    let text = '';
    child.stderr.on('data', (c: Buffer) => {
      text += c.toString();
    });
    child.on('error', reject);
    child.on('close', () => resolve(text));
    child.stdin.on('error', () => undefined);
    child.stdin.end(data);
  });
  const match = /I:\s+(-?[\d.]+) LUFS/.exec(stderr.split('Summary:')[1] ?? '');
  if (!match) throw new Error(`no loudness in ffmpeg output: ${stderr.slice(-500)}`);
  return Number(match[1]);
}
