// Tracks, streams and a promise flush shared by the store tests.
import type { StreamView, TrackView } from '../../../shared/ipc/contract.js';

export const track = (id: string, durationSec = 200): TrackView => ({
  id,
  title: `Track ${id}`,
  artist: { id: 'artist-1', name: 'The Emulators' },
  release: { id: 'rel-1', title: 'Loopback' },
  durationSec,
});

export function stream(trackId: string, overrides: Partial<StreamView> = {}): StreamView {
  return {
    streamId: `s-${trackId}`,
    trackId,
    url: `http://127.0.0.1:9/media/${trackId}.m3u8`,
    kind: 'hls',
    playMode: 'online',
    logKind: 'subscriber',
    context: 'subscription',
    durationSec: 200,
    ...overrides,
  };
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
