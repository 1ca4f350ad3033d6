// Pure queue operations. The queue is kept in play order; when shuffled, `unshuffled`
// remembers the original order (by uid) so turning shuffle off restores it.
import type { RepeatMode, TrackView } from '../../shared/ipc/contract.js';

export type { RepeatMode };
export type QueueItem = { uid: string; track: TrackView };
export type Queue = {
  items: QueueItem[];
  /** Index of the current item, -1 when the queue is empty. */
  index: number;
  /** Original order (uids) while shuffle is on, null when off. */
  unshuffled: string[] | null;
};

export const emptyQueue: Queue = { items: [], index: -1, unshuffled: null };

let uidCounter = 0;
export function makeItems(tracks: TrackView[]): QueueItem[] {
  return tracks.map((track) => {
    uidCounter += 1;
    return { uid: `q${Date.now().toString(36)}-${uidCounter}`, track };
  });
}

export function currentItem(q: Queue): QueueItem | undefined {
  return q.index >= 0 ? q.items[q.index] : undefined;
}

/** Replaces the queue with `items`, starting at `start`. */
export function replaceQueue(items: QueueItem[], start = 0): Queue {
  if (items.length === 0) return emptyQueue;
  return { items, index: Math.min(Math.max(start, 0), items.length - 1), unshuffled: null };
}

export function appendItems(q: Queue, items: QueueItem[]): Queue {
  if (items.length === 0) return q;
  return {
    items: [...q.items, ...items],
    index: q.index < 0 ? 0 : q.index,
    unshuffled: q.unshuffled ? [...q.unshuffled, ...items.map((i) => i.uid)] : null,
  };
}

/** Inserts `items` right after the current item. */
export function insertNext(q: Queue, items: QueueItem[]): Queue {
  if (items.length === 0) return q;
  const at = q.index + 1;
  const next = [...q.items.slice(0, at), ...items, ...q.items.slice(at)];
  let unshuffled = q.unshuffled;
  if (unshuffled) {
    const cur = currentItem(q);
    const curPos = cur ? unshuffled.indexOf(cur.uid) : -1;
    unshuffled = [
      ...unshuffled.slice(0, curPos + 1),
      ...items.map((i) => i.uid),
      ...unshuffled.slice(curPos + 1),
    ];
  }
  return { items: next, index: q.index < 0 ? 0 : q.index, unshuffled };
}

/** Inserts `items` at index `at` (in play order); the current item stays current. */
export function insertAt(q: Queue, items: QueueItem[], at: number): Queue {
  if (items.length === 0) return q;
  const pos = Math.max(0, Math.min(at, q.items.length));
  const next = [...q.items.slice(0, pos), ...items, ...q.items.slice(pos)];
  const index = q.index < 0 ? 0 : q.index >= pos ? q.index + items.length : q.index;
  return { items: next, index, unshuffled: q.unshuffled ? next.map((i) => i.uid) : null };
}

export function removeItem(q: Queue, uid: string): Queue {
  const at = q.items.findIndex((i) => i.uid === uid);
  if (at < 0) return q;
  const items = q.items.filter((i) => i.uid !== uid);
  let index = q.index;
  if (items.length === 0) index = -1;
  else if (at < q.index) index = q.index - 1;
  else if (at === q.index) index = Math.min(q.index, items.length - 1);
  return { items, index, unshuffled: q.unshuffled ? q.unshuffled.filter((u) => u !== uid) : null };
}

/** Moves the item at `from` to `to` (indices in play order); the current item stays current. */
export function moveItem(q: Queue, from: number, to: number): Queue {
  if (from === to || from < 0 || to < 0 || from >= q.items.length || to >= q.items.length) return q;
  const items = [...q.items];
  const [moved] = items.splice(from, 1);
  if (!moved) return q;
  items.splice(to, 0, moved);
  const cur = currentItem(q);
  const index = cur ? items.findIndex((i) => i.uid === cur.uid) : q.index;
  // A manual reorder while shuffled becomes the new "original" order too.
  return { items, index, unshuffled: q.unshuffled ? items.map((i) => i.uid) : null };
}

/** Fisher–Yates with an injectable random source (tests pass a seeded one). */
export function shuffled<T>(values: T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** Shuffle on: the current item moves to the front, the rest are shuffled after it. Off: original order back. */
export function setShuffle(q: Queue, on: boolean, random: () => number = Math.random): Queue {
  if (on === (q.unshuffled !== null)) return q;
  const cur = currentItem(q);
  if (on) {
    const rest = q.items.filter((i) => i.uid !== cur?.uid);
    const items = cur ? [cur, ...shuffled(rest, random)] : shuffled(rest, random);
    return { items, index: items.length ? 0 : -1, unshuffled: q.items.map((i) => i.uid) };
  }
  const byUid = new Map(q.items.map((i) => [i.uid, i]));
  const items = (q.unshuffled ?? []).map((u) => byUid.get(u)).filter((i): i is QueueItem => i !== undefined);
  // Items the original order does not know (should not happen) keep their place at the end.
  for (const i of q.items) if (!q.unshuffled?.includes(i.uid)) items.push(i);
  const index = cur ? items.findIndex((i) => i.uid === cur.uid) : q.index;
  return { items, index, unshuffled: null };
}

/**
 * The index to play after the current one, or null to stop.
 * `auto` is true when the current track ended by itself (repeat-one replays it);
 * a user pressing Next always moves on.
 */
export function nextIndex(q: Queue, repeat: RepeatMode, auto: boolean): number | null {
  if (q.items.length === 0) return null;
  if (auto && repeat === 'one') return q.index;
  if (q.index + 1 < q.items.length) return q.index + 1;
  return repeat === 'off' ? null : 0;
}

/** Previous: restart the current track when more than 3 s in, else go back one (wrapping with repeat all). */
export function previousIndex(q: Queue, repeat: RepeatMode, positionSeconds: number): number | 'restart' {
  if (q.items.length === 0) return 'restart';
  if (positionSeconds > 3) return 'restart';
  if (q.index > 0) return q.index - 1;
  return repeat === 'all' ? q.items.length - 1 : 'restart';
}

export function cycleRepeat(mode: RepeatMode): RepeatMode {
  return mode === 'off' ? 'all' : mode === 'all' ? 'one' : 'off';
}
