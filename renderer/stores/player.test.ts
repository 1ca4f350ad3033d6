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

/** The engine renders `sec` seconds in real time, with a time update every 250 ms. */
function listen(sec: number, duration = 200) {
  for (let t = 0; t < sec - 1e-9; t += 0.25) {
    engine.render(0.25);
    stores.player.getState().onTime(engine.readClockPosition(), duration);
  }
}

beforeEach(() => {
  bridge = createFakeBridge();
  engine = createFakeEngine();
  bridge.handle('playback:resolveStream', ({ trackId, context }) => stream(trackId, { context }));
  bridge.handle('playback:prefetch', ({ trackId, context }) =>
    stream(trackId, { context, url: `http://127.0.0.1:9/prefetched/${trackId}.m3u8` }),
  );
  bridge.handle('playback:reportPlay', () => ({ localId: 'l1' }));
  bridge.handle('playback:reportPlayEvent', () => null);
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

  it('reports a natural end by stream id with what the audio clock says was heard, then plays the next track', async () => {
    bridge.handle('playback:resolveStream', ({ trackId }) => stream(trackId, { durationSec: 60 }));
    await stores.player.getState().playTracks([track('1', 60), track('2', 60)]);
    stores.player.getState().onPlaying(true);
    listen(60, 60);
    stores.player.getState().onEnded();
    await settle();
    expect(bridge.callsTo('playback:reportPlay')).toEqual([
      { streamId: 's-1', listened: 60, endReason: 'naturalEnd' },
    ]);
    expect(bridge.callsTo('playback:reportPlayEvent')).toEqual([
      { streamId: 's-1', event: 'started', listened: 0 },
      { streamId: 's-1', event: 'progress', listened: 15 },
      { streamId: 's-1', event: 'progress', listened: 30 },
      { streamId: 's-1', event: 'progress', listened: 45 },
      { streamId: 's-1', event: 'progress', listened: 60 },
    ]);
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
  });

  it('tells main a play started when its audio is first heard, with no playing event (a gapless engine plays on)', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    listen(1);
    expect(bridge.callsTo('playback:reportPlayEvent')).toEqual([
      { streamId: 's-1', event: 'started', listened: 0.25 },
    ]);
  });

  it('reports a skip as userSkipped', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    listen(12);
    await stores.player.getState().next();
    expect(bridge.callsTo('playback:reportPlay')).toEqual([
      { streamId: 's-1', listened: 12, endReason: 'userSkipped' },
    ]);
  });

  it('clearing the queue stops the track and reports its play as other (the listener moved to nothing)', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    listen(8);
    stores.player.getState().clearQueue();
    await settle();
    expect(bridge.callsTo('playback:reportPlay')).toEqual([
      { streamId: 's-1', listened: 8, endReason: 'other' },
    ]);
    expect(stores.player.getState().playing).toBe(false);
  });

  it("a second 'ended' while the next track loads does not advance the queue again", async () => {
    await stores.player.getState().playTracks([track('1'), track('2'), track('3')]);
    let answer: (value: ReturnType<typeof stream>) => void = () => undefined;
    bridge.handle(
      'playback:resolveStream',
      ({ trackId }) => new Promise((resolve) => (answer = () => resolve(stream(trackId)))),
    );
    stores.player.getState().onEnded();
    stores.player.getState().onEnded();
    answer(stream('2'));
    await settle();
    expect(currentItem(stores.player.getState().queue)?.track.id).toBe('2');
  });

  it('a seek to the last seconds is not listening, and the end after it is not natural', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    stores.player.getState().onPlaying(true);
    listen(12);
    stores.player.getState().seek(197);
    listen(3);
    stores.player.getState().onEnded();
    await settle();
    expect(bridge.callsTo('playback:reportPlay')).toEqual([
      { streamId: 's-1', listened: 15, endReason: 'userSkipped' },
    ]);
    expect(bridge.callsTo('playback:reportPlayEvent')).toContainEqual({
      streamId: 's-1',
      event: 'seeked',
      listened: 12,
    });
  });

  it('reports previews for listeners without a subscription, capped at 30 s', async () => {
    bridge.handle('playback:resolveStream', ({ trackId }) =>
      stream(trackId, { logKind: 'preview', durationSec: 30 }),
    );
    await stores.player.getState().playTracks([track('1')]);
    listen(30, 30);
    stores.player.getState().onEnded();
    await settle();
    expect(bridge.callsTo('playback:reportPlay')).toEqual([
      { streamId: 's-1', listened: 30, endReason: 'naturalEnd' },
    ]);
  });

  it('prefetches the next track in the last seconds and starts it from the prefetched stream', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    stores.player.getState().seek(180);
    listen(15);
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
      {
        source: expect.objectContaining({
          url: 'http://127.0.0.1:9/media/2.m3u8',
          kind: 'hls',
          trackId: '2',
        }),
        startAt: 42,
      },
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
  it('plays station tracks, skips by stream id within the budget, shows when the next skip comes back, and deletes the session on stop', async () => {
    let skips = 1;
    bridge.handle('radio:startStation', ({ ruleset }) => ({ sessionId: 's1', ruleset, skipsRemaining: 1 }));
    bridge.handle('radio:nextTrack', () => ({
      track: track('r1'),
      stream: stream('r1', { context: 'radio', logKind: 'catalogue' }),
      skipAllowed: true,
      skipsRemaining: skips,
    }));
    bridge.handle('radio:skip', ({ streamId }) => {
      if (skips === 0)
        throw new AppError({ code: 'limit_reached', message: 'Skip limit reached', serviceCode: 1003 });
      skips -= 1;
      return {
        track: track(`after-${streamId}`),
        stream: stream(`after-${streamId}`, { context: 'radio' }),
        skipAllowed: skips > 0,
        skipsRemaining: skips,
        nextSkipAt: '2026-05-01T11:00:00.000Z',
      };
    });
    bridge.handle('radio:stopStation', () => null);

    await stores.radio.getState().start(['pl-1'], 'dmca');
    expect(stores.player.getState().radioTrack?.id).toBe('r1');
    expect(stores.radio.getState()).toMatchObject({ skipAllowed: true, skipsRemaining: 1 });
    listen(7);

    await stores.radio.getState().skip();
    expect(bridge.callsTo('radio:skip')).toEqual([{ streamId: 's-r1', listened: 7 }]);
    // radio:skip reported the skipped play: it is not reported a second time.
    expect(bridge.callsTo('playback:reportPlay')).toEqual([]);
    expect(stores.player.getState().radioTrack?.id).toBe('after-s-r1');
    expect(stores.radio.getState()).toMatchObject({
      skipAllowed: false,
      skipsRemaining: 0,
      nextSkipAt: '2026-05-01T11:00:00.000Z',
    });
    await stores.radio.getState().skip();
    expect(bridge.callsTo('radio:skip')).toHaveLength(1);

    await stores.radio.getState().stop();
    expect(bridge.callsTo('radio:stopStation')).toEqual([{}]);
    expect(stores.player.getState().radioTrack).toBeNull();
    expect(stores.radio.getState().station).toBeNull();
  });
});

describe('radio is non-interactive (fake bridge)', () => {
  it('refuses seek, Previous and jumps through the queue while a station plays; Next is a skip', async () => {
    bridge.handle('radio:startStation', ({ ruleset }) => ({ sessionId: 's1', ruleset, skipsRemaining: 0 }));
    bridge.handle('radio:nextTrack', () => ({
      track: track('r1'),
      stream: stream('r1', { context: 'radio', logKind: 'catalogue' }),
      skipAllowed: false,
      skipsRemaining: 0,
    }));
    await stores.player.getState().playTracks([track('1'), track('2')]);
    await stores.radio.getState().start(['pl-1'], 'dmca');
    const loads = engine.loads.length;
    stores.player.getState().seek(190);
    stores.player.getState().seekBy(30);
    await stores.player.getState().previous();
    await stores.player.getState().playAt(1);
    await stores.player.getState().next();
    expect(engine.log.filter((l) => l.startsWith('seek'))).toEqual([]);
    expect(engine.loads).toHaveLength(loads);
    expect(stores.player.getState().radioTrack?.id).toBe('r1');
    expect(bridge.callsTo('radio:skip')).toEqual([]);
    expect(bridge.callsTo('playback:reportPlayEvent')).not.toContainEqual(
      expect.objectContaining({ event: 'seeked' }),
    );
  });

  it('a station track that ran to its end is reported before the next track is asked for', async () => {
    const order: string[] = [];
    bridge.handle('radio:startStation', ({ ruleset }) => ({ sessionId: 's1', ruleset, skipsRemaining: 6 }));
    bridge.handle('radio:nextTrack', () => {
      order.push('next');
      return {
        track: track('r1', 40),
        stream: stream('r1', { context: 'radio', logKind: 'catalogue', durationSec: 40 }),
        skipAllowed: true,
        skipsRemaining: 6,
      };
    });
    bridge.handle('playback:reportPlay', (arg) => {
      order.push(`report ${arg.endReason}`);
      return { localId: 'l1' };
    });
    await stores.radio.getState().start(['pl-1'], 'dmca');
    stores.player.getState().onPlaying(true);
    listen(40, 40);
    stores.player.getState().onEnded();
    await settle();
    await settle();
    expect(order).toEqual(['next', 'report naturalEnd', 'next']);
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
