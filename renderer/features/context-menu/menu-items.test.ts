// What each context menu offers and what its entries call.
import { describe, expect, it, vi } from 'vitest';
import type { TrackView } from '../../../shared/ipc/contract.js';
import { menuItems, type MenuActions } from './menu-items.js';

const track: TrackView = {
  id: 't1',
  title: 'Glass Harbour',
  artist: { id: 'a1', name: 'Aurora Vale' },
  release: { id: 'r1', title: 'Harbour Lights' },
};
const fromPlaylist: TrackView = {
  id: 't2',
  title: 'Low Sun',
  artist: { id: 'name:Aurora Vale', name: 'Aurora Vale' },
};

function actions(liked = false): MenuActions {
  return {
    playTracks: vi.fn(async () => undefined),
    playNext: vi.fn(),
    addToQueue: vi.fn(),
    removeFromQueue: vi.fn(),
    openAddToPlaylist: vi.fn(),
    removeFromPlaylist: vi.fn(async () => undefined),
    toggleLiked: vi.fn(async () => undefined),
    isLiked: () => liked,
    startArtistRadio: vi.fn(async () => undefined),
    navigate: vi.fn(),
    tracksOfRelease: vi.fn(async () => [track]),
    resolveTrack: vi.fn(async (t: TrackView) => ({
      ...t,
      artist: { id: 'a1', name: t.artist.name },
      release: { id: 'r9', title: 'X' },
    })),
  };
}

const labels = (items: { label: string }[]) => items.map((i) => i.label);
const run = async (items: { label: string; run: () => unknown }[], label: string) =>
  items.find((i) => i.label === label)!.run();

describe('context menu entries', () => {
  it('offers a track’s queue, playlist, like, go-to and radio entries; queue and playlist rows add Remove', () => {
    expect(labels(menuItems({ kind: 'track', track }, actions()))).toEqual([
      'Play',
      'Play next',
      'Add to queue',
      'Add to playlist…',
      'Add to Liked songs',
      'Go to artist',
      'Go to release',
      'Start artist radio',
    ]);
    expect(labels(menuItems({ kind: 'track', track, queueUid: 'q1' }, actions(true)))).toContain(
      'Remove from queue',
    );
    expect(labels(menuItems({ kind: 'track', track }, actions(true)))).toContain('Remove from Liked songs');
    const inPlaylist = menuItems(
      { kind: 'track', track, playlist: { playlistId: 'p1', playlistTrackId: 'e1', name: 'Road Trip' } },
      actions(),
    );
    expect(labels(inPlaylist)).toContain('Remove from “Road Trip”');
  });

  it('resolves a playlist entry known only by name before going to its artist or release', async () => {
    const a = actions();
    await run(menuItems({ kind: 'track', track: fromPlaylist }, a), 'Go to artist');
    expect(a.resolveTrack).toHaveBeenCalledWith(fromPlaylist);
    expect(a.navigate).toHaveBeenCalledWith({ name: 'artist', artistId: 'a1' });
    await run(menuItems({ kind: 'track', track: fromPlaylist }, a), 'Go to release');
    expect(a.navigate).toHaveBeenCalledWith({ name: 'release', releaseId: 'r9' });
  });

  it('plays a purchase as a locker stream when the menu says so', async () => {
    const a = actions();
    await run(menuItems({ kind: 'track', track, context: 'locker' }, a), 'Play');
    expect(a.playTracks).toHaveBeenCalledWith([track], 'locker');
    const release = { id: 'r1', title: 'Harbour Lights', artist: { id: 'a1', name: 'Aurora Vale' } };
    await run(menuItems({ kind: 'release', release, context: 'locker' }, a), 'Play');
    expect(a.playTracks).toHaveBeenLastCalledWith([track], 'locker');
  });

  it('plays, queues and adds a release’s tracks; an artist opens or starts its radio', async () => {
    const a = actions();
    const release = { id: 'r1', title: 'Harbour Lights', artist: { id: 'a1', name: 'Aurora Vale' } };
    const items = menuItems({ kind: 'release', release }, a);
    await run(items, 'Play next');
    expect(a.tracksOfRelease).toHaveBeenCalledWith('r1');
    expect(a.playNext).toHaveBeenCalledWith([track]);
    await run(items, 'Add to playlist…');
    expect(a.openAddToPlaylist).toHaveBeenCalledWith([track]);
    const artistItems = menuItems({ kind: 'artist', artist: release.artist }, a);
    expect(labels(artistItems)).toEqual(['Go to artist', 'Start artist radio']);
    await run(artistItems, 'Start artist radio');
    expect(a.startArtistRadio).toHaveBeenCalledWith(release.artist);
  });
});
