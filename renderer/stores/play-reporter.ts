// Reports each play to main by its stream id: meters what the engine's audio clock says was
// heard of the loaded stream (play-meter.ts), tells main when it starts, pauses, resumes and
// seeks (and, while it plays, every progressInterval of listening, so a crash loses little),
// and when it ends — or is left — sends {streamId, listened, endReason}. Main decided everything
// else about the play when it resolved the stream; it checks what is reported here.
import type { EndReason, StreamView } from '../../shared/ipc/contract.js';
import type { AudioClockReading } from '../services/audio-clock.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { Logger } from '../services/logger.js';
import { meterOutcome, meterRead, meterSeek, startMeter, type PlayMeter } from './play-meter.js';

/** While playing, main hears the listening so far at least this often (seconds heard). */
export const progressIntervalSec = 15;

export type PlayEnd = {
  /** The media reached its end by itself (the engine's 'ended'). */
  ended: boolean;
  /** Why it ended otherwise (the listener skipped, the player stopped). */
  otherwise: EndReason;
  durationSec?: number;
};

export type PlayReporter = {
  /** A stream was loaded: meter it from `position`. */
  start(stream: StreamView, position: number): void;
  /** Reads the audio clock (on every time update, and before anything else here). */
  sample(): void;
  /** The engine started or stopped rendering. */
  playing(playing: boolean): void;
  /** The player moves the playhead (a seek is recorded as such). */
  seek(to: number): void;
  /** The play in progress, for a radio skip (main closes it as skipped). */
  current(): { streamId: string; listened: number } | null;
  /** Reports the end of the play, then forgets it; resolves once main has it (or refused it). */
  finish(end: PlayEnd): Promise<void>;
  /** Forgets the play without reporting it (main already closed it, e.g. radio:skip). */
  discard(): void;
};

type Current = {
  stream: StreamView;
  meter: PlayMeter;
  started: boolean;
  paused: boolean;
  reportedAt: number;
};

export function createPlayReporter(deps: {
  ipc: IpcClient;
  log: Logger;
  readClock: () => AudioClockReading;
}): PlayReporter {
  // Long by design (over 80 lines): a createX factory whose closure is the play being metered; each method is short.
  const { ipc, log } = deps;
  let play: Current | null = null;

  const event = (p: Current, name: 'started' | 'paused' | 'resumed' | 'seeked' | 'progress') => {
    p.reportedAt = p.meter.heardSec;
    ipc
      .call('playback:reportPlayEvent', {
        streamId: p.stream.streamId,
        event: name,
        listened: p.meter.heardSec,
      })
      .catch((err: unknown) => log.warn(`play event ${name} refused`, err));
  };
  const sample = () => {
    if (!play) return;
    play.meter = meterRead(play.meter, deps.readClock());
    // Started when audio is first heard: a gapless engine plays on into the next track without
    // a new 'playing' event.
    if (!play.started && play.meter.heardSec > 0) {
      play.started = true;
      event(play, 'started');
    } else if (play.started && play.meter.heardSec - play.reportedAt >= progressIntervalSec) {
      event(play, 'progress');
    }
  };

  return {
    start(stream, position) {
      deps.readClock(); // what played before this stream is not its
      play = { stream, meter: startMeter(position), started: false, paused: false, reportedAt: 0 };
    },
    sample,
    playing(playing) {
      sample();
      if (!play) return;
      if (playing && !play.started) {
        play.started = true;
        event(play, 'started');
      } else if (playing && play.paused) {
        play.paused = false;
        event(play, 'resumed');
      } else if (!playing && play.started && !play.paused) {
        play.paused = true;
        event(play, 'paused');
      }
    },
    seek(to) {
      sample();
      if (!play) return;
      play.meter = meterSeek(play.meter, to);
      event(play, 'seeked');
    },
    current() {
      sample();
      return play ? { streamId: play.stream.streamId, listened: play.meter.heardSec } : null;
    },
    finish(end) {
      sample();
      const p = play;
      play = null;
      if (!p) return Promise.resolve();
      const durationSec = p.stream.durationSec ?? end.durationSec;
      const outcome = meterOutcome(p.meter, {
        ended: end.ended,
        otherwise: end.otherwise,
        ...(durationSec !== undefined ? { durationSec } : {}),
      });
      return ipc
        .call('playback:reportPlay', {
          streamId: p.stream.streamId,
          listened: outcome.listenedSec,
          endReason: outcome.endReason,
        })
        .then(
          () => undefined,
          (err: unknown) => log.error('reportPlay refused', err),
        );
    },
    discard() {
      play = null;
    },
  };
}
