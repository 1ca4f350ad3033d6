// The audio clock: what an audio output tells the play meter about what it really rendered.
// The meter (stores/play-meter.ts) counts only this, never differences of a playhead, so a seek,
// a stall, a paused or frozen window or a jump of the media element adds no listening time.
// Any engine feeds it: the <audio> engine through createElementClock below; a WebAudio graph
// from the frames it rendered (audioSec = output frames / output rate, mediaSec = source
// frames consumed / source rate).

/** Everything an engine rendered between two readings of its clock. */
export type AudioClockReading = {
  /** Media seconds actually rendered to the output since the previous reading (≥ 0). */
  mediaSec: number;
  /** Real seconds the output spent rendering that media (mediaSec / rate; = mediaSec at 1×). */
  audioSec: number;
  /** Real seconds since the previous reading, on a monotonic clock. */
  elapsedSec: number;
  /** The media position now (seconds from the start of the track). */
  position: number;
};

/** An engine's clock: each read() returns what happened since the previous one. */
export type AudioClock = { read(): AudioClockReading };

/** What the element clock sees of an HTMLMediaElement (a plain object in tests). */
export type MediaElementState = {
  currentTime: number;
  playbackRate: number;
  paused: boolean;
  seeking: boolean;
  ended: boolean;
};

/** A timeupdate may trail the output by a little; anything beyond this is not rendering. */
const slackSec = 0.25;

export type ElementClockEvent =
  | 'timeupdate'
  | 'play'
  | 'playing'
  | 'pause'
  | 'waiting'
  | 'seeking'
  | 'seeked'
  | 'ended'
  | 'ratechange'
  /** The engine is about to move the playhead itself: what played so far is counted first. */
  | 'seek';

export type ElementClock = AudioClock & {
  /** An element event (or the engine's own seek): the interval up to now is attributed first. */
  note(event: ElementClockEvent): void;
  /** A new source: nothing before this counts. */
  reset(): void;
};

/**
 * The audio clock of an <audio> element. The engine tells it every element event; each interval
 * between two events is judged by the state it started in: its media counts as rendered only if
 * the element was advancing through it (not paused, seeking, waiting or ended) and the playhead
 * moved forward by no more than real time allows. An interval in which the playhead jumped (a
 * 'seeking' the engine did not announce) is forfeited: the clock may under-count by one
 * interval (at most a timeupdate period, ~250 ms), never over-count.
 */
export function createElementClock(
  element: MediaElementState,
  nowMs: () => number = () => performance.now(),
): ElementClock {
  let lastAt = nowMs();
  let lastTime = element.currentTime;
  let waiting = false;
  let disrupted = false;
  let advancing = isAdvancing(element, waiting);
  let pending: AudioClockReading = { mediaSec: 0, audioSec: 0, elapsedSec: 0, position: lastTime };

  const sample = (): void => {
    const at = nowMs();
    const position = element.currentTime;
    const elapsedSec = Math.max(0, (at - lastAt) / 1000);
    const delta = position - lastTime;
    const rate = element.playbackRate > 0 ? element.playbackRate : 1;
    const mediaSec =
      advancing && !disrupted && delta > 0 && delta <= elapsedSec * rate + slackSec ? delta : 0;
    pending = {
      mediaSec: pending.mediaSec + mediaSec,
      audioSec: pending.audioSec + mediaSec / rate,
      elapsedSec: pending.elapsedSec + elapsedSec,
      position,
    };
    lastAt = at;
    lastTime = position;
    disrupted = false;
  };

  return {
    read() {
      sample();
      advancing = isAdvancing(element, waiting);
      const reading = pending;
      pending = { mediaSec: 0, audioSec: 0, elapsedSec: 0, position: reading.position };
      return reading;
    },
    note(event) {
      if (event === 'seeking') disrupted = true;
      sample();
      if (event === 'waiting') waiting = true;
      if (event === 'playing' || event === 'pause' || event === 'ended') waiting = false;
      advancing = isAdvancing(element, waiting);
    },
    reset() {
      lastAt = nowMs();
      lastTime = element.currentTime;
      disrupted = false;
      waiting = false;
      advancing = isAdvancing(element, waiting);
      pending = { mediaSec: 0, audioSec: 0, elapsedSec: 0, position: lastTime };
    },
  };
}

function isAdvancing(element: MediaElementState, waiting: boolean): boolean {
  return !element.paused && !element.seeking && !element.ended && !waiting;
}
