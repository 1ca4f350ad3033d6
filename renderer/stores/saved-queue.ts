// The queue as queue:save stores it and queue:getSaved gives it back. `tracks` is the original
// order; while shuffled, `shuffleOrder` maps play order to it.
import type { SavedQueue } from '../../shared/ipc/contract.js';
import { emptyQueue, makeItems, type Queue, type QueueItem } from './queue-ops.js';
import type { PlayerState } from './player-state.js';

export function toSavedQueue(
  state: Pick<PlayerState, 'queue' | 'repeat' | 'context'>,
  positionSec: number,
): SavedQueue {
  const { queue } = state;
  const base: SavedQueue = {
    tracks: queue.items.map((i) => i.track),
    index: queue.index,
    positionSec: Math.max(0, Math.floor(positionSec)),
    shuffle: queue.unshuffled !== null,
    repeat: state.repeat,
    context: state.context,
  };
  if (!queue.unshuffled) return base;
  const byUid = new Map(queue.items.map((i) => [i.uid, i]));
  const original = queue.unshuffled.map((u) => byUid.get(u)).filter((i): i is QueueItem => i !== undefined);
  const originalIndex = new Map(original.map((i, n) => [i.uid, n]));
  return {
    ...base,
    tracks: original.map((i) => i.track),
    shuffleOrder: queue.items.map((i) => originalIndex.get(i.uid) ?? 0),
  };
}

export function fromSavedQueue(saved: SavedQueue): Queue {
  const original = makeItems(saved.tracks);
  if (original.length === 0) return emptyQueue;
  const index = Math.min(Math.max(saved.index, 0), original.length - 1);
  if (saved.shuffle && saved.shuffleOrder && saved.shuffleOrder.length === original.length) {
    const items = saved.shuffleOrder.map((n) => original[n]).filter((i): i is QueueItem => i !== undefined);
    if (items.length === original.length) return { items, index, unshuffled: original.map((i) => i.uid) };
  }
  return { items: original, index, unshuffled: null };
}
