// What listeners hit (issue 13), against the fake bridge and fake engine: Next while another
// device holds the stream keeps the title and shows the notice; the offline library loads with
// the status; a download that is already saved says where, with "Show in folder".
import { beforeEach, describe, expect, it } from 'vitest';
import { createIpcClient } from '../services/ipc-client.js';
import { createAppStores, type AppStores } from './app-stores.js';
import { createFakeBridge, type FakeBridge } from './testing/fake-bridge.js';
import { createFakeEngine, type FakeEngine } from './testing/fake-engine.js';
import { settle, stream, track } from './testing/fixtures.js';
import { currentItem } from './queue-ops.js';

let bridge: FakeBridge;
let engine: FakeEngine;
let stores: AppStores;

beforeEach(() => {
  bridge = createFakeBridge();
  engine = createFakeEngine();
  bridge.handle('playback:resolveStream', ({ trackId, context }) => stream(trackId, { context }));
  bridge.handle('playback:reportPlay', () => ({ localId: 'l1' }));
  bridge.handle('playback:reportPlayEvent', () => null);
  stores = createAppStores({ ipc: createIpcClient(bridge), engine, random: () => 0.5 });
});

describe('another device took over the stream', () => {
  it('Next and Previous keep the title and show the takeover notice again', async () => {
    await stores.player.getState().playTracks([track('1'), track('2'), track('3')], 1);
    stores.ui.getState().setTakeover({ message: 'Playback moved to another device', trackId: '2' });
    const notice = stores.ui.getState().takeover;
    await stores.player.getState().next();
    await stores.player.getState().previous();
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
    expect(bridge.callsTo('playback:resolveStream')).toHaveLength(1);
    expect(stores.ui.getState().takeover).toMatchObject({ trackId: '2' });
    expect(stores.ui.getState().takeover).not.toBe(notice); // shown again
  });

  it('after "Play here" Next changes the track again', async () => {
    bridge.handle('playback:reclaimStream', ({ trackId }) => stream(trackId));
    await stores.player.getState().playTracks([track('1'), track('2')]);
    stores.ui.getState().setTakeover({ message: 'Playback moved to another device', trackId: '1' });
    await stores.player.getState().reclaimStream();
    await stores.player.getState().next();
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
  });
});

describe('offline library and downloads', () => {
  it('loads what is kept offline with the status', async () => {
    bridge.handle('offline:getStatus', () => ({
      deviceAuthorised: true,
      usedBytes: 10,
      quotaBytes: 100,
      items: [],
      cachedTrackIds: ['1'],
    }));
    bridge.handle('offline:getLibrary', () => [
      {
        itemId: 'release:77',
        kind: 'release',
        release: { id: '77', title: 'Glass Harbour', artist: { id: '5', name: 'Aurora Vale' } },
        tracks: [track('1')],
      },
    ]);
    await stores.offline.getState().load();
    expect(stores.offline.getState().library.map((i) => i.itemId)).toEqual(['release:77']);
  });

  it('a download already saved says where it is, with "Show in folder"', async () => {
    bridge.handle('downloads:start', () => ({
      downloadId: 'release-77-saved',
      kind: 'release',
      itemId: '77',
      title: 'Aurora Vale - Glass Harbour.zip',
      state: 'done',
      receivedBytes: 5,
      totalBytes: 5,
      filePath: '/home/a/Downloads/Septet/Aurora Vale - Glass Harbour.zip',
    }));
    bridge.handle('downloads:showInFolder', () => null);
    await stores.library.getState().download('release', '77', 'Glass Harbour');
    const toast = stores.ui.getState().toasts.at(-1);
    expect(toast?.message).toBe('Saved “Aurora Vale - Glass Harbour.zip” to /home/a/Downloads/Septet');
    toast?.action?.run();
    await settle();
    expect(bridge.callsTo('downloads:showInFolder')).toEqual([{ downloadId: 'release-77-saved' }]);
  });
});
