// Deterministic little pieces of music: a chord pad, a bass line and an arpeggio in a per-track
// key, mode, tempo and timbre. Rendered in JS (much faster than ffmpeg's aevalsrc) as 16-bit
// interleaved stereo PCM that ffmpeg then encodes.
import { seededRandom } from '../../shared/random.js';

export type SynthOptions = { seed: string; durationSec: number; sampleRate: number };

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const midiToHz = (note: number) => 440 * 2 ** ((note - 69) / 12);

const majorScale = [0, 2, 4, 5, 7, 9, 11];
const minorScale = [0, 2, 3, 5, 7, 8, 10];
// Scale degrees (0-based) of chord roots.
const progressions = [
  [0, 4, 5, 3],
  [0, 5, 3, 4],
  [0, 3, 4, 3],
  [5, 3, 0, 4],
  [0, 3, 5, 4],
  [0, 2, 3, 4],
];
const arpPatterns = [
  [0, 1, 2, 1],
  [0, 1, 2, 3],
  [2, 1, 0, 1],
  [0, 2, 1, 3],
  [0, 2, 3, 2],
];

type Voice = {
  startSec: number;
  durSec: number;
  freq: number;
  amp: number;
  attack: number;
  decay: number;
  pan: number;
};

/** Renders one track; the same seed always yields the same samples. */
export function synthesizeTrack({ seed, durationSec, sampleRate }: SynthOptions): Buffer {
  const random = seededRandom(hashSeed(seed));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const frames = Math.max(1, Math.round(durationSec * sampleRate));
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);

  const scale = random() < 0.5 ? majorScale : minorScale;
  const tonic = 48 + Math.floor(random() * 12); // C3..B3
  const bpm = 72 + Math.floor(random() * 56);
  const beat = 60 / bpm;
  const progression = pick(progressions);
  const arp = pick(arpPatterns);
  const harmonics = [1, 0.25 + random() * 0.35, random() * 0.25, random() * 0.12];
  const arpOctave = random() < 0.5 ? 12 : 24;
  const swing = random() * 0.12;

  const degreeNote = (degree: number): number => {
    const octave = Math.floor(degree / 7);
    return tonic + 12 * octave + (scale[((degree % 7) + 7) % 7] ?? 0);
  };

  const voices: Voice[] = [];
  const bar = beat * 4;
  for (let barIndex = 0, t = 0; t < durationSec; barIndex++, t += bar) {
    const root = progression[barIndex % progression.length] ?? 0;
    const chord = [root, root + 2, root + 4, root + 6].map(degreeNote);
    chord.slice(0, 3).forEach((note, i) =>
      voices.push({
        startSec: t,
        durSec: bar * 1.05,
        freq: midiToHz(note),
        amp: 0.09,
        attack: 0.35,
        decay: 0,
        pan: (i - 1) * 0.5,
      }),
    );
    for (let b = 0; b < 4; b += 2) {
      voices.push({
        startSec: t + b * beat,
        durSec: beat * 1.8,
        freq: midiToHz((chord[0] ?? tonic) - 12),
        amp: 0.22,
        attack: 0.01,
        decay: 2.2,
        pan: 0,
      });
    }
    for (let step = 0; step < 8; step++) {
      const note = (chord[arp[step % arp.length] ?? 0] ?? tonic) + arpOctave;
      const offset = step % 2 === 1 ? swing * beat : 0;
      voices.push({
        startSec: t + step * (beat / 2) + offset,
        durSec: beat * 1.2,
        freq: midiToHz(note),
        amp: 0.1,
        attack: 0.005,
        decay: 4.5,
        pan: step % 2 === 0 ? -0.6 : 0.6,
      });
    }
  }

  // One cycle of the track's timbre, looked up with a phase accumulator (much cheaper than sin()).
  const tableSize = 4096;
  const table = new Float32Array(tableSize + 1);
  for (let i = 0; i <= tableSize; i++) {
    const phase = (2 * Math.PI * i) / tableSize;
    let v = 0;
    harmonics.forEach((weight, h) => {
      v += weight * Math.sin(phase * (h + 1));
    });
    table[i] = v;
  }

  for (const voice of voices) {
    const start = Math.floor(voice.startSec * sampleRate);
    if (start >= frames) continue;
    const end = Math.min(frames, start + Math.floor(voice.durSec * sampleRate));
    const gainL = voice.amp * Math.cos(((voice.pan + 1) * Math.PI) / 4);
    const gainR = voice.amp * Math.sin(((voice.pan + 1) * Math.PI) / 4);
    const step = (voice.freq * tableSize) / sampleRate;
    const len = end - start;
    const release = Math.min(len, Math.floor(0.05 * sampleRate));
    const attackFrames = Math.max(1, voice.attack * sampleRate);
    const decayPerFrame = Math.exp(-voice.decay / sampleRate);
    let decayEnv = 1;
    let pos = 0;
    for (let i = 0; i < len; i++) {
      let env = i < attackFrames ? (i / attackFrames) * decayEnv : decayEnv;
      if (i > len - release) env *= (len - i) / release;
      decayEnv *= decayPerFrame;
      const sample = (table[pos | 0] as number) * env;
      pos += step;
      if (pos >= tableSize) pos -= tableSize;
      const idx = start + i;
      left[idx] = (left[idx] as number) + sample * gainL;
      right[idx] = (right[idx] as number) + sample * gainR;
    }
  }

  let peak = 1e-9;
  for (let i = 0; i < frames; i++) peak = Math.max(peak, Math.abs(left[i] ?? 0), Math.abs(right[i] ?? 0));
  const norm = 0.7 / peak;
  const fadeIn = Math.min(frames / 4, 1.5 * sampleRate);
  const fadeOut = Math.min(frames / 4, 3 * sampleRate);
  const pcm = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    let gain = norm;
    if (i < fadeIn) gain *= i / fadeIn;
    if (i > frames - fadeOut) gain *= (frames - i) / fadeOut;
    const l = (left[i] as number) * gain;
    const r = (right[i] as number) * gain;
    pcm[i * 2] = Math.round((l > 1 ? 1 : l < -1 ? -1 : l) * 32767);
    pcm[i * 2 + 1] = Math.round((r > 1 ? 1 : r < -1 ? -1 : r) * 32767);
  }
  // Int16Array is little-endian on every platform Node supports here (x64/arm64).
  const out = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return out;
}
