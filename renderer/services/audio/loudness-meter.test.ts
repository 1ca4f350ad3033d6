import { describe, expect, it } from 'vitest';
import { createLoudnessMeter } from './loudness-meter.js';

const sine = (amplitude: number, seconds: number, hz = 997) =>
  Float32Array.from(
    { length: seconds * 48_000 },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / 48_000),
  );

describe('loudness meter (BS.1770)', () => {
  it('reads a stereo 997 Hz sine at −20 dBFS peak as −20 LUFS (within 0.1 LU)', () => {
    const meter = createLoudnessMeter();
    const s = sine(0.1, 5);
    meter.add([s, s], 48_000);
    expect(meter.integrated()).toBeCloseTo(-20, 0);
    expect(Math.abs((meter.integrated() ?? 0) + 20)).toBeLessThan(0.1);
  });

  it('is fed segment by segment and gates silence out', () => {
    const meter = createLoudnessMeter();
    expect(meter.integrated()).toBeNull();
    const loud = sine(0.1, 3);
    const quiet = new Float32Array(3 * 48_000);
    meter.add([loud, loud], 48_000);
    meter.add([quiet, quiet], 48_000);
    meter.add([loud, loud], 48_000);
    // The 400 ms blocks that straddle an edge are partly silent and pass the relative gate.
    expect(Math.abs((meter.integrated() ?? 0) + 20)).toBeLessThan(0.5);
    expect(meter.measuredSec()).toBe(9);
  });

  it('moves by the gain: 6 dB quieter reads 6 LU lower', () => {
    const a = createLoudnessMeter();
    const b = createLoudnessMeter();
    const s = sine(0.2, 4, 440);
    const t = s.map((v) => v / 2);
    a.add([s, s], 48_000);
    b.add([t, t], 48_000);
    expect((a.integrated() ?? 0) - (b.integrated() ?? 0)).toBeCloseTo(6.02, 1);
  });
});
