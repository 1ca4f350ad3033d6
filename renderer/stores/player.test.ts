// Store actions against an in-memory fake bridge and a fake audio engine (see
// testing/); the real bridge, core and <audio> are covered by the e2e tests.
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { createIpcClient } from '../services/ipc-client.js';
import { createAppStores, type AppStores } from './app-stores.js';
import { createFakeBridge, type FakeBridge } from './testing/fake-bridge.js';
import { createFakeEngine, type FakeEngine } from './testing/fake-engine.js';
import { settle, stream, track } from './testing/fixtures.js';
import { fromSavedQueue, toSavedQueue } from './saved-queue.js';
import { currentItem } from './queue-ops.js';

let bridge: FakeBridge;
let engine: FakeEngine;
let stores: AppStores;

function listen(from: number, to: number) {
  for (let p = from; p <= to; p += 0.25) stores.player.getState().onTime(p, 200);
}

beforeEach(() => {
  bridge = createFakeBridge();
  engine = createFakeEngine();
  bridge.handle('playback:resolveStream', ({ trackId, context }) => stream(trackId, { context }));
  bridge.handle('playback:prefetch', ({ trackId, context }) =>
    stream(trackId, { context, url: `http://127.0.0.1:9/prefetched/${trackId}.m3u8` }),
  );
  bridge.handle('playback:reportPlay', () => ({ localId: 'l1' }));
  stores = createAppStores({ ipc: createIpcClient(bridge), engine, random: () => 0.5 });
});

describe('player store (fake bridge)', () => {
  it('resolves a stream for the chosen track and loads it into the engine', async () => {
    await stores.player.getState().playTracks([track('1'), track('2'), track('3')], 1);
    expect(bridge.callsTo('playback:resolveStream')).toEqual([
      { trackId: '2', releaseId: 'rel-1', context: 'subscription' },
    ]);
    expect(engine.loads.map((l) => l.source.url)).toEqual(['http://127.0.0.1:9/media/2.m3u8']);
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
  });

  it('reports a natural end with what was heard and the stream’s play mode, then plays the next track', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    listen(0, 60);
    stores.player.getState().onEnded();
    await settle();
    expect(bridge.callsTo('playback:reportPlay')).toEqual([
      {
        trackId: '1',
        releaseId: 'rel-1',
        durationPlayed: 60,
        endReason: 'naturalEnd',
        context: 'subscription',
        playMode: 'online',
        logKind: 'subscriber',
      },
    ]);
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
  });

  it('reports a skip as userSkipped', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    listen(0, 12);
    await stores.player.getState().next();
    expect(bridge.callsTo('playback:reportPlay')).toMatchObject([
      { trackId: '1', durationPlayed: 12, endReason: 'userSkipped' },
    ]);
  });

  it('reports previews for listeners without a subscription, capped at 30 s', async () => {
    bridge.handle('playback:resolveStream', ({ trackId }) =>
      stream(trackId, { logKind: 'preview', durationSec: 30 }),
    );
    await stores.player.getState().playTracks([track('1')]);
    listen(0, 30);
    stores.player.getState().onEnded();
    await settle();
    expect(bridge.callsTo('playback:reportPlay')).toMatchObject([
      { trackId: '1', durationPlayed: 30, endReason: 'naturalEnd', logKind: 'preview' },
    ]);
  });

  it('prefetches the next track in the last seconds and starts it from the prefetched stream', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    listen(180, 195);
    await settle();
    expect(bridge.callsTo('playback:prefetch')).toEqual([
      { trackId: '2', releaseId: 'rel-1', context: 'subscription' },
    ]);
    expect(engine.preloads.map((s) => s.url)).toEqual(['http://127.0.0.1:9/prefetched/2.m3u8']);
    stores.player.getState().onEnded();
    await settle();
    expect(bridge.callsTo('playback:resolveStream')).toHaveLength(1);
    expect(engine.loads.at(-1)?.source.url).toBe('http://127.0.0.1:9/prefetched/2.m3u8');
  });

  it('shows the takeover notice when another device holds the stream, and takes it back on request', async () => {
    bridge.handle('playback:resolveStream', () => {
      throw new AppError({
        code: 'concurrent_stream',
        message: 'Stream in use elsewhere',
        serviceCode: 3201,
      });
    });
    bridge.handle('playback:reclaimStream', ({ trackId }) => stream(trackId));
    await stores.player.getState().playTracks([track('1')]);
    expect(stores.ui.getState().takeover).toMatchObject({
      message: 'Playback moved to another device',
      trackId: '1',
    });
    await stores.player.getState().reclaimStream();
    expect(bridge.callsTo('playback:reclaimStream')).toEqual([{ trackId: '1' }]);
    expect(stores.ui.getState().takeover).toBeNull();
    expect(engine.loads).toHaveLength(1);
  });

  it('shows an API error with a Retry that tries again', async () => {
    let fail = true;
    bridge.handle('playback:resolveStream', ({ trackId }) => {
      if (fail) throw new AppError({ code: 'network', message: 'Connection refused' });
      return stream(trackId);
    });
    await stores.player.getState().playTracks([track('1')]);
    const toast = stores.ui.getState().toasts[0];
    expect(toast).toMatchObject({ kind: 'error', message: 'Connection refused' });
    fail = false;
    toast?.retry?.();
    await settle();
    expect(engine.loads).toHaveLength(1);
  });

  it('restores the saved queue and resumes at the saved position on Play', async () => {
    bridge.handle('queue:getSaved', () => ({
      tracks: [track('1'), track('2')],
      index: 1,
      positionSec: 42,
      shuffle: false,
      repeat: 'all',
      context: 'subscription',
    }));
    await stores.player.getState().restore();
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
    expect(stores.player.getState().repeat).toBe('all');
    expect(stores.playhead.getState().position).toBe(42);
    stores.player.getState().play();
    await settle();
    expect(engine.loads).toEqual([
      { source: { url: 'http://127.0.0.1:9/media/2.m3u8', kind: 'hls' }, startAt: 42 },
    ]);
  });

  it('saves a shuffled queue as the original order plus the play order, and restores it', async () => {
    await stores.player.getState().playTracks(
      ['1', '2', '3', '4'].map((id) => track(id)),
      1,
    );
    stores.player.getState().toggleShuffle();
    const state = stores.player.getState();
    const saved = toSavedQueue(state, 17.8);
    expect(saved.tracks.map((t) => t.id)).toEqual(['1', '2', '3', '4']);
    expect(saved.positionSec).toBe(17);
    expect(saved.shuffle).toBe(true);
    const restored = fromSavedQueue(saved);
    expect(restored.items.map((i) => i.track.id)).toEqual(state.queue.items.map((i) => i.track.id));
    expect(currentItem(restored)?.track.id).toBe('2');
  });

  it('skips tracks that are not cached while offline', async () => {
    bridge.handle('offline:getStatus', () => ({
      deviceAuthorised: true,
      usedBytes: 0,
      quotaBytes: 1,
      items: [],
      cachedTrackIds: ['3'],
    }));
    await stores.offline.getState().load();
    await stores.player.getState().playTracks([track('1'), track('2'), track('3')]);
    stores.ui.getState().setOnline(false);
    await stores.player.getState().next();
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('3');
  });
});

describe('radio store (fake bridge)', () => {
  it('plays station tracks, disables skip when the budget is spent, and deletes the session on stop', async () => {
    let skips = 1;
    bridge.handle('radio:startStation', ({ ruleset }) => ({ sessionId: 's1', ruleset, skipsRemaining: 1 }));
    bridge.handle('radio:nextTrack', () => ({
      track: track('r1'),
      stream: stream('r1', { context: 'radio', logKind: 'catalogue' }),
      skipAllowed: true,
      skipsRemaining: skips,
    }));
    bridge.handle('radio:reportEvent', () => null);
    bridge.handle('radio:skip', ({ trackId }) => {
      if (skips === 0)
        throw new AppError({ code: 'limit_reached', message: 'Skip limit reached', serviceCode: 1003 });
      skips -= 1;
      return {
        track: track(`after-${trackId}`),
        stream: stream(`after-${trackId}`, { context: 'radio' }),
        skipAllowed: skips > 0,
        skipsRemaining: skips,
      };
    });
    bridge.handle('radio:stopStation', () => null);

    await stores.radio.getState().start(['pl-1'], 'dmca');
    expect(stores.player.getState().radioTrack?.id).toBe('r1');
    expect(bridge.callsTo('radio:reportEvent')).toEqual([{ trackId: 'r1', type: 'start' }]);
    expect(stores.radio.getState()).toMatchObject({ skipAllowed: true, skipsRemaining: 1 });

    await stores.radio.getState().skip();
    expect(stores.player.getState().radioTrack?.id).toBe('after-r1');
    expect(stores.radio.getState()).toMatchObject({ skipAllowed: false, skipsRemaining: 0 });
    await stores.radio.getState().skip();
    expect(bridge.callsTo('radio:skip')).toHaveLength(1);

    await stores.radio.getState().stop();
    expect(bridge.callsTo('radio:stopStation')).toEqual([{}]);
    expect(stores.player.getState().radioTrack).toBeNull();
    expect(stores.radio.getState().station).toBeNull();
  });
});

describe('player store: unavailable tracks (fake bridge)', () => {
  it('skips a track that cannot be streamed when playing through a list', async () => {
    bridge.handle('playback:resolveStream', ({ trackId, context }) => {
      if (trackId === '1')
        throw new AppError({ code: 'not_available', message: 'No media', serviceCode: 2002 });
      return stream(trackId, { context });
    });
    await stores.player.getState().playTracks([track('1'), track('2')]);
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
    expect(engine.loads.map((l) => l.source.url)).toEqual(['http://127.0.0.1:9/media/2.m3u8']);
  });
});

describe('catalogue store (fake bridge)', () => {
  it('keeps showing a release seen this session when the network is gone', async () => {
    let online = true;
    const offlineError = () => new AppError({ code: 'network', message: 'Connection refused' });
    bridge.handle('catalogue:getRelease', ({ releaseId }) => {
      if (!online) throw offlineError();
      return { id: releaseId, title: 'Loopback', artist: { id: 'artist-1', name: 'The Emulators' } };
    });
    bridge.handle('catalogue:getReleaseTracks', () => {
      if (!online) throw offlineError();
      return [track('1'), track('2')];
    });
    await stores.catalogue.getState().openRelease('rel-1');
    online = false;
    await stores.catalogue.getState().openRelease('rel-1');
    expect(stores.catalogue.getState().releaseTracks).toMatchObject({
      status: 'ready',
      data: [{ id: '1' }, { id: '2' }],
    });
    await stores.catalogue.getState().openRelease('rel-2');
    expect(stores.catalogue.getState().release).toMatchObject({ status: 'error', code: 'network' });
  });
});
