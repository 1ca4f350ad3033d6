// The boundary reading finds what it must (figure 10a would pass a broken player otherwise): a
// continuous join reads 0 ms; 10 ms of silence, 1024 samples dropped (an untrimmed priming frame
// the other way round) and a 40 ms click of wrong audio are each read as milliseconds of gap.
import { describe, expect, it } from 'vitest';
import { readBoundary } from './boundary-analysis.js';

const rate = 48_000;
/** A music-like signal: a drone, partials that move, and noise (seeded), so no lag but one matches. */
function signal(first: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const n = first + i;
    const t = n / rate;
    const seed = hash(n) >>> 1;
    out[i] =
      0.2 * Math.sin(2 * Math.PI * 110 * t) +
      0.1 * Math.sin(2 * Math.PI * (440 + 30 * Math.sin(t)) * t) +
      0.05 * Math.sin(2 * Math.PI * 1234 * t + Math.sin(7 * t)) +
      0.1 * (seed / 0x7fffffff - 0.5);
  }
  return out;
}

/** A sample index's noise, the same whichever window renders it (murmur3's finaliser). */
function hash(n: number): number {
  let h = Math.imul(n | 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const span = Math.round(0.7 * rate);
/** A capture around a boundary at `span`, with `join` deciding what plays after it. */
function capture(join: (afterBoundary: number) => number | null): Float32Array {
  const before = signal(-span, span);
  const out = new Float32Array(2 * span);
  out.set(before.map((v) => 0.8 * v));
  for (let i = 0; i < span; i++) {
    const source = join(i);
    out[span + i] = source === null ? 0 : 0.8 * (signal(source, 1)[0] as number);
  }
  return out;
}

const read = (y: Float32Array) => readBoundary(y, span + 300, Math.round(0.25 * rate), signal);

describe('readBoundary', () => {
  it('reads a continuous join as no gap', () => {
    const r = read(capture((i) => i));
    expect(r.offsetMs).toBe(0);
    expect(r.gapMs).toBe(0);
  });

  it('reads 10 ms of silence as at least 10 ms', () => {
    const gap = 480;
    const r = read(capture((i) => (i < gap ? null : i - gap)));
    expect(r.gapMs).toBeGreaterThanOrEqual(10);
  });

  it('reads 1024 samples dropped as a 21 ms jump', () => {
    const r = read(capture((i) => i + 1024));
    expect(Math.abs(r.offsetMs)).toBeCloseTo(21.3, 0);
    expect(r.gapMs).toBeGreaterThan(20);
  });

  it('reads 40 ms of the wrong audio after the boundary (a click) as bad milliseconds', () => {
    const r = read(capture((i) => (i < 1920 ? i + 100_000 : i)));
    // Of the 20 ms it looks at after the boundary.
    expect(r.badMs).toBeGreaterThanOrEqual(10);
  });
});
