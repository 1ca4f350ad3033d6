// The play meter: how much of a track was heard, and whether it ended naturally. It counts only
// what the audio clock says was rendered (services/audio-clock.ts), never more than the real
// time that passed, so seeks, stalls, buffering, a paused or hidden window and jumps of the
// media element add nothing. A seek is recorded as such. The end is natural only when the last
// seconds of the track were played through in real time: no seek, jump or changed rate on the
// way there. Pure: the property test (play-meter-property.test.ts) runs it with a fake clock.
import type { EndReason } from '../../shared/domain/play.js';
import type { AudioClockReading } from '../services/audio-clock.js';

export type { EndReason };

export type PlayMeter = {
  /** Where this play began (0, or a restored position). */
  readonly startPosition: number;
  /** The media position after the last reading or seek. */
  readonly position: number;
  /** Real seconds of audio heard. */
  readonly heardSec: number;
  /** Where the current unbroken real-time run began: reset by seeks, jumps and other rates. */
  readonly runStart: number;
  readonly seeks: number;
  readonly jumps: number;
};

/** The end counts as natural only if this many seconds before it (or the whole track) ran unbroken. */
export const naturalEndWindowSec = 10;
/** A position this far from where the rendered media should have left it is a jump. */
export const jumpToleranceSec = 0.35;
/** Rendered media and real time this far apart mean another rate than 1× (not real time). */
const rateToleranceSec = 0.05;

export function startMeter(position = 0): PlayMeter {
  const at = Math.max(0, position);
  return { startPosition: at, position: at, heardSec: 0, runStart: at, seeks: 0, jumps: 0 };
}

/** One reading of the audio clock. */
export function meterRead(meter: PlayMeter, reading: AudioClockReading): PlayMeter {
  const elapsed = finiteOr(reading.elapsedSec, 0);
  const media = Math.max(0, finiteOr(reading.mediaSec, 0));
  const audio = Math.max(0, finiteOr(reading.audioSec, 0));
  const position = Math.max(0, finiteOr(reading.position, meter.position));
  // Never more audio than real time: an engine that claims otherwise is believed only that far.
  const heard = Math.min(audio, elapsed);
  const jumped = Math.abs(position - (meter.position + media)) > jumpToleranceSec;
  const realTime = Math.abs(media - audio) <= rateToleranceSec && audio <= elapsed + rateToleranceSec;
  return {
    ...meter,
    position,
    heardSec: meter.heardSec + heard,
    runStart: jumped || !realTime ? position : meter.runStart,
    jumps: meter.jumps + (jumped ? 1 : 0),
  };
}

/** The listener (or the player) moved the playhead: nothing is heard across it. */
export function meterSeek(meter: PlayMeter, to: number): PlayMeter {
  const position = Math.max(0, finiteOr(to, meter.position));
  return { ...meter, position, runStart: position, seeks: meter.seeks + 1 };
}

export type PlayOutcome = { listenedSec: number; endReason: EndReason };

/**
 * How the play ended. `ended`: the media reached its end by itself (the engine's 'ended').
 * `otherwise`: the reason when it did not (the listener skipped, the player stopped).
 */
export function meterOutcome(
  meter: PlayMeter,
  end: { ended: boolean; durationSec?: number; otherwise: EndReason },
): PlayOutcome {
  const duration = end.durationSec !== undefined && end.durationSec > 0 ? end.durationSec : undefined;
  const listenedSec = duration === undefined ? meter.heardSec : Math.min(meter.heardSec, duration);
  if (!end.ended) return { listenedSec, endReason: end.otherwise };
  const end_ = duration ?? meter.position;
  const needed = Math.min(naturalEndWindowSec, end_);
  const natural = meter.runStart <= end_ - needed + jumpToleranceSec;
  return { listenedSec, endReason: natural ? 'naturalEnd' : meter.seeks > 0 ? 'userSkipped' : 'other' };
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}
