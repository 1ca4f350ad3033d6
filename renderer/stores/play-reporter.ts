// Reports each play to the core (playback:reportPlay): meters what was heard of the loaded
// stream, and when it ends (or is left) sends the report, which the core records durably.
import type { StreamView } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { Logger } from '../services/logger.js';
import {
  computePlayReport,
  meterSeek,
  meterTick,
  startMeter,
  type EndReason,
  type PlayMeter,
} from './play-meter.js';

export type PlayReporter = {
  /** A stream was loaded: start metering it from `position`. */
  start(trackId: string, position: number): void;
  tick(position: number): void;
  seek(position: number): void;
  /**
   * Reports what was heard of `stream`, then forgets it. Returns the seconds reported, 0 when
   * nothing was metered or nothing worth reporting was heard.
   */
  finish(endReason: EndReason, stream: StreamView | null, releaseId: string | undefined): number;
};

export function createPlayReporter(deps: { ipc: IpcClient; log: Logger }): PlayReporter {
  const { ipc, log } = deps;
  let meter: PlayMeter | null = null;
  return {
    start(trackId, position) {
      meter = startMeter(trackId, position);
    },
    tick(position) {
      if (meter) meter = meterTick(meter, position);
    },
    seek(position) {
      if (meter) meter = meterSeek(meter, position);
    },
    finish(endReason, stream, releaseId) {
      const m = meter;
      meter = null;
      if (!m || !stream) return 0;
      const report = computePlayReport(m, endReason, {
        preview: stream.logKind === 'preview',
        ...(stream.durationSec !== undefined ? { trackDuration: stream.durationSec } : {}),
      });
      if (!report) return 0;
      ipc
        .call('playback:reportPlay', {
          trackId: report.trackId,
          ...(releaseId ? { releaseId } : {}),
          durationPlayed: report.durationPlayed,
          endReason: report.endReason,
          context: stream.context,
          playMode: stream.playMode,
          logKind: stream.logKind,
          ...(stream.formatId !== undefined ? { formatId: stream.formatId } : {}),
        })
        .catch((err: unknown) => log.error('reportPlay failed', err));
      return report.durationPlayed;
    },
  };
}
