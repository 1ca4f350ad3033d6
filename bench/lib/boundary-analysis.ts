// Reading a track boundary off the captured output: where the audio of the track before ends
// and where the audio of the track after begins, each found by normalised cross-correlation of
// 100 ms of the release's own signal (10 ms before the boundary, 30 ms after it) (rendered by the emulator's synthesiser, the source the
// stream was encoded from) against the capture. On a continuous release the two must be the
// same place: the difference is the gap (samples missing, or silence/extra samples inserted).
// Then every millisecond from 20 ms before to 20 ms after the boundary is compared with the
// signal it should be: a dip (under half the expected level) or a step (an error as large as
// the signal, where the same comparison 100–300 ms before the boundary stays far below it)
// counts as a millisecond of discontinuity.

export type BoundaryReading = {
  /** Missing (−) or inserted (+) samples between the two tracks' audio, in ms. */
  offsetMs: number;
  /** Milliseconds within ±20 ms of the boundary that dip or step. */
  badMs: number;
  /** The figure: |offset| + bad milliseconds. */
  gapMs: number;
  correlationBefore: number;
  correlationAfter: number;
  /** The comparison's error ratio before the boundary (control) and at it (max). */
  controlError: number;
  boundaryError: number;
};

const msFrames = 48;

/** Best lag of `ref` in `y` within [from, to), by normalised cross-correlation. */
export function locate(
  y: Float32Array,
  ref: Float32Array,
  from: number,
  to: number,
): { at: number; r: number } {
  let refEnergy = 0;
  for (const v of ref) refEnergy += v * v;
  let best = { at: from, r: -Infinity };
  const n = ref.length;
  let energy = 0;
  for (let i = from; i < from + n; i++) energy += (y[i] ?? 0) ** 2;
  for (let lag = from; lag < to && lag + n <= y.length; lag++) {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += (ref[i] as number) * (y[lag + i] as number);
    const r = dot / Math.sqrt(refEnergy * energy + 1e-20);
    if (r > best.r) best = { at: lag, r };
    energy += (y[lag + n] ?? 0) ** 2 - (y[lag] ?? 0) ** 2;
  }
  return best;
}

/**
 * `y`: the capture around the boundary; `approx`: where in `y` it should be (within ±`search`);
 * `signal(first, count)`: the release's signal, `first` counted from the boundary (negative before).
 */
export function readBoundary(
  y: Float32Array,
  approx: number,
  search: number,
  signal: (first: number, count: number) => Float32Array,
): BoundaryReading {
  const len = 100 * msFrames;
  const guard = 10 * msFrames;
  // After the boundary the reference starts 30 ms in, so up to 30 ms dropped leaves it whole; it
  // is looked for within 60 ms of where the audio before puts the boundary (a periodic drone
  // matches itself a period away: a wide search could settle on that instead).
  const lead = 30 * msFrames;
  const near = 60 * msFrames;
  const before = signal(-guard - len, len);
  const after = signal(lead, len);
  const a = locate(y, before, approx - guard - len - search, approx - guard - len + search);
  const boundaryA = a.at + guard + len;
  const b = locate(y, after, boundaryA + lead - near, boundaryA + lead + near + 1);
  const matched = b.r >= 0.9 * a.r;
  const boundaryB = b.at - lead;
  // The audio after the boundary not found near it: counted as the whole window searched.
  const offsetMs = matched ? (boundaryB - boundaryA) / msFrames : near / msFrames;
  // Scale: least squares of the capture against the signal before the boundary.
  const expectedAround = signal(-300 * msFrames, 320 * msFrames);
  const origin = boundaryA - 300 * msFrames;
  let num = 0;
  let den = 0;
  for (let i = 0; i < len; i++) {
    const e = expectedAround[200 * msFrames + i] as number;
    num += e * (y[origin + 200 * msFrames + i] ?? 0);
    den += e * e;
  }
  const gain = den > 0 ? num / den : 1;
  const windowError = (ms: number) => {
    let err = 0;
    let ref = 0;
    let got = 0;
    for (let i = 0; i < msFrames; i++) {
      const k = (300 + ms) * msFrames + i;
      const e = gain * (expectedAround[k] as number);
      const v = y[origin + k] ?? 0;
      err += (v - e) ** 2;
      ref += e * e;
      got += v * v;
    }
    return { error: Math.sqrt(err / (ref + 1e-20)), level: Math.sqrt(got / (ref + 1e-20)) };
  };
  const control: number[] = [];
  for (let ms = -300; ms < -100; ms++) control.push(windowError(ms).error);
  control.sort((x, z) => x - z);
  const controlError = control[Math.floor(control.length * 0.95)] ?? 0;
  let badMs = 0;
  let boundaryError = 0;
  for (let ms = -20; ms < 20; ms++) {
    const { error, level } = windowError(ms);
    boundaryError = Math.max(boundaryError, error);
    if (level < 0.5 || (error > 1 && error > 3 * controlError)) badMs += 1;
  }
  return {
    offsetMs,
    badMs,
    gapMs: Math.abs(offsetMs) + badMs,
    correlationBefore: a.r,
    correlationAfter: b.r,
    controlError,
    boundaryError,
  };
}
