// Loudness: ITU-R BS.1770 integrated loudness of a stereo buffer, and the mastering gain that
// brings a signal to a target loudness (measured on short excerpts spread over its timeline).
import { limiterKnee, renderRaw, renderSignal, type SignalSpec, type StereoBuffer } from './synth.js';

/**
 * Integrated loudness (ITU-R BS.1770: K-weighting, 400 ms blocks with 75 % overlap, absolute and
 * relative gating) of a stereo buffer, in LUFS.
 */
export function integratedLoudness(buffer: StereoBuffer, sampleRate: number): number {
  const kLeft = kWeight(buffer.left, sampleRate);
  const kRight = kWeight(buffer.right, sampleRate);
  const block = Math.round(0.4 * sampleRate);
  const hop = Math.round(0.1 * sampleRate);
  const powers: number[] = [];
  for (let start = 0; start + block <= kLeft.length; start += hop) {
    let sum = 0;
    for (let i = start; i < start + block; i++) sum += (kLeft[i] as number) ** 2 + (kRight[i] as number) ** 2;
    powers.push(sum / block);
  }
  const lufs = (p: number) => -0.691 + 10 * Math.log10(p);
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
  const absolute = powers.filter((p) => lufs(p) > -70);
  if (absolute.length === 0) return -70;
  const relativeGate = lufs(mean(absolute)) - 10;
  const gated = absolute.filter((p) => lufs(p) > relativeGate);
  return lufs(mean(gated));
}

function kWeight(input: Float32Array, sampleRate: number): Float64Array {
  // The two BS.1770 filters (high shelf, then high pass), coefficients derived for any rate.
  const shelf = biquad('highshelf', 1681.974450955533, 0.7071752369554196, 3.999843853973347, sampleRate);
  const highPass = biquad('highpass', 38.13547087602444, 0.5003270373238773, 0, sampleRate);
  return runBiquad(highPass, runBiquad(shelf, Float64Array.from(input)));
}

type Biquad = { b0: number; b1: number; b2: number; a1: number; a2: number };
function biquad(type: 'highshelf' | 'highpass', f0: number, q: number, gainDb: number, rate: number): Biquad {
  const k = Math.tan((Math.PI * f0) / rate);
  if (type === 'highshelf') {
    const vh = 10 ** (gainDb / 20);
    const vb = vh ** 0.4996667741545416;
    const a0 = 1 + k / q + k * k;
    return {
      b0: (vh + (vb * k) / q + k * k) / a0,
      b1: (2 * (k * k - vh)) / a0,
      b2: (vh - (vb * k) / q + k * k) / a0,
      a1: (2 * (k * k - 1)) / a0,
      a2: (1 - k / q + k * k) / a0,
    };
  }
  const a0 = 1 + k / q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
}
function runBiquad(f: Biquad, x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const yi = f.b0 * xi + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = yi;
    y[i] = yi;
  }
  return y;
}

/**
 * Sets the signal's mastering gain so that its integrated loudness is `targetLufs`, measured on
 * short excerpts spread over the timeline at 16 kHz (the music repeats, so they stand for the
 * whole: within ±1.2 LU of the whole track over 30 tracks, 10–15 ms), with a second pass for
 * what the limiter takes off when the gain drives peaks into it.
 */
export function calibrateLoudness(spec: Omit<SignalSpec, 'gainDb'>, targetLufs: number): SignalSpec {
  const rate = 16000;
  const excerptSec = 1.25;
  const excerpts = 4;
  const count = Math.round(excerptSec * rate);
  const excerptsOf = (candidate: SignalSpec, render: typeof renderRaw): StereoBuffer => {
    const joined: StereoBuffer = {
      left: new Float32Array(count * excerpts),
      right: new Float32Array(count * excerpts),
    };
    for (let e = 0; e < excerpts; e++) {
      const at = spec.totalSec * ((e + 0.5) / excerpts);
      const part = render(candidate, Math.round((at - excerptSec / 2) * rate), count, rate);
      joined.left.set(part.left, e * count);
      joined.right.set(part.right, e * count);
    }
    return joined;
  };
  const raw = excerptsOf({ ...spec, gainDb: 0 }, renderRaw);
  let gainDb = targetLufs - integratedLoudness(raw, rate);
  let peak = 0;
  for (const channel of [raw.left, raw.right]) for (const x of channel) peak = Math.max(peak, Math.abs(x));
  if (peak * 10 ** (gainDb / 20) > limiterKnee) {
    const mastered = excerptsOf({ ...spec, gainDb }, renderSignal);
    gainDb += targetLufs - integratedLoudness(mastered, rate);
  }
  return { ...spec, gainDb };
}
