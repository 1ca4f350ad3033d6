// The next track's stream, resolved in the last seconds of the current one so it starts at
// once: its manifest and first segment are preloaded into the engine.
import type { PlayContext, StreamView } from '../../shared/ipc/contract.js';
import type { AudioEngine } from '../services/audio-engine.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { Logger } from '../services/logger.js';
import type { QueueItem } from './queue-ops.js';

/** Seconds before the end of a track when the next one is prefetched. */
export const prefetchLeadSeconds = 12;

export type Prefetcher = {
  /** Resolves and preloads the stream of `item` (once: a request for it in flight or done is kept). */
  prefetch(item: QueueItem, context: PlayContext): void;
  /** The stream prefetched for this queue item, taken for playing (null when there is none). */
  take(uid: string): StreamView | null;
  /** Drops the prefetched stream (the queue or its order changed): main closes its play unheard. */
  forget(): void;
  /** Drops the answer of a prefetch still in flight (another track is starting). */
  cancel(): void;
};

export function createPrefetcher(deps: { ipc: IpcClient; engine: AudioEngine; log: Logger }): Prefetcher {
  const { ipc, engine, log } = deps;
  let prefetched: { uid: string; stream: StreamView } | null = null;
  let prefetching: string | null = null;
  /**
   * A prefetched stream that will not play is closed at once (reported as 0 s heard, as the
   * service asks of prefetches), not left open until sign-out.
   */
  const discard = (stream: StreamView): void => {
    ipc
      .call('playback:reportPlay', { streamId: stream.streamId, listened: 0, endReason: 'other' })
      .catch((err: unknown) => log.warn('could not close an unused prefetch', err));
  };
  return {
    prefetch(item, context) {
      if (prefetching === item.uid || prefetched?.uid === item.uid) return;
      prefetching = item.uid;
      const releaseId = item.track.release?.id;
      ipc
        .call('playback:prefetch', { trackId: item.track.id, ...(releaseId ? { releaseId } : {}), context })
        .then((stream) => {
          if (prefetching !== item.uid) {
            discard(stream);
            return;
          }
          if (prefetched) discard(prefetched.stream);
          prefetched = { uid: item.uid, stream };
          engine.preload({
            url: stream.url,
            kind: stream.kind,
            trackId: item.track.id,
            ...(releaseId ? { releaseId } : {}),
          });
        })
        .catch((err: unknown) => log.warn('prefetch failed', err));
    },
    take(uid) {
      if (!prefetched || prefetched.uid !== uid) return null;
      const { stream } = prefetched;
      prefetched = null;
      prefetching = null;
      return stream;
    },
    forget() {
      if (prefetched) discard(prefetched.stream);
      prefetched = null;
      prefetching = null;
    },
    cancel() {
      prefetching = null;
    },
  };
}
