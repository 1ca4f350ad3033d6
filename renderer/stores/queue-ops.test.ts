import { describe, expect, it } from 'vitest';
import type { TrackView } from '../../shared/ipc/contract.js';
import {
  appendItems,
  currentItem,
  cycleRepeat,
  insertNext,
  makeItems,
  moveItem,
  nextIndex,
  previousIndex,
  removeItem,
  replaceQueue,
  setShuffle,
  type Queue,
} from './queue-ops.js';

const track = (id: string): TrackView => ({ id, title: `Track ${id}`, artist: { id: 'a1', name: 'Artist' } });
const ids = (q: Queue) => q.items.map((i) => i.track.id);
const seeded = (seed: number) => () => {
  seed = (seed * 16807) % 2147483647;
  return (seed - 1) / 2147483646;
};

describe('queue operations', () => {
  const five = () => replaceQueue(makeItems(['1', '2', '3', '4', '5'].map(track)), 2);

  it('plays next right after the current track and appends at the end', () => {
    const q = insertNext(five(), makeItems([track('x')]));
    expect(ids(q)).toEqual(['1', '2', '3', 'x', '4', '5']);
    expect(currentItem(q)?.track.id).toBe('3');
    expect(ids(appendItems(q, makeItems([track('y')])))).toEqual(['1', '2', '3', 'x', '4', '5', 'y']);
  });

  it('keeps the current track current when removing before it, and moves on when removing it', () => {
    const q = five();
    const first = q.items[0]!.uid;
    const removedBefore = removeItem(q, first);
    expect(currentItem(removedBefore)?.track.id).toBe('3');
    const removedCurrent = removeItem(q, q.items[2]!.uid);
    expect(currentItem(removedCurrent)?.track.id).toBe('4');
    const last = replaceQueue(makeItems([track('1'), track('2')]), 1);
    expect(currentItem(removeItem(last, last.items[1]!.uid))?.track.id).toBe('1');
    const only = replaceQueue(makeItems([track('1')]));
    expect(removeItem(only, only.items[0]!.uid).index).toBe(-1);
  });

  it('reorders without losing the current track', () => {
    const q = moveItem(five(), 0, 4);
    expect(ids(q)).toEqual(['2', '3', '4', '5', '1']);
    expect(currentItem(q)?.track.id).toBe('3');
    const movedCurrent = moveItem(five(), 2, 0);
    expect(ids(movedCurrent)).toEqual(['3', '1', '2', '4', '5']);
    expect(movedCurrent.index).toBe(0);
    const unchanged = five();
    expect(moveItem(unchanged, 0, 9)).toBe(unchanged);
  });

  it('shuffles with the current track first and restores the original order when turned off', () => {
    const q = five();
    const on = setShuffle(q, true, seeded(7));
    expect(currentItem(on)?.track.id).toBe('3');
    expect(on.index).toBe(0);
    expect([...ids(on)].sort()).toEqual(['1', '2', '3', '4', '5']);
    const moved = { ...on, index: 3 };
    const current = currentItem(moved)?.track.id;
    const off = setShuffle(moved, false);
    expect(ids(off)).toEqual(['1', '2', '3', '4', '5']);
    expect(currentItem(off)?.track.id).toBe(current);
  });

  it('keeps tracks added while shuffled when shuffle is turned off', () => {
    const on = setShuffle(five(), true, seeded(3));
    const added = insertNext(on, makeItems([track('x')]));
    expect(currentItem(added)?.track.id).toBe('3');
    expect(added.items[1]?.track.id).toBe('x');
    expect(ids(setShuffle(added, false))).toEqual(['1', '2', '3', 'x', '4', '5']);
  });

  it('advances by repeat mode: off stops at the end, all wraps, one replays only when a track ends by itself', () => {
    const atEnd = { ...five(), index: 4 };
    expect(nextIndex(atEnd, 'off', true)).toBeNull();
    expect(nextIndex(atEnd, 'all', true)).toBe(0);
    expect(nextIndex(atEnd, 'one', true)).toBe(4);
    expect(nextIndex(atEnd, 'one', false)).toBe(0);
    expect(nextIndex(five(), 'off', false)).toBe(3);
  });

  it('goes back a track in the first seconds and restarts the track later on', () => {
    expect(previousIndex(five(), 'off', 1)).toBe(1);
    expect(previousIndex(five(), 'off', 12)).toBe('restart');
    const atStart = { ...five(), index: 0 };
    expect(previousIndex(atStart, 'off', 0)).toBe('restart');
    expect(previousIndex(atStart, 'all', 0)).toBe(4);
  });

  it('cycles repeat off → all → one → off', () => {
    expect([cycleRepeat('off'), cycleRepeat('all'), cycleRepeat('one')]).toEqual(['all', 'one', 'off']);
  });
});
