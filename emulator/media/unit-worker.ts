// A worker thread that makes media units: renders the synth's samples for a unit (plus its
// pre- and post-roll) and runs the encoder on them. Rendering is CPU work that would otherwise
// stall the emulator's event loop for tens of milliseconds; here it runs beside it.
import { writeFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { encodeAac, encodeFlac, encodeMp3 } from './codecs.js';
import {
  aacFrameSamples,
  downloadSampleRate,
  mp3FrameSamples,
  postRollFrames,
  preRollFrames,
  streamSampleRate,
} from './layout.js';
import { toPcm16 } from './synth.js';
import { previewSource, trackSource, type AudioSource, type AudioTrackInfo } from './track-audio.js';

export type UnitJob =
  | {
      type: 'aac' | 'mp3';
      track: AudioTrackInfo;
      source: 'track' | 'preview';
      kbps: number;
      firstFrame: number;
      frameCount: number;
    }
  | { type: 'flac'; track: AudioTrackInfo; outPath: string };

export type UnitJobMessage = { id: number; job: UnitJob };
export type UnitJobResult =
  { id: number; ok: true; data: Uint8Array } | { id: number; ok: false; error: string };

const pcmOf = (source: AudioSource, first: number, count: number, sampleRate: number) =>
  toPcm16(source.render(first, count, sampleRate));

/** Frames [firstFrame, firstFrame + frameCount) on the grid of one long encode of the source. */
async function encodedUnit(job: Extract<UnitJob, { type: 'aac' | 'mp3' }>): Promise<Buffer> {
  const source = job.source === 'track' ? trackSource(job.track) : previewSource(job.track);
  const frameSamples = job.type === 'aac' ? aacFrameSamples : mp3FrameSamples;
  const start = (job.firstFrame - preRollFrames) * frameSamples;
  const end = (job.firstFrame + job.frameCount + postRollFrames) * frameSamples;
  const pcm = pcmOf(source, start, end - start, streamSampleRate);
  const encode = job.type === 'aac' ? encodeAac : encodeMp3;
  const frames = await encode(pcm, streamSampleRate, job.kbps);
  if (frames.length < preRollFrames + job.frameCount)
    throw new Error(
      `the ${job.type} encoder returned ${frames.length} frames for a unit of ${job.frameCount}`,
    );
  return Buffer.concat(frames.slice(preRollFrames, preRollFrames + job.frameCount));
}

/** A whole FLAC file, rendered in 10-second blocks streamed into the encoder. */
async function flacFile(job: Extract<UnitJob, { type: 'flac' }>): Promise<Buffer> {
  const source = trackSource(job.track);
  const total = Math.round(source.durationSec * downloadSampleRate);
  const block = 10 * downloadSampleRate;
  async function* blocks() {
    for (let first = 0; first < total; first += block)
      yield pcmOf(source, first, Math.min(block, total - first), downloadSampleRate);
  }
  const flac = await encodeFlac(blocks(), downloadSampleRate, {
    title: job.track.title,
    artist: job.track.artistName,
    album: job.track.releaseTitle,
    trackNumber: job.track.trackNumber,
  });
  await writeFile(job.outPath, flac);
  return Buffer.alloc(0);
}

const port = parentPort;
if (!port) throw new Error('unit-worker.ts runs in a worker thread');
port.on('message', ({ id, job }: UnitJobMessage) => {
  (job.type === 'flac' ? flacFile(job) : encodedUnit(job)).then(
    (data) => {
      const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const result: UnitJobResult = { id, ok: true, data: view };
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      port.postMessage(result, whole ? [data.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => {
      const result: UnitJobResult = {
        id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      };
      port.postMessage(result);
    },
  );
});
