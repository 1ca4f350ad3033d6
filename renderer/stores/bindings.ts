// The one place where state is mirrored outward and outside events flow in:
// engine events → player/playhead; volume/mute → engine; now-playing → media session;
// queue → queue:save (throttled); core events → stores.
import { assertNever } from '../../shared/errors.js';
import type { AudioEngine } from '../services/audio-engine.js';
import type { MediaSessionService } from '../services/media-session.js';
import { createLogger } from '../services/logger.js';
import type { AppStores } from './app-stores.js';
import { toSavedQueue } from './saved-queue.js';
import { currentItem } from './queue-ops.js';
import { isSignedIn } from './session.js';

const log = createLogger('bindings');

export const queueSaveDelayMs = 1500;
export const positionSaveIntervalMs = 10_000;
/** Retry delays for a stalled stream: 1 s, doubling up to 8 s. */
export const stallRetryMinMs = 1_000;
export const stallRetryMaxMs = 8_000;

export type BindingsDeps = {
  stores: AppStores;
  engine: AudioEngine;
  mediaSession: MediaSessionService;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  timers?: {
    setTimeout: typeof setTimeout;
    clearTimeout: typeof clearTimeout;
    setInterval: typeof setInterval;
    clearInterval: typeof clearInterval;
  };
};

export function bindStores(deps: BindingsDeps): () => void {
  const { stores, engine, mediaSession } = deps;
  const { player, playhead, ui, ipc } = stores;
  const timers = deps.timers ?? globalThis;
  const cleanups: (() => void)[] = [];

  // Engine → stores.
  cleanups.push(
    engine.on('time', ({ position, duration }) => player.getState().onTime(position, duration)),
    engine.on('seeked', ({ position }) => player.getState().onSeeked(position)),
    engine.on('playing', ({ playing }) => player.getState().onPlaying(playing)),
    engine.on('waiting', ({ waiting }) => playhead.setState({ buffering: waiting })),
    engine.on('ended', () => player.getState().onEnded()),
    engine.on('error', (err) => player.getState().onError(err)),
  );

  // Volume: restored from local storage, mirrored to the engine.
  const storage = deps.storage;
  const savedVolume = Number(storage?.getItem('septet.volume') ?? NaN);
  if (Number.isFinite(savedVolume) && savedVolume >= 0 && savedVolume <= 1)
    player.setState({ volume: savedVolume });
  if (storage?.getItem('septet.muted') === 'true') player.setState({ muted: true });
  engine.setVolume(player.getState().volume);
  engine.setMuted(player.getState().muted);
  cleanups.push(
    player.subscribe((s, prev) => {
      if (s.volume !== prev.volume) {
        engine.setVolume(s.volume);
        storage?.setItem('septet.volume', String(s.volume));
      }
      if (s.muted !== prev.muted) {
        engine.setMuted(s.muted);
        storage?.setItem('septet.muted', String(s.muted));
      }
    }),
  );

  // Now playing → OS media controls.
  let lastMetaKey = '';
  const syncMeta = () => {
    const s = player.getState();
    const track = s.radioTrack ?? currentItem(s.queue)?.track;
    const key = track ? `${track.id}|${track.title}` : '';
    if (key === lastMetaKey) return;
    lastMetaKey = key;
    mediaSession.setMetadata(
      track
        ? {
            title: track.title,
            artist: track.artist.name,
            album: track.release?.title ?? '',
            ...(track.release?.image ? { artwork: track.release.image } : {}),
          }
        : null,
    );
  };
  syncMeta();
  cleanups.push(
    player.subscribe((s, prev) => {
      if (s.queue !== prev.queue || s.radioTrack !== prev.radioTrack) syncMeta();
      if (s.playing !== prev.playing) mediaSession.setPlaying(s.playing);
    }),
  );
  let lastPositionPush = 0;
  cleanups.push(
    playhead.subscribe((s) => {
      const now = Date.now();
      if (now - lastPositionPush < 1000) return;
      lastPositionPush = now;
      mediaSession.setPosition(s.position, s.duration);
    }),
  );

  // Queue → queue:save, throttled; the position is saved every few seconds while playing and on pause.
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let restored = false;
  const saveNow = () => {
    if (saveTimer !== null) timers.clearTimeout(saveTimer);
    saveTimer = null;
    if (!restored || !isSignedIn(stores.session.getState().session)) return;
    const s = player.getState();
    ipc
      .call('queue:save', toSavedQueue(s, playhead.getState().position))
      .catch((err: unknown) => log.warn('queue:save failed', err));
  };
  const scheduleSave = () => {
    if (saveTimer === null) saveTimer = timers.setTimeout(saveNow, queueSaveDelayMs);
  };
  cleanups.push(
    player.subscribe((s, prev) => {
      if (s.queue !== prev.queue || s.repeat !== prev.repeat || s.context !== prev.context) scheduleSave();
      if (s.playing !== prev.playing && !s.playing) scheduleSave();
    }),
  );
  const positionTimer = timers.setInterval(() => {
    if (player.getState().playing) saveNow();
  }, positionSaveIntervalMs);
  cleanups.push(() => timers.clearInterval(positionTimer));

  // Session: load per-account data on sign-in, restore the queue once.
  const onSignedIn = async () => {
    await player.getState().restore();
    restored = true;
    await Promise.all([
      stores.settings.getState().load(),
      stores.offline.getState().load(),
      stores.playlists.getState().loadList(),
    ]);
  };
  let wasSignedIn = false;
  const syncSession = () => {
    const signedIn = isSignedIn(stores.session.getState().session);
    if (signedIn && !wasSignedIn) void onSignedIn();
    if (!signedIn && wasSignedIn) {
      restored = false;
      player.getState().clearQueue();
      void stores.radio.getState().stop();
    }
    wasSignedIn = signedIn;
  };
  cleanups.push(stores.session.subscribe(syncSession));

  // A stalled stream (transient network failure) is retried with backoff until it plays again;
  // the network coming back (the core's probe, or the browser's online event) retries at once.
  let stallTimer: ReturnType<typeof setTimeout> | null = null;
  let stallDelayMs = stallRetryMinMs;
  const cancelStallRetry = () => {
    if (stallTimer !== null) timers.clearTimeout(stallTimer);
    stallTimer = null;
  };
  const scheduleStallRetry = () => {
    if (stallTimer !== null) return;
    stallTimer = timers.setTimeout(() => {
      stallTimer = null;
      if (!player.getState().stalled || !engine.currentSource()) return;
      stallDelayMs = Math.min(stallDelayMs * 2, stallRetryMaxMs);
      engine.retry();
      scheduleStallRetry();
    }, stallDelayMs);
  };
  const retryStalled = () => {
    if (!player.getState().stalled) return;
    cancelStallRetry();
    stallDelayMs = stallRetryMinMs;
    engine.retry();
    scheduleStallRetry();
  };
  cleanups.push(
    player.subscribe((s, prev) => {
      if (s.stalled === prev.stalled) return;
      cancelStallRetry();
      stallDelayMs = stallRetryMinMs;
      if (s.stalled) scheduleStallRetry();
    }),
    cancelStallRetry,
  );
  const onBrowserOnline = () => retryStalled();
  globalThis.addEventListener?.('online', onBrowserOnline);
  cleanups.push(() => globalThis.removeEventListener?.('online', onBrowserOnline));

  // Core events → stores.
  cleanups.push(
    ipc.on('session:sessionChanged', (session) => stores.session.getState().apply(session)),
    ipc.on('playback:streamTakenOver', ({ message, trackId }) => {
      engine.pause();
      // The stream errors that follow a takeover are explained by the notice; no extra toasts.
      ui.getState().clearErrors();
      ui.getState().setTakeover({
        message: message || 'Playback moved to another device',
        ...(trackId ? { trackId } : {}),
      });
    }),
    ipc.on('downloads:progressChanged', (view) => stores.library.getState().onDownloadProgress(view)),
    ipc.on('offline:progressChanged', (item) => stores.offline.getState().onProgress(item)),
    ipc.on('app:connectivityChanged', ({ online }) => {
      const wasOnline = ui.getState().online;
      ui.getState().setOnline(online);
      // hls.js does not watch connectivity; resume a stalled stream when the network returns.
      if (online && !wasOnline) retryStalled();
    }),
    ipc.on('playlog:statusChanged', (status) => stores.settings.getState().onPlayLogStatus(status)),
    ipc.on('app:mediaKeyPressed', ({ key }) => {
      const p = player.getState();
      if (key === 'playPause') p.togglePlay();
      else if (key === 'next') void p.next();
      else if (key === 'previous') void p.previous();
      else if (key === 'stop') p.pause();
      else assertNever(key, 'media key');
    }),
  );

  const onPageHide = () => saveNow();
  globalThis.addEventListener?.('pagehide', onPageHide);
  cleanups.push(() => globalThis.removeEventListener?.('pagehide', onPageHide));

  void stores.session.getState().load();

  return () => {
    for (const c of cleanups) c();
    if (saveTimer !== null) timers.clearTimeout(saveTimer);
  };
}
