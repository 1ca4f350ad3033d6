// Issue 13's everyday comforts at the store level, against the fake bridge and engine
// (testing/): the sleep timer, queue Undo, the duplicate warning and playlist Undo, "Liked
// songs" as a private playlist. The e2e tests (e2e/comforts.spec.ts) drive the same through the
// real core and the emulator.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlaylistView, TrackView } from '../../shared/ipc/contract.js';
import { createIpcClient } from '../services/ipc-client.js';
import { createAppStores, type AppStores } from './app-stores.js';
import { findLikedPlaylist, likedPlaylistName } from './liked.js';
import { currentItem } from './queue-ops.js';
import { createFakeBridge, type FakeBridge } from './testing/fake-bridge.js';
import { createFakeEngine, type FakeEngine } from './testing/fake-engine.js';
import { settle, stream, track } from './testing/fixtures.js';

let bridge: FakeBridge;
let engine: FakeEngine;
let stores: AppStores;

/** An in-memory playlist service behind the fake bridge (ids and entry ids as the core gives them). */
function fakePlaylists(initial: PlaylistView[]) {
  const lists = new Map(initial.map((p) => [p.id, p]));
  let nextEntry = 100;
  const renumber = (p: PlaylistView): PlaylistView => {
    const tracks = p.tracks.map((t, i) => ({ ...t, position: i + 1 }));
    const view = { ...p, tracks, trackCount: tracks.length };
    lists.set(p.id, view);
    return view;
  };
  const entry = (t: TrackView) => ({
    playlistTrackId: String(nextEntry++),
    trackId: t.id,
    title: t.title,
    artist: t.artist.name,
    position: 0,
  });
  bridge.handle('playlists:list', () => ({
    items: [...lists.values()].map(({ tracks: _t, ...summary }) => summary),
    page: 1,
    pageSize: 100,
    totalItems: lists.size,
  }));
  bridge.handle('playlists:get', ({ playlistId }) => lists.get(playlistId)!);
  bridge.handle('playlists:create', ({ name, visibility, tracks }) =>
    renumber({
      id: `p${lists.size + 1}`,
      name,
      visibility: visibility ?? 'private',
      trackCount: 0,
      tracks: (tracks ?? []).map(entry),
    }),
  );
  bridge.handle('playlists:addTracks', ({ playlistId, tracks }) => {
    const p = lists.get(playlistId)!;
    return renumber({ ...p, tracks: [...p.tracks, ...tracks.map(entry)] });
  });
  bridge.handle('playlists:removeTrack', ({ playlistId, playlistTrackId }) => {
    const p = lists.get(playlistId)!;
    return renumber({ ...p, tracks: p.tracks.filter((t) => t.playlistTrackId !== playlistTrackId) });
  });
  bridge.handle('playlists:moveTrack', ({ playlistId, playlistTrackId, toPosition }) => {
    const p = lists.get(playlistId)!;
    const rest = p.tracks.filter((t) => t.playlistTrackId !== playlistTrackId);
    rest.splice(
      toPosition - 1,
      0,
      p.tracks.find((t) => t.playlistTrackId === playlistTrackId)!,
    );
    return renumber({ ...p, tracks: rest });
  });
  return { lists, titles: (id: string) => lists.get(id)!.tracks.map((t) => t.title) };
}

const withTracks = (id: string, name: string, tracks: TrackView[]): PlaylistView => ({
  id,
  name,
  visibility: 'private',
  trackCount: tracks.length,
  tracks: tracks.map((t, i) => ({
    playlistTrackId: `${id}-${i}`,
    trackId: t.id,
    title: t.title,
    artist: t.artist.name,
    position: i + 1,
  })),
});

beforeEach(() => {
  bridge = createFakeBridge();
  engine = createFakeEngine();
  bridge.handle('playback:resolveStream', ({ trackId }) => stream(trackId));
  bridge.handle('playback:reportPlay', () => ({ localId: 'l1' }));
  stores = createAppStores({ ipc: createIpcClient(bridge), engine });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sleep timer', () => {
  it('at the end of this track: the next track is loaded but does not play, and the timer is off', async () => {
    await stores.player.getState().playTracks([track('1'), track('2'), track('3')]);
    stores.sleep.getState().setEndOfTrack();
    stores.player.getState().onEnded();
    await settle();
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
    expect(engine.loads.at(-1)).toMatchObject({
      source: { url: expect.stringContaining('/2.') },
      autoplay: false,
    });
    expect(stores.sleep.getState().timer).toEqual({ mode: 'off' });
    // The next end of track plays on as usual.
    stores.player.getState().onEnded();
    await settle();
    expect(engine.loads.at(-1)?.source.url).toContain('/3.');
    expect(engine.loads.at(-1)).not.toHaveProperty('autoplay');
  });
});

describe('queue', () => {
  it('removing a track offers Undo, which puts it back at its place without playing it', async () => {
    await stores.player.getState().playTracks([track('1'), track('2'), track('3')]);
    const uid = stores.player.getState().queue.items[1]!.uid;
    stores.player.getState().removeFromQueue(uid);
    const toast = stores.ui.getState().toasts.at(-1);
    expect(toast).toMatchObject({ message: 'Removed “Track 2” from the queue', action: { label: 'Undo' } });
    const loads = engine.loads.length;
    toast?.action?.run();
    const queue = stores.player.getState().queue;
    expect(queue.items.map((i) => i.track.id)).toEqual(['1', '2', '3']);
    expect(currentItem(queue)?.track.id).toBe('1');
    expect(engine.loads).toHaveLength(loads);
  });
});

describe('playlists', () => {
  it('warns before adding tracks the playlist already holds, and adds what the listener chooses', async () => {
    const service = fakePlaylists([withTracks('p1', 'Road Trip', [track('1'), track('2')])]);
    await stores.playlists.getState().addTracks('p1', [track('2'), track('3')]);
    expect(stores.playlists.getState().duplicatePrompt).toMatchObject({
      playlistName: 'Road Trip',
      duplicates: [{ id: '2' }],
    });
    expect(bridge.callsTo('playlists:addTracks')).toEqual([]);
    await stores.playlists.getState().resolveDuplicates('addNew');
    expect(service.titles('p1')).toEqual(['Track 1', 'Track 2', 'Track 3']);
    await stores.playlists.getState().addTracks('p1', [track('1')]);
    await stores.playlists.getState().resolveDuplicates('addAll');
    expect(service.titles('p1')).toEqual(['Track 1', 'Track 2', 'Track 3', 'Track 1']);
    await stores.playlists.getState().addTracks('p1', [track('2')]);
    await stores.playlists.getState().resolveDuplicates('cancel');
    expect(service.titles('p1')).toHaveLength(4);
    expect(stores.playlists.getState().duplicatePrompt).toBeNull();
  });

  it('removing a track offers Undo, which puts it back at its place', async () => {
    const service = fakePlaylists([withTracks('p1', 'Road Trip', [track('1'), track('2'), track('3')])]);
    await stores.playlists.getState().open('p1');
    await stores.playlists.getState().removeTrack('p1', 'p1-1');
    expect(service.titles('p1')).toEqual(['Track 1', 'Track 3']);
    const toast = stores.ui.getState().toasts.at(-1);
    expect(toast).toMatchObject({ message: 'Removed “Track 2” from “Road Trip”', action: { label: 'Undo' } });
    toast?.action?.run();
    await vi.waitFor(() => expect(service.titles('p1')).toEqual(['Track 1', 'Track 2', 'Track 3']));
  });

  it('sends quick moves one after another, in order', async () => {
    const service = fakePlaylists([withTracks('p1', 'Road Trip', [track('1'), track('2'), track('3')])]);
    await stores.playlists.getState().open('p1');
    await Promise.all([
      stores.playlists.getState().moveTrack('p1', 'p1-0', 2),
      stores.playlists.getState().moveTrack('p1', 'p1-0', 3),
    ]);
    expect(service.titles('p1')).toEqual(['Track 2', 'Track 3', 'Track 1']);
    const open = stores.playlists.getState().current;
    expect(open.status === 'ready' && open.data.tracks.map((t) => t.title)).toEqual([
      'Track 2',
      'Track 3',
      'Track 1',
    ]);
  });
});

describe('liked songs', () => {
  it('creates the private “Liked songs” playlist on the first like, then adds and removes', async () => {
    const service = fakePlaylists([withTracks('p1', 'Road Trip', [])]);
    bridge.handle('playlists:list', () => ({
      items: [...service.lists.values()].map(({ tracks: _t, ...summary }) => summary),
      page: 1,
      pageSize: 100,
      totalItems: service.lists.size,
    }));
    const liked = () => stores.liked.getState();
    await liked().load();
    expect(liked().playlistId).toBeNull();
    await liked().toggle(track('7'));
    const id = liked().playlistId!;
    expect(service.lists.get(id)).toMatchObject({ name: likedPlaylistName, visibility: 'private' });
    expect(liked().entries.has('7')).toBe(true);
    await liked().toggle(track('8'));
    await liked().toggle(track('7'));
    expect(service.titles(id)).toEqual(['Track 8']);
    expect([...liked().entries.keys()]).toEqual(['8']);
    expect(bridge.callsTo('playlists:create')).toHaveLength(1);
    expect(findLikedPlaylist([...service.lists.values()])?.id).toBe(id);
  });
});
