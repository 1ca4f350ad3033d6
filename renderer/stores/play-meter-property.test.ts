// Property test of the play meter over random sequences of play, pause, seek, stall, rate
// change, jumps of the playhead, long unread stretches (a hidden window) and track changes. The
// audio output is simulated with a fake clock: it knows exactly what it rendered, as a WebAudio
// graph does (the <audio> element's clock is tested on its own in audio-clock.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AudioClockReading } from '../services/audio-clock.js';
import {
  meterOutcome,
  meterRead,
  meterSeek,
  naturalEndWindowSec,
  startMeter,
  type PlayMeter,
  type PlayOutcome,
} from './play-meter.js';

type Op =
  | { kind: 'wait'; ms: number }
  | { kind: 'read' }
  | { kind: 'play' }
  | { kind: 'pause' }
  | { kind: 'stall' }
  | { kind: 'unstall' }
  | { kind: 'rate'; rate: number }
  | { kind: 'seek'; at: number }
  | { kind: 'jump'; at: number }
  | { kind: 'track'; durationSec: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4_000 }).map((ms) => ({ kind: 'wait', ms }) as const) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 5_000, max: 60_000 }).map((ms) => ({ kind: 'wait', ms }) as const),
  },
  { weight: 5, arbitrary: fc.constant({ kind: 'read' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'play' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pause' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stall' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unstall' } as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0.5, 1, 1, 1.5, 2).map((rate) => ({ kind: 'rate', rate }) as const),
  },
  {
    weight: 1,
    arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: 'seek', at }) as const),
  },
  {
    weight: 1,
    arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: 'jump', at }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 3, max: 240 })
      .map((durationSec) => ({ kind: 'track', durationSec }) as const),
  },
);

/** An audio output that knows what it rendered; time moves only when the test says so. */
function createFakeOutput(durationSec: number) {
  const out = {
    durationSec,
    position: 0,
    playing: true,
    stalled: false,
    rate: 1,
    ended: false,
    pending: { mediaSec: 0, audioSec: 0, elapsedSec: 0 },
    /** Real seconds pass; returns the real seconds of audio rendered. */
    advance(sec: number): number {
      out.pending.elapsedSec += sec;
      if (!out.playing || out.stalled || out.ended) return 0;
      const media = Math.min(sec * out.rate, out.durationSec - out.position);
      out.position += media;
      out.pending.mediaSec += media;
      out.pending.audioSec += media / out.rate;
      if (out.position >= out.durationSec - 1e-9) {
        out.ended = true;
        out.playing = false;
      }
      return media / out.rate;
    },
    read(): AudioClockReading {
      const reading = { ...out.pending, position: out.position };
      out.pending = { mediaSec: 0, audioSec: 0, elapsedSec: 0 };
      return reading;
    },
  };
  return out;
}

type Finished = {
  outcome: PlayOutcome;
  meter: PlayMeter;
  realAudioSec: number;
  ended: boolean;
  /** Played from its start to its end at 1×, never moved. */
  pristine: boolean;
  /** Where the playhead last landed after a seek or jump (null: never moved). */
  lastLanding: number | null;
  durationSec: number;
};

/** Runs the ops through a player-like harness: it reads the clock, seeks through the meter, changes tracks. */
function run(ops: Op[], firstDurationSec: number): Finished[] {
  const finished: Finished[] = [];
  let output = createFakeOutput(firstDurationSec);
  let meter = startMeter(0);
  let realAudioSec = 0;
  let pristine = true;
  let lastLanding: number | null = null;
  const finish = () => {
    meter = meterRead(meter, output.read());
    const outcome = meterOutcome(meter, {
      ended: output.ended,
      durationSec: output.durationSec,
      otherwise: 'userSkipped',
    });
    finished.push({
      outcome,
      meter,
      realAudioSec,
      ended: output.ended,
      pristine,
      lastLanding,
      durationSec: output.durationSec,
    });
  };
  for (const o of ops) {
    switch (o.kind) {
      case 'wait': {
        // Time passes in small steps (the output renders continuously between them).
        for (let left = o.ms / 1000; left > 1e-9; left -= 0.05) {
          const rendered = output.advance(Math.min(0.05, left));
          realAudioSec += rendered;
          if (rendered > 0 && output.rate !== 1) pristine = false;
        }
        break;
      }
      case 'read':
        meter = meterRead(meter, output.read());
        break;
      case 'play':
        if (!output.ended) output.playing = true;
        break;
      case 'pause':
        output.playing = false;
        break;
      case 'stall':
        output.stalled = true;
        break;
      case 'unstall':
        output.stalled = false;
        break;
      case 'rate':
        output.rate = o.rate;
        break;
      case 'seek': {
        const to = o.at * output.durationSec;
        meter = meterSeek(meterRead(meter, output.read()), to);
        output.position = to;
        output.ended = false;
        pristine = false;
        lastLanding = to;
        break;
      }
      case 'jump': {
        // The playhead moves without the player asking (e.g. a media element's gap jump).
        const to = o.at * output.durationSec;
        if (Math.abs(to - output.position) < 1) break;
        output.position = to;
        output.ended = false;
        pristine = false;
        lastLanding = to;
        break;
      }
      case 'track': {
        finish();
        const playing = output.playing || output.ended;
        const rate = output.rate;
        output = createFakeOutput(o.durationSec);
        output.playing = playing;
        output.rate = rate;
        meter = startMeter(0);
        realAudioSec = 0;
        pristine = rate === 1;
        lastLanding = null;
        break;
      }
    }
  }
  finish();
  return finished;
}

describe('play meter (property)', () => {
  it('never reports more than the audio really played, and is within 250 ms of it', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 3, max: 240 }), (ops, duration) => {
        for (const play of run(ops, duration)) {
          expect(play.meter.heardSec).toBeLessThanOrEqual(play.realAudioSec + 1e-6);
          expect(play.meter.heardSec).toBeGreaterThanOrEqual(play.realAudioSec - 0.25);
          expect(play.outcome.listenedSec).toBeLessThanOrEqual(play.realAudioSec + 1e-6);
          expect(play.outcome.listenedSec).toBeLessThanOrEqual(play.durationSec);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('calls an end natural only when the last seconds were played through in real time', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 3, max: 240 }), (ops, duration) => {
        for (const play of run(ops, duration)) {
          if (!play.ended) {
            expect(play.outcome.endReason).toBe('userSkipped');
            continue;
          }
          if (play.pristine) expect(play.outcome.endReason).toBe('naturalEnd');
          const window = Math.min(naturalEndWindowSec, play.durationSec);
          if (play.lastLanding !== null && play.lastLanding > play.durationSec - window + 0.5)
            expect(play.outcome.endReason).not.toBe('naturalEnd');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('believes an engine only as far as real time: a reading claiming more audio than elapsed counts the elapsed', () => {
    let meter = startMeter(0);
    meter = meterRead(meter, { mediaSec: 60, audioSec: 60, elapsedSec: 2, position: 60 });
    expect(meter.heardSec).toBe(2);
    expect(meterOutcome(meter, { ended: true, durationSec: 60, otherwise: 'other' }).endReason).toBe('other');
  });

  it('does not call a track played at another rate than 1× to its end a natural end', () => {
    let meter = startMeter(0);
    for (let i = 0; i < 40; i++)
      meter = meterRead(meter, { mediaSec: 0.5, audioSec: 0.25, elapsedSec: 0.25, position: (i + 1) * 0.5 });
    const outcome = meterOutcome(meter, { ended: true, durationSec: 20, otherwise: 'other' });
    expect(outcome).toEqual({ listenedSec: 10, endReason: 'other' });
  });

  it('records a seek as such: a seek to the last seconds ends as userSkipped', () => {
    let meter = startMeter(0);
    for (let i = 1; i <= 40; i++)
      meter = meterRead(meter, { mediaSec: 0.25, audioSec: 0.25, elapsedSec: 0.25, position: i * 0.25 });
    meter = meterSeek(meter, 57);
    for (let i = 1; i <= 12; i++)
      meter = meterRead(meter, { mediaSec: 0.25, audioSec: 0.25, elapsedSec: 0.25, position: 57 + i * 0.25 });
    expect(meter.seeks).toBe(1);
    expect(meterOutcome(meter, { ended: true, durationSec: 60, otherwise: 'other' })).toEqual({
      listenedSec: 13,
      endReason: 'userSkipped',
    });
  });
});
