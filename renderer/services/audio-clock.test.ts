// The <audio> element's clock, driven by a plain object standing in for the element (Node has
// no media element; the real one is exercised by the e2e tests) and a fake monotonic clock.
import { describe, expect, it } from 'vitest';
import { createElementClock, type MediaElementState } from './audio-clock.js';

function setup() {
  let now = 0;
  const el: MediaElementState = {
    currentTime: 0,
    playbackRate: 1,
    paused: true,
    seeking: false,
    ended: false,
  };
  const clock = createElementClock(el, () => now);
  /** Plays for `sec` real seconds at the element's rate, with a timeupdate every 250 ms. */
  const play = (sec: number) => {
    for (let t = 0; t < sec - 1e-9; t += 0.25) {
      now += 250;
      el.currentTime += 0.25 * el.playbackRate;
      clock.note('timeupdate');
    }
  };
  const start = () => {
    el.paused = false;
    clock.note('play');
    clock.note('playing');
  };
  return {
    el,
    clock,
    play,
    start,
    wait(sec: number) {
      now += sec * 1000;
    },
  };
}

describe('element audio clock', () => {
  it('counts what the element played, in real time', () => {
    const { clock, play, start } = setup();
    start();
    play(10);
    expect(clock.read()).toMatchObject({ mediaSec: 10, audioSec: 10, elapsedSec: 10, position: 10 });
  });

  it('counts nothing while paused, waiting for data or seeking, however long', () => {
    const { el, clock, play, start, wait } = setup();
    start();
    play(2);
    el.paused = true;
    clock.note('pause');
    wait(60);
    el.paused = false;
    clock.note('play');
    clock.note('waiting');
    wait(5);
    clock.note('playing');
    play(1);
    const reading = clock.read();
    expect(reading.mediaSec).toBeCloseTo(3);
    expect(reading.elapsedSec).toBeCloseTo(68);
  });

  it('forfeits a jump of the playhead (a seek it was not told about) instead of counting it', () => {
    const { el, clock, play, start } = setup();
    start();
    play(4);
    el.currentTime = 58; // e.g. someone sets currentTime, or a gap jump
    clock.note('seeking');
    clock.note('seeked');
    play(2);
    const reading = clock.read();
    // The jump interval (at most one timeupdate period) is lost; nothing of the 54 s jump counts.
    expect(reading.mediaSec).toBeGreaterThanOrEqual(5.75);
    expect(reading.mediaSec).toBeLessThanOrEqual(6);
    expect(reading.position).toBe(60);
  });

  it('counts what played before a seek the engine announces, and nothing across it', () => {
    const { el, clock, play, start } = setup();
    start();
    play(3);
    clock.note('seek');
    el.currentTime = 100;
    clock.note('seeking');
    clock.note('seeked');
    play(1);
    expect(clock.read().mediaSec).toBeCloseTo(4);
  });

  it('reports audio time at another rate: 10 s of media at 2× is 5 s heard', () => {
    const { el, clock, play, start } = setup();
    el.playbackRate = 2;
    start();
    play(5);
    expect(clock.read()).toMatchObject({ mediaSec: 10, audioSec: 5, elapsedSec: 5 });
  });

  it('does not count a playhead that runs ahead of real time', () => {
    const { el, clock, start, wait } = setup();
    start();
    wait(1);
    el.currentTime = 30; // 30 s of "playing" in 1 s without a seek event
    clock.note('timeupdate');
    expect(clock.read().mediaSec).toBe(0);
  });
});
