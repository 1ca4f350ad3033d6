// Royalty-grade play accounting in main. A play is opened when main resolves a stream (it knows
// the listener, the endpoint, the format, the play mode, the country and the radio session);
// the renderer reports only what it measured — {streamId, listened, endReason} and playback
// events — and this service decides whether that can be true before it records anything:
// an unknown or closed stream, another account's stream, more listening than the wall-clock time
// since the gateway first served the stream, or a "natural end" of a radio track before it could
// have played through are refused. Closing a play writes its play-log row in the same SQLite
// transaction (open-plays.ts). Sign-out, an account switch, quitting and a restart after a crash
// close the plays still open with the listening last reported.
import { randomUUID } from 'node:crypto';
import type { EndReason, LogKind } from '../../../shared/domain/play.js';
import type { StreamFormat } from '../../../shared/domain/stream.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreLogger } from '../media-gateway/upstream.js';
import type { OpenPlay, OpenPlayFields, OpenPlays } from '../play-log/open-plays.js';
import type { PlayLogService } from '../play-log/play-log-service.js';
import type { PlayAudit } from '../play-log/play-log-store.js';

export type PlayEvent = 'started' | 'paused' | 'resumed' | 'seeked' | 'progress';
export type PlayReport = { streamId: string; listened: number; endReason: EndReason };
export type RadioPlayEvent = {
  radioSessionId: string;
  trackId: string;
  eventType: 'start' | 'pause' | 'resume' | 'complete';
  durationPlayed?: number;
};

/** Reported listening may exceed the wall-clock time since the stream was first served by this much. */
export const listenSlackMs = 500;
/** A natural end needs at least this much of the end heard (the renderer's meter asks 10 s, minus losses). */
const naturalEndHeardSec = 8;
/** A radio track's natural end may come this much before its length has elapsed since it was served. */
const radioEndSlackMs = 1_000;

export type PlayAccountingDeps = {
  openPlays: OpenPlays;
  playLog: Pick<PlayLogService, 'recordPlay'>;
  now?: () => number;
  newId?: () => string;
  /** The events of radio plays, for the station's listening session (start, pause, resume, complete). */
  onRadioEvent?: (event: RadioPlayEvent) => void;
  log?: CoreLogger;
};

export type PlayAccounting = ReturnType<typeof createPlayAccounting>;

export function createPlayAccounting(deps: PlayAccountingDeps) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const { openPlays, playLog } = deps;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => `s-${randomUUID()}`);
  /** When the gateway first served each open stream's media (in memory: a restart closes them all). */
  const servedAt = new Map<string, number>();

  /** The open play `streamId` of `userId`, or the refusal a compromised renderer gets. */
  function ownPlay(userId: string, streamId: string): OpenPlay {
    const play = openPlays.get(streamId);
    if (!play)
      throw new AppError({ code: 'not_found', message: 'No such open stream: it is unknown or closed.' });
    if (play.userId !== userId)
      throw new AppError({ code: 'forbidden', message: 'This stream belongs to another account.' });
    return play;
  }

  /** Listening no longer than the stream has been served (wall clock), in ms. */
  function checkListened(play: OpenPlay, listened: number): number {
    const listenedMs = Math.round(listened * 1000);
    const since = servedAt.get(play.streamId);
    const possibleMs = since === undefined ? 0 : now() - since;
    if (listenedMs > possibleMs + listenSlackMs) {
      throw new AppError({
        code: 'invalid_input',
        message:
          since === undefined
            ? 'Nothing of this stream has been served: nothing can have been heard.'
            : `Listened ${(listenedMs / 1000).toFixed(1)} s, longer than the ${(possibleMs / 1000).toFixed(1)} s since the stream was served.`,
      });
    }
    return listenedMs;
  }

  function checkNaturalEnd(play: OpenPlay, listenedMs: number): void {
    const duration = play.play.durationSec;
    if (duration === undefined) return;
    if (listenedMs / 1000 < Math.min(naturalEndHeardSec, duration - 2))
      throw new AppError({ code: 'invalid_input', message: 'Too little was heard for a natural end.' });
    const since = servedAt.get(play.streamId);
    if (
      play.play.context === 'radio' &&
      (since === undefined || now() - since < duration * 1000 - radioEndSlackMs)
    )
      throw new AppError({
        code: 'invalid_input',
        message: 'A radio track cannot end before it has had time to play through.',
      });
  }

  /**
   * When the play's audio started: as first learnt (the renderer's 'started', or any report of
   * listening), put back by what was already heard — never before the stream was served.
   */
  function startedAt(play: OpenPlay, listenedMs: number, started: boolean): number | null {
    if (play.startedAt !== null) return play.startedAt;
    if (!started && listenedMs === 0) return null;
    return Math.max(servedAt.get(play.streamId) ?? play.openedAt, now() - listenedMs);
  }

  function check(userId: string, report: PlayReport): { play: OpenPlay; listenedMs: number } {
    const play = ownPlay(userId, report.streamId);
    const listenedMs = checkListened(play, report.listened);
    if (report.endReason === 'naturalEnd') checkNaturalEnd(play, listenedMs);
    return { play, listenedMs };
  }

  function radioEvent(play: OpenPlay, eventType: RadioPlayEvent['eventType'], durationPlayed?: number): void {
    const { radioSessionId, trackId } = play.play;
    if (play.play.context !== 'radio' || !radioSessionId) return;
    deps.onRadioEvent?.({
      radioSessionId,
      trackId,
      eventType,
      ...(durationPlayed === undefined ? {} : { durationPlayed }),
    });
  }

  /** Queues the play's log row (when anything worth reporting was heard) and closes it, in one transaction. */
  function close(
    play: OpenPlay,
    listenedMs: number,
    endReason: EndReason,
    closedBy: 'renderer' | 'main',
  ): { localId: string | null; durationPlayed: number } {
    const at = now();
    const { play: fields } = play;
    const since = servedAt.get(play.streamId);
    let seconds = Math.round(listenedMs / 1000);
    if (since !== undefined) seconds = Math.min(seconds, Math.floor((at - since + listenSlackMs) / 1000));
    if (fields.durationSec !== undefined) seconds = Math.min(seconds, Math.floor(fields.durationSec));
    const durationPlayed = Math.max(0, seconds);
    servedAt.delete(play.streamId);
    if (durationPlayed < 1 && endReason !== 'naturalEnd') {
      openPlays.remove(play.streamId);
      return { localId: null, durationPlayed };
    }
    const audit: PlayAudit = {
      streamId: play.streamId,
      context: fields.context,
      source: fields.source,
      listenedMs,
      seeks: play.seeks,
      pauses: play.pauses,
      openedAt: new Date(play.openedAt).toISOString(),
      startedAt: play.startedAt === null ? null : new Date(play.startedAt).toISOString(),
      closedAt: new Date(at).toISOString(),
      closedBy,
      endReason,
      radioSessionId: fields.radioSessionId ?? null,
    };
    const recorded = playLog.recordPlay(
      {
        kind: play.endpoint,
        playMode: fields.playMode,
        trackId: fields.trackId,
        userId: play.userId,
        clientId: fields.clientId,
        durationPlayed,
        country: fields.country,
        ...(fields.releaseId ? { releaseId: fields.releaseId } : {}),
        ...(fields.formatId !== undefined ? { formatId: fields.formatId } : {}),
        ...(play.endpoint !== 'preview' ? { endReason } : {}),
        timestamp: new Date(startedAt(play, listenedMs, false) ?? play.openedAt).toISOString(),
      },
      { audit, inTransaction: () => openPlays.remove(play.streamId) },
    );
    return { localId: recorded.localId, durationPlayed };
  }

  return {
    /** Opens a play for a stream main just resolved; returns its stream id. */
    open(userId: string, endpoint: LogKind, fields: OpenPlayFields): string {
      const streamId = newId();
      openPlays.open({ streamId, userId, endpoint, play: fields, openedAt: now() });
      return streamId;
    },

    /** The gateway served media of (trackId, source, format): the listener's open plays of it may be heard from now. */
    served(userId: string, stream: { trackId: string; source: string; format: StreamFormat }): void {
      for (const play of openPlays.list(userId)) {
        if (servedAt.has(play.streamId) || play.play.trackId !== stream.trackId) continue;
        if (play.play.source === stream.source && play.play.format === stream.format)
          servedAt.set(play.streamId, now());
      }
    },

    /** Validates a report without recording it (radio:skip checks before it spends a skip). */
    check,

    /** A playback event of an open play, with the listening so far. */
    event(userId: string, input: { streamId: string; event: PlayEvent; listened: number }): void {
      const play = ownPlay(userId, input.streamId);
      if (input.event === 'seeked' && play.play.context === 'radio')
        throw new AppError({ code: 'forbidden', message: 'A radio station plays on: it cannot seek.' });
      const listenedMs = checkListened(play, input.listened);
      const at = now();
      openPlays.progress(play.streamId, {
        startedAt: startedAt(play, listenedMs, input.event === 'started'),
        listenedMs: Math.max(play.listenedMs, listenedMs),
        seeks: play.seeks + (input.event === 'seeked' ? 1 : 0),
        pauses: play.pauses + (input.event === 'paused' ? 1 : 0),
        updatedAt: at,
      });
      if (input.event === 'started' && play.startedAt === null) radioEvent(play, 'start');
      if (input.event === 'paused') radioEvent(play, 'pause');
      if (input.event === 'resumed') radioEvent(play, 'resume');
    },

    /** The renderer's final report: validated, recorded durably, the play closed. */
    report(userId: string, report: PlayReport): { localId: string | null; durationPlayed: number } {
      const { play, listenedMs } = check(userId, report);
      const closed = close(play, listenedMs, report.endReason, 'renderer');
      if (report.endReason === 'naturalEnd') radioEvent(play, 'complete', closed.durationPlayed);
      return closed;
    },

    /**
     * Closes every open play of `userId` (or everyone's) with the listening last reported, as
     * 'other': sign-out, an account switch, quitting, or the plays a crashed run left open.
     */
    closeAll(userId?: string): number {
      let closed = 0;
      for (const play of openPlays.list(userId)) {
        try {
          close(play, play.listenedMs, 'other', 'main');
          closed += 1;
        } catch (error) {
          // It stays open (durably): the next start closes it, for the same listener.
          deps.log?.error('could not close an open play; it is closed at the next start', {
            streamId: play.streamId,
            error,
          });
        }
      }
      return closed;
    },

    get: (streamId: string): OpenPlay | null => openPlays.get(streamId),
  };
}
