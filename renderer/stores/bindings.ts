// The one place where state is mirrored outward and outside events flow in:
// engine events → player/playhead; volume/mute → engine; now-playing → media session;
// queue → queue:save (throttled); sign-in → per-account loads; a stalled stream → retries;
// core events → stores. One bind… function per link, put together by bindStores.
import { assertNever } from '../../shared/errors.js';
import { defaultAudioSettings, type AudioSettings } from '../../shared/ipc/contract.js';
import type { AudioEngine } from '../services/audio-engine.js';
import type { MediaSessionService } from '../services/media-session.js';
import type { Notifier } from '../services/notifier.js';
import { createLogger } from '../services/logger.js';
import { forgetAccount } from './account-reset.js';
import { createAppStores, type AppStores } from './app-stores.js';
import { toSavedQueue } from './saved-queue.js';
import { currentItem } from './queue-ops.js';
import { isSignedIn } from './session.js';

const log = createLogger('bindings');

export const queueSaveDelayMs = 1500;
export const volumeSaveDelayMs = 400;
export const positionSaveIntervalMs = 10_000;
/** Retry delays for a stalled stream: 1 s, doubling up to 8 s. */
export const stallRetryMinMs = 1_000;
export const stallRetryMaxMs = 8_000;

export type BindingsDeps = {
  stores: AppStores;
  engine: AudioEngine;
  mediaSession: MediaSessionService;
  /** The audio pipeline (normalisation, crossfade, equaliser), when the engine has one. */
  audio?: { setAudioSettings(settings: AudioSettings): void };
  /** System notifications on track change (a setting); none when absent. */
  notifier?: Notifier;
  timers?: {
    setTimeout: typeof setTimeout;
    clearTimeout: typeof clearTimeout;
    setInterval: typeof setInterval;
    clearInterval: typeof clearInterval;
  };
};

type Timers = NonNullable<BindingsDeps['timers']>;
type Unbind = () => void;

/** Wires the stores to the engine, the media session, the core's settings and its events. */
export function bindStores(deps: BindingsDeps): Unbind {
  const { stores, engine, mediaSession } = deps;
  const timers = deps.timers ?? globalThis;
  // Before the engine's own: a preview's end is noticed while it is still the stream loaded.
  const unbindPreviewEnd = bindPreviewEnd(stores, engine);
  const unbindEngine = bindEngineEvents(stores, engine);
  const unbindComforts = unbindAll([
    bindLikedPlaylist(stores),
    bindSleepTimer(stores, timers),
    bindTrackNotifications(stores, deps.notifier),
  ]);
  const unbindVolume = bindVolume(stores, engine, timers);
  const unbindNowPlaying = bindNowPlaying(stores, mediaSession);
  const queueSaving = bindQueueSaving(stores, timers);
  const unbindSession = bindSession(stores, queueSaving, () => createAppStores({ ipc: stores.ipc, engine }));
  const stallRetry = bindStallRetry(stores, engine, timers);
  const unbindCoreEvents = bindCoreEvents(stores, engine, stallRetry.retryNow);
  const unbindAudio = deps.audio ? bindAudioSettings(stores, deps.audio) : () => undefined;
  void stores.session.getState().load();
  return () => {
    for (const unbind of [
      unbindPreviewEnd,
      unbindEngine,
      unbindComforts,
      unbindVolume,
      unbindNowPlaying,
      queueSaving.unbind,
      unbindSession,
      stallRetry.unbind,
      unbindCoreEvents,
      unbindAudio,
    ])
      unbind();
  };
}

function unbindAll(cleanups: Unbind[]): Unbind {
  return () => {
    for (const c of cleanups) c();
  };
}

/** Engine → stores: time, seeks, playing, buffering, the end, errors. */
function bindEngineEvents({ player, playhead }: AppStores, engine: AudioEngine): Unbind {
  return unbindAll([
    engine.on('time', ({ position, duration }) => player.getState().onTime(position, duration)),
    engine.on('seeked', ({ position }) => player.getState().onSeeked(position)),
    engine.on('playing', ({ playing }) => player.getState().onPlaying(playing)),
    engine.on('waiting', ({ waiting }) => playhead.setState({ buffering: waiting })),
    engine.on('ended', () => player.getState().onEnded()),
    engine.on('error', (err) => player.getState().onError(err)),
  ]);
}

/**
 * Volume and mute: mirrored to the engine, and kept by the core (settings) so they come back
 * after a restart — local storage would not do: the browser host's origin (its port) changes
 * every run. A drag of the slider is saved once it settles.
 */
function bindVolume({ player, ipc }: AppStores, engine: AudioEngine, timers: Timers): Unbind {
  engine.setVolume(player.getState().volume);
  engine.setMuted(player.getState().muted);
  let touched = false;
  let restoring = false;
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  ipc
    .call('settings:get', {})
    .then(({ volume, muted }) => {
      // A change made while the settings were on their way wins over the saved values.
      if (touched || typeof volume !== 'number') return;
      restoring = true;
      player.setState({ volume, muted: muted === true });
      restoring = false;
    })
    .catch((err: unknown) => log.warn('could not read the saved volume', err));
  const save = () => {
    saveTimer = null;
    const { volume, muted } = player.getState();
    ipc.call('settings:update', { volume, muted }).catch((err: unknown) => log.warn('volume not saved', err));
  };
  const unsubscribe = player.subscribe((s, prev) => {
    if (s.volume === prev.volume && s.muted === prev.muted) return;
    if (s.volume !== prev.volume) engine.setVolume(s.volume);
    if (s.muted !== prev.muted) engine.setMuted(s.muted);
    if (restoring) return;
    touched = true;
    if (saveTimer !== null) timers.clearTimeout(saveTimer);
    saveTimer = timers.setTimeout(save, volumeSaveDelayMs);
  });
  return () => {
    unsubscribe();
    if (saveTimer !== null) {
      timers.clearTimeout(saveTimer);
      save();
    }
  };
}

/** Now playing → OS media controls: metadata, playing/paused, position (at most once a second). */
function bindNowPlaying({ player, playhead, radio }: AppStores, mediaSession: MediaSessionService): Unbind {
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
  let lastPositionPush = 0;
  return unbindAll([
    // A radio station is non-interactive: the OS offers no seek or previous while it plays.
    radio.subscribe((s, prev) => {
      if ((s.station === null) !== (prev.station === null)) mediaSession.setInteractive(s.station === null);
    }),
    player.subscribe((s, prev) => {
      if (s.queue !== prev.queue || s.radioTrack !== prev.radioTrack) syncMeta();
      if (s.playing !== prev.playing) mediaSession.setPlaying(s.playing);
    }),
    playhead.subscribe((s) => {
      const now = Date.now();
      if (now - lastPositionPush < 1000) return;
      lastPositionPush = now;
      mediaSession.setPosition(s.position, s.duration);
    }),
  ]);
}

type QueueSaving = {
  /** Saving starts once the saved queue was restored after sign-in (and stops at sign-out). */
  setRestored(restored: boolean): void;
  unbind: Unbind;
};

/**
 * Queue → queue:save, throttled; the position is saved every few seconds while playing, on
 * pause, and when the page goes away.
 */
function bindQueueSaving(stores: AppStores, timers: Timers): QueueSaving {
  const { player, playhead, ipc } = stores;
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
  const unsubscribe = player.subscribe((s, prev) => {
    if (s.queue !== prev.queue || s.repeat !== prev.repeat || s.context !== prev.context) scheduleSave();
    if (s.playing !== prev.playing && !s.playing) scheduleSave();
  });
  const positionTimer = timers.setInterval(() => {
    if (player.getState().playing) saveNow();
  }, positionSaveIntervalMs);
  const onPageHide = () => saveNow();
  globalThis.addEventListener?.('pagehide', onPageHide);
  return {
    setRestored(value) {
      restored = value;
    },
    unbind() {
      unsubscribe();
      timers.clearInterval(positionTimer);
      globalThis.removeEventListener?.('pagehide', onPageHide);
      if (saveTimer !== null) timers.clearTimeout(saveTimer);
    },
  };
}

/**
 * Session: per-account data loaded on sign-in and the queue restored once; on sign-out, or when
 * another account signs in, every per-account store is emptied first (account-reset.ts).
 */
function bindSession(stores: AppStores, queueSaving: QueueSaving, fresh: () => AppStores): Unbind {
  const { player } = stores;
  const onSignedIn = async () => {
    await player.getState().restore();
    queueSaving.setRestored(true);
    await Promise.all([
      stores.settings.getState().load(),
      stores.offline.getState().load(),
      stores.playlists.getState().loadList(),
      stores.liked.getState().load(),
    ]);
  };
  let listener: string | null = null;
  let change = Promise.resolve();
  return stores.session.subscribe(() => {
    const session = stores.session.getState().session;
    const now = isSignedIn(session) ? session.userId : null;
    if (now === listener) return;
    const previous = listener;
    listener = now;
    if (previous !== null) queueSaving.setRestored(false);
    // One change at a time: the previous account is forgotten before the next one loads.
    change = change
      .then(async () => {
        if (previous !== null) await forgetAccount(stores, fresh());
        if (now !== null && listener === now) await onSignedIn();
      })
      .catch((err: unknown) => log.warn('account change', err));
  });
}

type StallRetry = {
  /** Retries a stalled stream at once (the network is back). */
  retryNow(): void;
  unbind: Unbind;
};

/**
 * A stalled stream (transient network failure) is retried with backoff until it plays again;
 * the network coming back (the core's probe, or the browser's online event) retries at once.
 */
function bindStallRetry({ player }: AppStores, engine: AudioEngine, timers: Timers): StallRetry {
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
  const retryNow = () => {
    if (!player.getState().stalled) return;
    cancelStallRetry();
    stallDelayMs = stallRetryMinMs;
    engine.retry();
    scheduleStallRetry();
  };
  const unsubscribe = player.subscribe((s, prev) => {
    if (s.stalled === prev.stalled) return;
    cancelStallRetry();
    stallDelayMs = stallRetryMinMs;
    if (s.stalled) scheduleStallRetry();
  });
  const onBrowserOnline = () => retryNow();
  globalThis.addEventListener?.('online', onBrowserOnline);
  return {
    retryNow,
    unbind() {
      unsubscribe();
      cancelStallRetry();
      globalThis.removeEventListener?.('online', onBrowserOnline);
    },
  };
}

/** Audio settings (kept by the core) → the audio pipeline, as they load and whenever they change. */
function bindAudioSettings({ settings }: AppStores, audio: NonNullable<BindingsDeps['audio']>): Unbind {
  const apply = (value: AudioSettings | undefined) => audio.setAudioSettings(value ?? defaultAudioSettings);
  apply(settings.getState().settings?.audio);
  return settings.subscribe((s, prev) => {
    if (s.settings?.audio !== prev.settings?.audio) apply(s.settings?.audio);
  });
}

/** Core events → stores: session, takeover, download and offline progress, connectivity, media keys. */
function bindCoreEvents(stores: AppStores, engine: AudioEngine, retryStalled: () => void): Unbind {
  const { ipc, ui, player } = stores;
  return unbindAll([
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
      // The audio engine does not watch connectivity; resume a stalled stream when the network returns.
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
  ]);
}

/** When a preview (no subscription) ends, the listener hears why the next one is short too. */
function bindPreviewEnd({ player, ui }: AppStores, engine: AudioEngine): Unbind {
  return engine.on('ended', () => {
    const { stream, queue, radioTrack } = player.getState();
    if (stream?.logKind !== 'preview') return;
    const track = radioTrack ?? currentItem(queue)?.track;
    ui.getState().notify(
      `${track ? `“${track.title}” was` : 'That was'} a 30-second preview. Subscribe to hear whole tracks.`,
    );
  });
}

/** "Liked songs" follows edits made to it on its playlist page (a track removed there is unliked). */
function bindLikedPlaylist({ playlists, liked }: AppStores): Unbind {
  return playlists.subscribe((s, prev) => {
    if (s.current !== prev.current && s.current.status === 'ready')
      liked.getState().onPlaylistChanged(s.current.data);
  });
}

/** The sleep timer's minutes: when they run out, playback pauses. */
function bindSleepTimer({ sleep, player, ui }: AppStores, timers: Timers): Unbind {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const clear = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const unsubscribe = sleep.subscribe((s, prev) => {
    if (s.timer === prev.timer) return;
    clear();
    if (s.timer.mode !== 'minutes') return;
    timer = timers.setTimeout(
      () => {
        timer = null;
        player.getState().pause();
        sleep.getState().cancel();
        ui.getState().notify('Sleep timer: playback paused');
      },
      Math.max(0, s.timer.endsAt - Date.now()),
    );
  });
  return () => {
    unsubscribe();
    clear();
  };
}

/**
 * Track changes → a system notification, when the listener turned that on in Settings (turning
 * it on asks the system's permission, within the click).
 */
function bindTrackNotifications({ player, settings }: AppStores, notifier: Notifier | undefined): Unbind {
  if (!notifier) return () => undefined;
  const enabled = () => settings.getState().settings?.notifyOnTrackChange === true;
  let lastTrackId: string | undefined;
  return unbindAll([
    settings.subscribe((s, prev) => {
      const on = s.settings?.notifyOnTrackChange === true;
      if (on && prev.settings?.notifyOnTrackChange !== true && notifier.permission() === 'default')
        void notifier.request();
    }),
    player.subscribe((s) => {
      const track = s.radioTrack ?? currentItem(s.queue)?.track;
      if (!s.playing || !track || track.id === lastTrackId) return;
      lastTrackId = track.id;
      if (!enabled()) return;
      notifier.show({
        title: track.title,
        body: [track.artist.name, track.release?.title].filter(Boolean).join(' — '),
        ...(track.release?.image ? { icon: track.release.image } : {}),
      });
    }),
  ]);
}
