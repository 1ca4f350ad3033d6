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
  /** The stream prefetched for this queue item, if any. */
  streamFor(uid: string): StreamView | null;
  /** Drops the prefetched stream (the queue or its order changed, or it was used). */
  forget(): void;
  /** Ignores the answer of a prefetch still in flight (another track is starting). */
  cancel(): void;
};

export function createPrefetcher(deps: { ipc: IpcClient; engine: AudioEngine; log: Logger }): Prefetcher {
  const { ipc, engine, log } = deps;
  let prefetched: { uid: string; stream: StreamView } | null = null;
  let prefetching: string | null = null;
  return {
    prefetch(item, context) {
      if (prefetching === item.uid || prefetched?.uid === item.uid) return;
      prefetching = item.uid;
      const releaseId = item.track.release?.id;
      ipc
        .call('playback:prefetch', { trackId: item.track.id, ...(releaseId ? { releaseId } : {}), context })
        .then((stream) => {
          if (prefetching !== item.uid) return;
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
    streamFor: (uid) => (prefetched && prefetched.uid === uid ? prefetched.stream : null),
    forget() {
      prefetched = null;
    },
    cancel() {
      prefetching = null;
    },
  };
}
