// The next track's stream, resolved in the last seconds of the current one so it starts at
// once: its manifest and first segment are preloaded into the engine.
import type { PlayContext, StreamView } from '../../shared/ipc/contract.js';
import type { AudioEngine } from '../services/audio-engine.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { Logger } from '../services/logger.js';
import type { QueueItem } from './queue-ops.js';

/** Seconds before the end of a track when the next one is prefetched. */
export const prefetchLeadSeconds = 12;

/**
 * A resolved stream that will not play (an unused prefetch, a load overtaken by a newer one) is
 * closed at once — reported as 0 s heard, as the service asks of prefetches — not left open
 * until sign-out.
 */
export function closeUnplayed(ipc: IpcClient, log: Logger, stream: StreamView): void {
  ipc
    .call('playback:reportPlay', { streamId: stream.streamId, listened: 0, endReason: 'other' })
    .catch((err: unknown) => log.warn('could not close a stream that did not play', err));
}

export type Prefetcher = {
  /** Resolves and preloads the stream of `item` (once: a request for it in flight or done is kept). */
  prefetch(item: QueueItem, context: PlayContext): void;
  /**
   * The stream prefetched for this queue item, taken for playing — waiting for its prefetch when
   * that is still on its way, so one track is never streamed twice —, or null. Any other
   * prefetch is dropped.
   */
  take(uid: string): Promise<StreamView | null>;
  /** Drops the prefetched stream (the queue or its order changed): main closes its play unheard. */
  forget(): void;
};

export function createPrefetcher(deps: { ipc: IpcClient; engine: AudioEngine; log: Logger }): Prefetcher {
  const { ipc, engine, log } = deps;
  let prefetched: { uid: string; stream: StreamView } | null = null;
  let pending: { uid: string; answer: Promise<void> } | null = null;
  const discard = (stream: StreamView): void => closeUnplayed(ipc, log, stream);
  const drop = (): void => {
    if (prefetched) discard(prefetched.stream);
    prefetched = null;
    pending = null; // its answer is discarded when it arrives
  };
  return {
    prefetch(item, context) {
      if (pending?.uid === item.uid || prefetched?.uid === item.uid) return;
      drop();
      const releaseId = item.track.release?.id;
      const request: { uid: string; answer: Promise<void> } = {
        uid: item.uid,
        answer: ipc
          .call('playback:prefetch', { trackId: item.track.id, ...(releaseId ? { releaseId } : {}), context })
          .then(
            (stream) => {
              if (pending !== request) {
                discard(stream);
                return;
              }
              pending = null;
              prefetched = { uid: item.uid, stream };
              engine.preload({
                url: stream.url,
                kind: stream.kind,
                trackId: item.track.id,
                ...(releaseId ? { releaseId } : {}),
              });
            },
            (err: unknown) => {
              if (pending === request) pending = null;
              log.warn('prefetch failed', err);
            },
          ),
      };
      pending = request;
    },
    async take(uid) {
      if (pending?.uid === uid) await pending.answer;
      if (prefetched?.uid === uid) {
        const { stream } = prefetched;
        prefetched = null;
        return stream;
      }
      drop();
      return null;
    },
    forget: drop,
  };
}
