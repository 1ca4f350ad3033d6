// Deterministic music for the emulator's catalogue. A track's seed picks its key, mode, tempo,
// chord progression, song form, timbre and instruments (pad, bass, arpeggio, lead, drums); the
// signal can then be rendered for any window of samples, at any sample rate, without rendering
// what comes before it — which is what lets the media engine generate one HLS segment or one
// progressive chunk at a time. Gapless releases are one signal: every track is a section of the
// release's timeline, with a drone and a room-noise bed running across the track boundaries.
import { seededRandom } from '../../shared/random.js';

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const midiToHz = (note: number) => 440 * 2 ** ((note - 69) / 12);

const scales = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
} as const;
// Scale degrees (0-based) of chord roots, one per bar.
const progressions = [
  [0, 4, 5, 3],
  [0, 5, 3, 4],
  [0, 3, 4, 3],
  [5, 3, 0, 4],
  [0, 3, 5, 4],
  [0, 2, 3, 4],
  [0, 5, 1, 4],
  [0, 0, 3, 4],
];
const arpPatterns = [
  [0, 1, 2, 1],
  [0, 1, 2, 3],
  [2, 1, 0, 1],
  [0, 2, 1, 3],
  [0, 2, 3, 2],
  [0, 1, 0, 2],
];
// Bass hits per bar as [beat, length in beats].
const bassPatterns: [number, number][][] = [
  [
    [0, 1.8],
    [2, 1.8],
  ],
  [
    [0, 0.9],
    [1.5, 0.4],
    [2, 0.9],
    [3.5, 0.4],
  ],
  [
    [0, 3.6],
    [3.5, 0.4],
  ],
  [
    [0, 0.45],
    [1, 0.45],
    [2, 0.45],
    [3, 0.45],
  ],
];
type SectionKind = 'intro' | 'verse' | 'chorus' | 'bridge';
const forms: SectionKind[][] = [
  ['verse', 'chorus'],
  ['verse', 'verse', 'chorus', 'bridge'],
  ['chorus', 'verse', 'bridge', 'chorus'],
  ['verse', 'chorus', 'chorus', 'bridge'],
];
const barsPerSection = 8;

export type ScaleName = keyof typeof scales;

/** Everything the seed decides about one piece of music. */
export type MusicPlan = {
  tonic: number;
  scale: ScaleName;
  bpm: number;
  progression: number[];
  arp: number[];
  bass: [number, number][];
  form: SectionKind[];
  padHarmonics: number[];
  leadHarmonics: number[];
  arpOctave: number;
  swing: number;
  drums: boolean;
  lead: boolean;
};

export function musicPlan(seed: string, shared?: Pick<MusicPlan, 'tonic' | 'bpm' | 'scale'>): MusicPlan {
  const random = seededRandom(hashSeed(seed));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const scaleNames = Object.keys(scales) as ScaleName[];
  const plan: MusicPlan = {
    scale: pick(scaleNames),
    tonic: 45 + Math.floor(random() * 12), // A2..G#3
    bpm: 68 + Math.floor(random() * 64),
    progression: pick(progressions),
    arp: pick(arpPatterns),
    bass: pick(bassPatterns),
    form: pick(forms),
    padHarmonics: [1, 0.2 + random() * 0.4, random() * 0.3, random() * 0.15, random() * 0.08],
    leadHarmonics: [1, random() * 0.5, 0.1 + random() * 0.3, random() * 0.2],
    arpOctave: random() < 0.5 ? 12 : 24,
    swing: random() * 0.12,
    drums: random() < 0.7,
    lead: random() < 0.8,
  };
  return shared ? { ...plan, ...shared } : plan;
}

/** One section of a signal's timeline: a piece of music from `startSec` for `durSec`. */
export type SignalSection = { startSec: number; durSec: number; plan: MusicPlan; seed: string };

/**
 * A continuous signal: one track, or a whole gapless release. `gainDb` is the mastering gain
 * (set by calibrateLoudness); `bed` adds a drone and room noise that run across sections.
 */
export type SignalSpec = {
  sections: SignalSection[];
  totalSec: number;
  fadeInSec: number;
  fadeOutSec: number;
  bed?: { tonic: number; level: number };
  gainDb: number;
};

type Voice = {
  startSec: number;
  durSec: number;
  freq: number;
  amp: number;
  attack: number;
  decay: number;
  pan: number;
  table: Float32Array;
};
type Hit = { startSec: number; kind: 'kick' | 'snare' | 'hat'; amp: number; pan: number };

const tableSize = 4096;
const tableCache = new Map<string, Float32Array>();
function waveTable(harmonics: readonly number[]): Float32Array {
  const key = harmonics.map((h) => h.toFixed(4)).join(',');
  const hit = tableCache.get(key);
  if (hit) return hit;
  const table = new Float32Array(tableSize + 1);
  let peak = 1e-9;
  for (let i = 0; i <= tableSize; i++) {
    const phase = (2 * Math.PI * i) / tableSize;
    let v = 0;
    harmonics.forEach((weight, h) => {
      v += weight * Math.sin(phase * (h + 1));
    });
    table[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i <= tableSize; i++) table[i] = (table[i] as number) / peak;
  if (tableCache.size > 4096) tableCache.clear();
  tableCache.set(key, table);
  return table;
}
const bassTable = () => waveTable([1, 0.35, 0.1]);

function sectionKind(plan: MusicPlan, bar: number): SectionKind {
  const index = Math.floor(bar / barsPerSection);
  if (index === 0) return 'intro';
  return plan.form[(index - 1) % plan.form.length] as SectionKind;
}

/** What one bar plays: its chord, its start and beat length, its place in the song form. */
type Bar = {
  plan: MusicPlan;
  t: number;
  beat: number;
  kind: SectionKind;
  root: number;
  chord: number[];
  degreeNote: (degree: number) => number;
  random: () => number;
};

/** The voices and drum hits that start in bar `bar` of a section (absolute times). */
function barEvents(section: SignalSection, bar: number): { voices: Voice[]; hits: Hit[] } {
  const { plan } = section;
  const scale = scales[plan.scale];
  const degreeNote = (degree: number): number => {
    const octave = Math.floor(degree / 7);
    return plan.tonic + 12 * octave + (scale[((degree % 7) + 7) % 7] ?? 0);
  };
  const beat = 60 / plan.bpm;
  const root = plan.progression[bar % plan.progression.length] ?? 0;
  const b: Bar = {
    plan,
    t: section.startSec + bar * beat * 4,
    beat,
    kind: sectionKind(plan, bar),
    root,
    chord: [root, root + 2, root + 4, root + 6].map(degreeNote),
    degreeNote,
    random: seededRandom(hashSeed(`${section.seed}:${bar}`)),
  };
  const voices = [...padVoices(b), ...bassVoices(b), ...arpeggioVoices(b), ...melodyVoices(b)];
  return { voices, hits: drumHits(b) };
}

function padVoices(b: Bar): Voice[] {
  const barSec = b.beat * 4;
  const table = waveTable(b.plan.padHarmonics);
  return b.chord.slice(0, b.kind === 'chorus' ? 4 : 3).map((note, i) => ({
    startSec: b.t,
    durSec: barSec * 1.08,
    freq: midiToHz(note + 12),
    amp: b.kind === 'intro' ? 0.11 : 0.08,
    attack: Math.min(0.4, barSec / 4),
    decay: 0.15,
    pan: (i - 1.5) * 0.4,
    table,
  }));
}

function bassVoices(b: Bar): Voice[] {
  if (b.kind === 'intro') return [];
  return b.plan.bass.map(([at, len]) => ({
    startSec: b.t + at * b.beat,
    durSec: len * b.beat,
    freq: midiToHz(b.chord[0] ?? b.plan.tonic),
    amp: 0.24,
    attack: 0.008,
    decay: 1.6,
    pan: 0,
    table: bassTable(),
  }));
}

function arpeggioVoices(b: Bar): Voice[] {
  if (b.kind === 'bridge') return [];
  const table = waveTable(b.plan.padHarmonics);
  return Array.from({ length: 8 }, (_x, step) => ({
    startSec: b.t + step * (b.beat / 2) + (step % 2 === 1 ? b.plan.swing * b.beat : 0),
    durSec: b.beat * 1.1,
    freq: midiToHz((b.chord[b.plan.arp[step % b.plan.arp.length] ?? 0] ?? b.plan.tonic) + b.plan.arpOctave),
    amp: b.kind === 'intro' ? 0.06 : 0.085,
    attack: 0.004,
    decay: 5,
    pan: step % 2 === 0 ? -0.55 : 0.55,
    table,
  }));
}

/** A melody in choruses and bridges: 2–6 notes a bar from the scale, stepping near the chord. */
function melodyVoices(b: Bar): Voice[] {
  if (!b.plan.lead || (b.kind !== 'chorus' && b.kind !== 'bridge')) return [];
  const voices: Voice[] = [];
  const notes = 2 + Math.floor(b.random() * 5);
  let degree = b.root + 7 + Math.floor(b.random() * 3);
  let at = 0;
  for (let n = 0; n < notes && at < 4; n++) {
    const length = n === notes - 1 ? 4 - at : [0.5, 1, 1, 1.5][Math.floor(b.random() * 4)]!;
    voices.push({
      startSec: b.t + at * b.beat,
      durSec: Math.min(length, 4 - at) * b.beat * 0.95,
      freq: midiToHz(b.degreeNote(degree) + 12),
      amp: 0.075,
      attack: 0.03,
      decay: 0.8,
      pan: 0.15,
      table: waveTable(b.plan.leadHarmonics),
    });
    at += length;
    degree += Math.floor(b.random() * 5) - 2;
  }
  return voices;
}

/** Kick on 1 and 3 (and some off-beats in choruses), snare on 2 and 4, swung eighth-note hats. */
function drumHits(b: Bar): Hit[] {
  if (!b.plan.drums || b.kind === 'intro') return [];
  const hits: Hit[] = [];
  for (let beatIndex = 0; beatIndex < 4; beatIndex++) {
    const at = b.t + beatIndex * b.beat;
    if (beatIndex === 0 || beatIndex === 2 || (b.kind === 'chorus' && b.random() < 0.3))
      hits.push({ startSec: at, kind: 'kick', amp: 0.5, pan: 0 });
    if (b.kind !== 'bridge' && (beatIndex === 1 || beatIndex === 3))
      hits.push({ startSec: at, kind: 'snare', amp: 0.22, pan: 0.05 });
    hits.push({ startSec: at, kind: 'hat', amp: 0.07, pan: -0.3 });
    hits.push({ startSec: at + b.beat / 2 + b.plan.swing * b.beat, kind: 'hat', amp: 0.045, pan: -0.3 });
  }
  return hits;
}

/** Cheap deterministic noise in [-1, 1) for an absolute sample index. */
function noiseAt(index: number, salt: number): number {
  let x = Math.imul(index ^ salt, 0x9e3779b1);
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca77);
  x ^= x >>> 13;
  return (x >>> 0) / 2147483648 - 1;
}

function mixVoice(voice: Voice, out: StereoBuffer, first: number, sampleRate: number): void {
  const start = Math.round(voice.startSec * sampleRate);
  const length = Math.max(1, Math.round(voice.durSec * sampleRate));
  const from = Math.max(start, first);
  const to = Math.min(start + length, first + out.left.length);
  if (to <= from) return;
  const gainL = voice.amp * Math.cos(((voice.pan + 1) * Math.PI) / 4);
  const gainR = voice.amp * Math.sin(((voice.pan + 1) * Math.PI) / 4);
  const step = (voice.freq * tableSize) / sampleRate;
  const release = Math.min(length, Math.floor(0.04 * sampleRate));
  const attackFrames = Math.max(1, voice.attack * sampleRate);
  const decayPerFrame = Math.exp(-voice.decay / sampleRate);
  let i = from - start;
  let decayEnv = Math.exp((-voice.decay * i) / sampleRate);
  let pos = (i * step) % tableSize;
  const table = voice.table;
  const { left, right } = out;
  for (let n = from; n < to; n++, i++) {
    let env = i < attackFrames ? (i / attackFrames) * decayEnv : decayEnv;
    if (i > length - release) env *= (length - i) / release;
    decayEnv *= decayPerFrame;
    const sample = (table[pos | 0] as number) * env;
    pos += step;
    if (pos >= tableSize) pos -= tableSize;
    const idx = n - first;
    left[idx] = (left[idx] as number) + sample * gainL;
    right[idx] = (right[idx] as number) + sample * gainR;
  }
}

const hitLengthSec = { kick: 0.35, snare: 0.25, hat: 0.06 } as const;

function mixHit(hit: Hit, out: StereoBuffer, first: number, sampleRate: number): void {
  const start = Math.round(hit.startSec * sampleRate);
  const length = Math.round(hitLengthSec[hit.kind] * sampleRate);
  const from = Math.max(start, first);
  const to = Math.min(start + length, first + out.left.length);
  if (to <= from) return;
  const gainL = hit.amp * Math.cos(((hit.pan + 1) * Math.PI) / 4);
  const gainR = hit.amp * Math.sin(((hit.pan + 1) * Math.PI) / 4);
  const salt = start | 0;
  const { left, right } = out;
  for (let n = from; n < to; n++) {
    const i = n - start;
    const tSec = i / sampleRate;
    let v: number;
    if (hit.kind === 'kick') {
      // Pitch falling from 110 to 45 Hz: the phase is the integral of the frequency.
      const phase = 2 * Math.PI * (45 * tSec + (65 / 30) * (1 - Math.exp(-30 * tSec)));
      v = Math.sin(phase) * Math.exp(-9 * tSec);
    } else if (hit.kind === 'snare') {
      v =
        0.6 * noiseAt(n, salt) * Math.exp(-18 * tSec) +
        0.4 * Math.sin(2 * Math.PI * 190 * tSec) * Math.exp(-25 * tSec);
    } else {
      // High-passed noise: the difference of two neighbouring noise samples.
      v = 0.5 * (noiseAt(n, salt) - noiseAt(n - 1, salt)) * Math.exp(-70 * tSec);
    }
    const attack = i < 48 ? i / 48 : 1;
    const idx = n - first;
    left[idx] = (left[idx] as number) + v * attack * gainL;
    right[idx] = (right[idx] as number) + v * attack * gainR;
  }
}

export type StereoBuffer = { left: Float32Array; right: Float32Array };

/** The longest a voice can ring past the start of its bar (bars are at most 3.6 s at 68 bpm). */
const maxVoiceSec = 3.6 * 1.08 + 0.5;

/**
 * Renders samples [first, first + count) of the signal's timeline at `sampleRate`, before the
 * mastering gain. Samples outside the signal are silence.
 */
export function renderRaw(spec: SignalSpec, first: number, count: number, sampleRate: number): StereoBuffer {
  const out: StereoBuffer = { left: new Float32Array(count), right: new Float32Array(count) };
  const fromSec = first / sampleRate;
  const toSec = (first + count) / sampleRate;
  for (const section of spec.sections) {
    const sectionEnd = section.startSec + section.durSec;
    if (section.startSec > toSec || sectionEnd + maxVoiceSec < fromSec) continue;
    const barSec = (60 / section.plan.bpm) * 4;
    const firstBar = Math.max(0, Math.floor((fromSec - section.startSec - maxVoiceSec) / barSec));
    const lastBar = Math.floor((Math.min(toSec, sectionEnd) - section.startSec) / barSec);
    for (let bar = firstBar; bar <= lastBar; bar++) {
      const { voices, hits } = barEvents(section, bar);
      for (const voice of voices) {
        // A section's music stops at its end; only what is already ringing carries over.
        if (voice.startSec >= sectionEnd) continue;
        mixVoice(voice, out, first, sampleRate);
      }
      for (const hit of hits) if (hit.startSec < sectionEnd) mixHit(hit, out, first, sampleRate);
    }
  }
  if (spec.bed) addBed(spec.bed, out, first, sampleRate);
  applyFades(spec, out, first, sampleRate);
  return out;
}

/** A steady drone on the release's tonic plus soft room noise: continuous across every track. */
function addBed(bed: { tonic: number; level: number }, out: StereoBuffer, first: number, sampleRate: number) {
  const freq = midiToHz(bed.tonic);
  const fifth = midiToHz(bed.tonic + 7);
  const { left, right } = out;
  // One-pole low-passed noise; the filter runs in over 256 samples before the window, so every
  // window computes the same samples (to within 1e-5) whatever its start.
  let lowL = 0;
  for (let n = first - 256; n < first; n++) lowL += 0.05 * (noiseAt(n, 0x5eed) - lowL);
  for (let i = 0; i < left.length; i++) {
    const n = first + i;
    const t = n / sampleRate;
    const drone = Math.sin(2 * Math.PI * freq * t) * 0.7 + Math.sin(2 * Math.PI * fifth * t) * 0.3;
    lowL += 0.05 * (noiseAt(n, 0x5eed) - lowL);
    const v = bed.level * (drone * 0.8 + lowL * 0.6);
    left[i] = (left[i] as number) + v;
    right[i] = (right[i] as number) + v * 0.97;
  }
}

function applyFades(spec: SignalSpec, out: StereoBuffer, first: number, sampleRate: number) {
  const total = Math.round(spec.totalSec * sampleRate);
  const fadeIn = Math.max(1, Math.round(spec.fadeInSec * sampleRate));
  const fadeOut = Math.max(1, Math.round(spec.fadeOutSec * sampleRate));
  const { left, right } = out;
  for (let i = 0; i < left.length; i++) {
    const n = first + i;
    let gain = 1;
    if (n < 0 || n >= total) gain = 0;
    else if (n < fadeIn) gain = n / fadeIn;
    else if (n > total - fadeOut) gain = (total - n) / fadeOut;
    if (gain !== 1) {
      left[i] = (left[i] as number) * gain;
      right[i] = (right[i] as number) * gain;
    }
  }
}

/** Soft limiting above -3 dBFS: sample by sample, so every window renders the same. */
export const limiterKnee = 0.7;
function limit(x: number): number {
  const a = Math.abs(x);
  if (a <= limiterKnee) return x;
  const over = (a - limiterKnee) / (1 - limiterKnee);
  return Math.sign(x) * (limiterKnee + (1 - limiterKnee) * Math.tanh(over));
}

/** Samples [first, first + count) of the mastered signal (gain, then limiter). */
export function renderSignal(
  spec: SignalSpec,
  first: number,
  count: number,
  sampleRate: number,
): StereoBuffer {
  const out = renderRaw(spec, first, count, sampleRate);
  const gain = 10 ** (spec.gainDb / 20);
  const { left, right } = out;
  for (let i = 0; i < count; i++) {
    left[i] = limit((left[i] as number) * gain);
    right[i] = limit((right[i] as number) * gain);
  }
  return out;
}

/** Interleaved 16-bit little-endian PCM (what ffmpeg reads with `-f s16le`). */
export function toPcm16(buffer: StereoBuffer): Buffer {
  const { left, right } = buffer;
  const pcm = new Int16Array(left.length * 2);
  for (let i = 0; i < left.length; i++) {
    const l = left[i] as number;
    const r = right[i] as number;
    pcm[i * 2] = Math.round((l > 1 ? 1 : l < -1 ? -1 : l) * 32767);
    pcm[i * 2 + 1] = Math.round((r > 1 ? 1 : r < -1 ? -1 : r) * 32767);
  }
  // Int16Array is little-endian on every platform Node supports here (x64, arm64).
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}
