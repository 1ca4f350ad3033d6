import { describe, expect, it } from 'vitest';
import { computePlayReport, meterSeek, meterTick, startMeter } from './play-meter.js';

function play(from: number, to: number, step = 0.25) {
  let m = startMeter('t1', from);
  for (let p = from + step; p <= to + 1e-9; p += step) m = meterTick(m, p);
  return m;
}

describe('play reports', () => {
  it('counts continuous listening in whole seconds', () => {
    const report = computePlayReport(play(0, 180), 'naturalEnd', { preview: false, trackDuration: 180 });
    expect(report).toEqual({ trackId: 't1', durationPlayed: 180, endReason: 'naturalEnd' });
  });

  it('does not count a seek as listening', () => {
    let m = play(0, 10);
    m = meterSeek(m, 200);
    m = meterTick(m, 200.25);
    m = meterTick(m, 250); // a jump reported by timeupdate without a seeked event
    for (let p = 250.25; p <= 255; p += 0.25) m = meterTick(m, p);
    expect(computePlayReport(m, 'userSkipped', { preview: false })?.durationPlayed).toBe(15);
  });

  it('caps previews at 30 seconds and plays at the track duration', () => {
    expect(computePlayReport(play(0, 45), 'naturalEnd', { preview: true })?.durationPlayed).toBe(30);
    expect(
      computePlayReport(play(0, 45), 'naturalEnd', { preview: false, trackDuration: 40 })?.durationPlayed,
    ).toBe(40);
  });

  it('skips reporting a skip before a second was heard, but always reports a natural end', () => {
    expect(computePlayReport(play(0, 0.25), 'userSkipped', { preview: false })).toBeNull();
    expect(computePlayReport(startMeter('t1'), 'naturalEnd', { preview: false })).toEqual({
      trackId: 't1',
      durationPlayed: 0,
      endReason: 'naturalEnd',
    });
  });

  it('starts counting from a restored position', () => {
    const m = play(120, 130);
    expect(computePlayReport(m, 'other', { preview: false })?.durationPlayed).toBe(10);
  });
});
