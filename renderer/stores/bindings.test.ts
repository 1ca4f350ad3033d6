// The bindings against an in-memory fake bridge, a fake engine and a fake media session
// (no <audio> or navigator.mediaSession in Node); the real ones are exercised by the e2e tests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NowPlayingMetadata } from '../services/media-session.js';
import { createIpcClient } from '../services/ipc-client.js';
import { createAppStores, type AppStores } from './app-stores.js';
import { bindStores, queueSaveDelayMs, volumeSaveDelayMs } from './bindings.js';
import { createFakeBridge, type FakeBridge } from './testing/fake-bridge.js';
import { createFakeEngine, type FakeEngine } from './testing/fake-engine.js';
import { stream, track } from './testing/fixtures.js';

let bridge: FakeBridge;
let engine: FakeEngine;
let stores: AppStores;
let meta: (NowPlayingMetadata | null)[];
let interactive: boolean[];
let unbind: () => void;

beforeEach(async () => {
  vi.useFakeTimers();
  bridge = createFakeBridge();
  engine = createFakeEngine();
  meta = [];
  interactive = [];
  bridge.handle('session:getSession', () => ({
    state: 'signedIn',
    userId: 'u1',
    country: 'GB',
    subscription: 'active',
    method: 'demo',
  }));
  bridge.handle('queue:getSaved', () => null);
  bridge.handle('queue:save', () => null);
  bridge.handle('settings:get', () => ({
    streamFormat: 'hls',
    streamQuality: 'standard',
    cacheQuotaBytes: 2 ** 30,
    downloadFormat: 'mp3',
    downloadFolder: null,
    volume: 0.3,
    muted: false,
    notifyOnTrackChange: false,
  }));
  bridge.handle('settings:update', (patch) => ({
    streamFormat: 'hls',
    streamQuality: 'standard',
    cacheQuotaBytes: 2 ** 30,
    downloadFormat: 'mp3',
    downloadFolder: null,
    volume: 0.3,
    muted: false,
    notifyOnTrackChange: false,
    ...patch,
  }));
  bridge.handle('app:getInfo', () => ({
    version: '0',
    host: 'browser',
    vaultBackend: 'keytar',
    clientId: 'c1',
    apiBaseUrl: 'x',
    usingEmulator: true,
    online: true,
    platform: 'linux',
  }));
  bridge.handle('playlog:getStatus', () => ({
    pending: { subscriber: 0, catalogue: 0, preview: 0 },
    deadLetters: 0,
  }));
  bridge.handle('offline:getStatus', () => ({
    deviceAuthorised: false,
    usedBytes: 0,
    quotaBytes: 0,
    items: [],
    cachedTrackIds: [],
  }));
  bridge.handle('offline:getLibrary', () => []);
  bridge.handle('playlists:list', () => ({ items: [], page: 1, pageSize: 100, totalItems: 0 }));
  bridge.handle('playback:resolveStream', ({ trackId }) => stream(trackId));
  stores = createAppStores({ ipc: createIpcClient(bridge), engine });
  unbind = bindStores({
    stores,
    engine,
    mediaSession: {
      setMetadata: (m) => meta.push(m),
      setPlaying: () => undefined,
      setPosition: () => undefined,
      setInteractive: (on) => interactive.push(on),
    },
    timers: { setTimeout, clearTimeout, setInterval, clearInterval },
  });
  await vi.advanceTimersByTimeAsync(0);
});
afterEach(() => {
  unbind();
  vi.useRealTimers();
});

describe('bindings (fake bridge)', () => {
  it('restores the volume the core kept, mirrors volume and mute to the engine, and saves them back once a drag settles', async () => {
    expect(stores.player.getState().volume).toBe(0.3);
    expect(engine.log).toContain('volume 0.3');
    expect(bridge.callsTo('settings:update')).toEqual([]);
    for (const v of [0.4, 0.5, 0.6]) stores.player.getState().setVolume(v);
    stores.player.getState().toggleMute();
    expect(engine.log).toEqual(expect.arrayContaining(['volume 0.6', 'muted true']));
    await vi.advanceTimersByTimeAsync(volumeSaveDelayMs);
    expect(bridge.callsTo('settings:update')).toEqual([{ volume: 0.6, muted: true }]);
  });

  it('saves the queue once after a burst of changes, after the saved queue was restored', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    stores.player.getState().addToQueue([track('3')]);
    stores.player.getState().cycleRepeat();
    expect(bridge.callsTo('queue:save')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(queueSaveDelayMs);
    const saves = bridge.callsTo('queue:save') as { tracks: { id: string }[]; repeat: string }[];
    expect(saves).toHaveLength(1);
    expect(saves[0]?.tracks.map((t) => t.id)).toEqual(['1', '2', '3']);
    expect(saves[0]?.repeat).toBe('all');
  });

  it('shows now playing to the OS media controls', async () => {
    await stores.player.getState().playTracks([track('1')]);
    expect(meta.at(-1)).toMatchObject({ title: 'Track 1', artist: 'The Emulators', album: 'Loopback' });
  });

  it('pauses and shows the takeover notice when another device takes the stream', () => {
    bridge.emit('playback:streamTakenOver', {
      trackId: '1',
      message: 'Your subscription is playing on another device.',
    });
    expect(engine.log).toContain('pause');
    expect(stores.ui.getState().takeover).toEqual({
      message: 'Your subscription is playing on another device.',
      trackId: '1',
    });
  });

  it('offers the OS no seek or previous while a radio station plays', async () => {
    bridge.handle('radio:startStation', ({ ruleset }) => ({ sessionId: 's1', ruleset, skipsRemaining: 6 }));
    bridge.handle('radio:nextTrack', () => ({
      track: track('r1'),
      stream: stream('r1', { context: 'radio', logKind: 'catalogue' }),
      skipAllowed: true,
      skipsRemaining: 6,
    }));
    bridge.handle('radio:stopStation', () => null);
    await stores.radio.getState().start(['p1'], 'dmca');
    bridge.emit('app:mediaKeyPressed', { key: 'previous' });
    await stores.radio.getState().stop();
    expect(interactive).toEqual([false, true]);
    expect(engine.log.filter((l) => l.startsWith('seek'))).toEqual([]);
  });

  it('signing out reports the play in progress first, then nothing of the account stays; the next account starts empty', async () => {
    bridge.handle('playback:reportPlay', () => ({ localId: 'l1' }));
    bridge.handle('playback:reportPlayEvent', () => null);
    bridge.handle('playlists:get', ({ playlistId }) => ({
      id: playlistId,
      name: 'Mine',
      visibility: 'private',
      trackCount: 1,
      tracks: [{ playlistTrackId: 'pt1', trackId: '1', title: 'Track 1', artist: 'A', position: 1 }],
    }));
    const order: string[] = [];
    bridge.handle('session:signOut', () => {
      order.push('signOut');
      return { state: 'signedOut', reason: 'signedOut' };
    });
    bridge.handle('playback:reportPlay', (arg) => {
      order.push(`report ${arg.streamId} ${arg.listened}`);
      return { localId: 'l1' };
    });
    await stores.player.getState().playTracks([track('1'), track('2')]);
    stores.player.getState().onPlaying(true);
    engine.render(8);
    stores.player.getState().pause();
    await stores.playlists.getState().open('pl-1');
    stores.ui.getState().navigate({ name: 'playlist', playlistId: 'pl-1' });

    await stores.session.getState().signOut();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['report s-1 8', 'signOut']);
    expect(stores.player.getState().queue.items).toEqual([]);
    expect(stores.player.getState().stream).toBeNull();
    expect(stores.playlists.getState().current).toEqual({ status: 'idle' });
    expect(stores.ui.getState().route).toEqual({ name: 'search' });

    bridge.handle('session:signInDemo', () => ({
      state: 'signedIn',
      userId: 'u2',
      country: 'GB',
      subscription: 'none',
      method: 'demo',
    }));
    await stores.session.getState().signInDemo(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(stores.player.getState().queue.items).toEqual([]);
    expect(stores.playlists.getState().current).toEqual({ status: 'idle' });
  });

  it('answers media keys', async () => {
    await stores.player.getState().playTracks([track('1'), track('2')]);
    bridge.emit('app:mediaKeyPressed', { key: 'next' });
    await vi.advanceTimersByTimeAsync(0);
    expect(stores.player.getState().queue.index).toBe(1);
  });

  it('follows connectivity and resumes a stalled stream when the network returns', async () => {
    await stores.player.getState().playTracks([track('1')]);
    bridge.emit('app:connectivityChanged', { online: false });
    expect(stores.ui.getState().online).toBe(false);
    engine.fire('error', { code: 'network', message: 'Stream failed (fragLoadError)' });
    expect(stores.ui.getState().toasts.filter((t) => t.kind === 'error')).toEqual([]);
    bridge.emit('app:connectivityChanged', { online: true });
    expect(stores.ui.getState().online).toBe(true);
    expect(engine.log).toContain('retry');
  });
  it('retries a stream stalled by a transient network failure with backoff, without an error toast', async () => {
    await stores.player.getState().playTracks([track('1')]);
    engine.log.length = 0;
    engine.fire('error', { code: 'network', message: 'Stream failed (HTTP 503)', retryable: true });
    expect(stores.ui.getState().toasts.filter((t) => t.kind === 'error')).toEqual([]);
    expect(stores.player.getState().stalled).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(engine.log.filter((l) => l === 'retry')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(engine.log.filter((l) => l === 'retry')).toHaveLength(2);
    // Connectivity returning retries at once.
    bridge.emit('app:connectivityChanged', { online: false });
    bridge.emit('app:connectivityChanged', { online: true });
    expect(engine.log.filter((l) => l === 'retry')).toHaveLength(3);
    engine.fire('playing', { playing: true });
    expect(stores.player.getState().stalled).toBe(false);
    const retries = engine.log.filter((l) => l === 'retry').length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(engine.log.filter((l) => l === 'retry')).toHaveLength(retries);
  });

  it('a final stream error (e.g. 404) is shown with a Retry, not retried by itself', async () => {
    await stores.player.getState().playTracks([track('1')]);
    engine.log.length = 0;
    engine.fire('error', { code: 'network', message: 'Stream failed (HTTP 404)', retryable: false });
    expect(stores.ui.getState().toasts.filter((t) => t.kind === 'error')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(engine.log).not.toContain('retry');
  });
});
