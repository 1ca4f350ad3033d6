// The issue-13 defects at the store level: error toasts that clear when the failing action later
// succeeds, the player bar after "Stop station", unmute at volume 0. Fake bridge and engine
// (testing/); the e2e tests drive the same paths through the real core and <audio>.
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { RadioTrackView } from '../../shared/ipc/contract.js';
import { createIpcClient } from '../services/ipc-client.js';
import { createAppStores, type AppStores } from './app-stores.js';
import { createFakeBridge, type FakeBridge } from './testing/fake-bridge.js';
import { createFakeEngine, type FakeEngine } from './testing/fake-engine.js';
import { settle, stream, track } from './testing/fixtures.js';

let bridge: FakeBridge;
let engine: FakeEngine;
let stores: AppStores;

const radioTrack = (id: string): RadioTrackView => ({
  track: track(id, 240),
  stream: stream(id, { context: 'radio', logKind: 'catalogue', durationSec: 240 }),
  skipAllowed: true,
  skipsRemaining: 6,
});

const errorToasts = () => stores.ui.getState().toasts.filter((t) => t.kind === 'error');

beforeEach(() => {
  bridge = createFakeBridge();
  engine = createFakeEngine();
  bridge.handle('playback:resolveStream', ({ trackId }) => stream(trackId));
  bridge.handle('playback:reportPlay', () => ({ localId: 'l1' }));
  bridge.handle('radio:startStation', () => ({ sessionId: 's1', ruleset: 'dmca', skipsRemaining: 6 }));
  bridge.handle('radio:nextTrack', () => radioTrack('r1'));
  bridge.handle('playback:reportPlayEvent', () => null);
  bridge.handle('radio:stopStation', () => null);
  stores = createAppStores({ ipc: createIpcClient(bridge), engine });
});

describe('error toasts', () => {
  it('a playback error clears itself once music plays again', async () => {
    bridge.handle('playback:resolveStream', ({ trackId }) => {
      if (trackId === '1') throw new AppError({ code: 'not_available', message: 'Track 1 is not available' });
      return stream(trackId);
    });
    await stores.player.getState().playTracks([track('1')]);
    expect(errorToasts().map((t) => t.message)).toEqual(['Track 1 is not available']);
    await stores.player.getState().playTracks([track('2')]);
    expect(errorToasts()).toHaveLength(1);
    stores.player.getState().onPlaying(true);
    expect(errorToasts()).toEqual([]);
  });

  it('a radio error clears when the station delivers a track, and leaves other errors alone', async () => {
    let fail = true;
    bridge.handle('radio:nextTrack', () => {
      if (fail) throw new AppError({ code: 'network', message: 'The station did not answer' });
      return radioTrack('r1');
    });
    stores.ui.getState().reportError(new Error('Could not save the playlist'), undefined, 'playlists');
    await stores.radio.getState().start(['p1'], 'dmca');
    expect(errorToasts().map((t) => t.message)).toEqual([
      'Could not save the playlist',
      'The station did not answer',
    ]);
    fail = false;
    await stores.radio.getState().start(['p1'], 'dmca');
    expect(errorToasts().map((t) => t.message)).toEqual(['Could not save the playlist']);
  });

  it('clearErrors() without a source still clears every error (the takeover notice uses it)', () => {
    stores.ui.getState().reportError(new Error('a'), undefined, 'playback');
    stores.ui.getState().reportError(new Error('b'));
    stores.ui.getState().notify('info stays');
    stores.ui.getState().clearErrors();
    expect(stores.ui.getState().toasts.map((t) => t.message)).toEqual(['info stays']);
  });
});

describe('stopping a station', () => {
  it('puts the queue’s track back in the bar with its own times, not the station track’s', async () => {
    bridge.handle('playback:resolveStream', () => {
      throw new AppError({ code: 'not_available', message: 'Track q1 is not available' });
    });
    await stores.player.getState().playTracks([track('q1', 95)]);
    await stores.radio.getState().start(['p1'], 'dmca');
    stores.player.getState().onTime(200, 240);
    expect(stores.playhead.getState()).toMatchObject({ position: 200, duration: 240 });

    await stores.radio.getState().stop();
    expect(stores.player.getState().radioTrack).toBeNull();
    expect(stores.playhead.getState()).toMatchObject({ position: 0, duration: 95 });
  });

  it('resumes a queue track cut off by the station where it was', async () => {
    await stores.player.getState().playTracks([track('q1', 180)]);
    stores.player.getState().onTime(42, 180);
    await stores.radio.getState().start(['p1'], 'dmca');
    stores.player.getState().onTime(100, 240);
    await stores.radio.getState().stop();
    expect(stores.playhead.getState()).toMatchObject({ position: 42, duration: 180 });
    stores.player.getState().play();
    await settle();
    expect(engine.loads.at(-1)).toMatchObject({
      source: { url: expect.stringContaining('q1') },
      startAt: 42,
    });
  });
});

describe('mute', () => {
  it('unmute with the volume at 0 brings back the last audible volume', () => {
    const player = () => stores.player.getState();
    player().setVolume(0.7);
    for (const v of [0.5, 0.2, 0.05, 0]) player().setVolume(v);
    player().toggleMute();
    expect(player()).toMatchObject({ muted: false, volume: 0.2 });
    player().toggleMute();
    expect(player()).toMatchObject({ muted: true, volume: 0.2 });
    player().setVolume(0);
    player().toggleMute();
    expect(player()).toMatchObject({ muted: false, volume: 0.2 });
  });
});
