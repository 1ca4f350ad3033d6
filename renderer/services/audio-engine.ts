// One <audio> element for the whole app, driven by hls.js for HLS sources and played
// directly for progressive ones. The next track can be preloaded (manifest + first
// fragment) into a detached hls.js instance that is attached when that track starts. Its
// audio clock (audio-clock.ts) tells the play meter what the element really rendered.
import Hls from 'hls.js';
import type { ErrorData, HlsConfig, LoaderConfig, RetryConfig } from 'hls.js';
import type { AppErrorCode } from '../../shared/errors.js';
import { createElementClock, type AudioClockReading, type ElementClockEvent } from './audio-clock.js';
import { createLogger } from './logger.js';

const log = createLogger('audio-engine');

export type StreamKind = 'hls' | 'progressive';
/** A stream to play; the track and release let the audio pipeline meter loudness and join albums. */
export type StreamSource = { url: string; kind: StreamKind; trackId?: string; releaseId?: string };

export type EngineEventMap = {
  time: { position: number; duration: number };
  playing: { playing: boolean };
  waiting: { waiting: boolean };
  ended: undefined;
  seeked: { position: number };
  /** `retryable`: a transient network failure (no answer, timeout, 408, 429, 5xx) worth retrying. */
  error: { code: AppErrorCode; message: string; retryable?: boolean };
};
type Listener<K extends keyof EngineEventMap> = (payload: EngineEventMap[K]) => void;

export type AudioEngine = {
  readonly element: HTMLAudioElement;
  /** Loads a source; playback starts when `autoplay` is true. */
  load(source: StreamSource, options?: { startAt?: number; autoplay?: boolean }): void;
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  /**
   * What the output rendered since the previous call (the play meter's only input). Any engine
   * must provide it: a WebAudio graph from the frames it rendered.
   */
  readClock(): AudioClockReading;
  setVolume(volume: number): void;
  setMuted(muted: boolean): void;
  /** Starts fetching the manifest and first fragment of a source that will play next. */
  preload(source: StreamSource): void;
  /** Resumes loading after a fatal network error (e.g. when connectivity returns). */
  retry(): void;
  stop(): void;
  currentSource(): StreamSource | null;
  on<K extends keyof EngineEventMap>(event: K, listener: Listener<K>): () => void;
  destroy(): void;
};

// Retry 429 and 5xx and transient network failures a few times; other 4xx are final.
const shouldRetry: NonNullable<RetryConfig['shouldRetry']> = (config, retryCount, isTimeout, response) => {
  if (!config || retryCount >= config.maxNumRetry) return false;
  if (isTimeout) return true;
  const status = response?.code ?? 0;
  return status === 0 || status === 429 || status >= 500;
};
const retry = (maxNumRetry: number, retryDelayMs: number, maxRetryDelayMs: number): RetryConfig => ({
  maxNumRetry,
  retryDelayMs,
  maxRetryDelayMs,
  backoff: 'exponential',
  shouldRetry,
});
const policy = (
  ttfb: number,
  maxLoad: number,
  timeouts: number,
  errors: number,
  maxErrorDelayMs = 4000,
): { default: LoaderConfig } => ({
  default: {
    maxTimeToFirstByteMs: ttfb,
    maxLoadTimeMs: maxLoad,
    timeoutRetry: retry(timeouts, 0, 0),
    errorRetry: retry(errors, 500, maxErrorDelayMs),
  },
});

/** Tuned for fast start on a local gateway (perf notes §1.1) and bounded retries (§2.9). */
export const hlsConfig: Partial<HlsConfig> = {
  enableWorker: true,
  startLevel: 0,
  testBandwidth: false,
  startFragPrefetch: true,
  maxBufferLength: 30,
  maxMaxBufferLength: 120,
  backBufferLength: 30,
  manifestLoadPolicy: policy(8000, 15000, 2, 3),
  playlistLoadPolicy: policy(8000, 15000, 2, 3),
  // Fragment retries capped at 2 s apart (~9.5 s in all), so a stream resumes within about 2 s of
  // the network returning; after that the player keeps retrying (see bindings).
  fragLoadPolicy: policy(8000, 60000, 3, 6, 2000),
  keyLoadPolicy: policy(8000, 15000, 2, 4),
};

type Emitter = {
  emit<K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K]): void;
  on: AudioEngine['on'];
  clear(): void;
};

function createEmitter(): Emitter {
  const listeners = new Map<keyof EngineEventMap, Set<(payload: never) => void>>();
  return {
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) (l as Listener<typeof event>)(payload);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    clear: () => listeners.clear(),
  };
}

/** A fatal hls.js error as the engine reports it: network (retryable when transient), rate limit, other. */
function fatalHlsError(data: Pick<ErrorData, 'type' | 'details' | 'response'>): EngineEventMap['error'] {
  const status = data.response?.code;
  const network = data.type === Hls.ErrorTypes.NETWORK_ERROR;
  const code: AppErrorCode = network ? (status === 429 ? 'rate_limited' : 'network') : 'internal';
  return {
    code,
    message: status ? `Stream failed (HTTP ${status})` : `Stream failed (${data.details})`,
    retryable: network && (!status || status === 408 || status === 429 || status >= 500),
  };
}

/** The <audio> element's events → engine events. */
function listenToElement(
  element: HTMLAudioElement,
  emit: Emitter['emit'],
  hooks: {
    /** Metadata is known: seek to the position the load asked for. */
    onLoadedMetadata(): void;
    /** The element's own error event is the engine's to report (progressive sources only). */
    ownsErrors(): boolean;
  },
): void {
  const emitTime = () =>
    emit('time', {
      position: element.currentTime,
      duration: Number.isFinite(element.duration) ? element.duration : 0,
    });
  element.addEventListener('timeupdate', emitTime);
  element.addEventListener('durationchange', emitTime);
  element.addEventListener('loadedmetadata', () => hooks.onLoadedMetadata());
  element.addEventListener('playing', () => {
    emit('waiting', { waiting: false });
    emit('playing', { playing: true });
  });
  element.addEventListener('pause', () => emit('playing', { playing: false }));
  element.addEventListener('waiting', () => emit('waiting', { waiting: true }));
  element.addEventListener('seeked', () => emit('seeked', { position: element.currentTime }));
  element.addEventListener('ended', () => emit('ended', undefined));
  element.addEventListener('error', () => {
    // hls.js reports its own errors; this is for progressive sources.
    if (!hooks.ownsErrors()) return;
    const mediaError = element.error;
    emit('error', { code: 'network', message: mediaError?.message || 'The audio could not be loaded' });
  });
}

/** The next track's hls.js instance, loading its manifest and first fragment before it plays. */
function createPreloader(newHls: () => Hls): {
  preload(source: StreamSource): void;
  /** The preloaded instance for this URL (handed over: the preloader forgets it), or null. */
  take(url: string): Hls | null;
  discard(): void;
} {
  let preloaded: { source: StreamSource; hls: Hls } | null = null;
  const discard = () => {
    if (preloaded) {
      preloaded.hls.destroy();
      preloaded = null;
    }
  };
  return {
    preload(source) {
      if (preloaded?.source.url === source.url) return;
      discard();
      const instance = newHls();
      instance.loadSource(source.url);
      preloaded = { source, hls: instance };
    },
    take(url) {
      if (!preloaded || preloaded.source.url !== url) return null;
      const { hls } = preloaded;
      preloaded = null;
      return hls;
    },
    discard,
  };
}

// One closure on purpose (over 80 lines): the methods share the element, the current hls.js
// instance, the source and the pending start position; events, the preloader and the error
// mapping are apart (above).
export function createAudioEngine(
  options: { element?: HTMLAudioElement; hlsSupported?: boolean } = {},
): AudioEngine {
  const element = options.element ?? document.createElement('audio');
  element.preload = 'auto';
  element.dataset.testid = 'audio-engine';
  const hlsSupported = options.hlsSupported ?? Hls.isSupported();
  const { emit, on, clear } = createEmitter();
  // Registered before the engine's own listeners: the clock attributes each interval first.
  const clock = createElementClock(element);
  const clockEvents: ElementClockEvent[] = [
    'timeupdate',
    'play',
    'playing',
    'pause',
    'waiting',
    'seeking',
    'seeked',
    'ended',
    'ratechange',
  ];
  for (const event of clockEvents) element.addEventListener(event, () => clock.note(event));
  let hls: Hls | null = null;
  let source: StreamSource | null = null;
  let pendingStart: number | null = null;
  let lastMediaRecovery = 0;

  const playSafely = () => {
    element.play().catch((err: unknown) => {
      // AbortError: a newer load() interrupted this play(); not an error.
      if (err instanceof DOMException && err.name === 'AbortError') return;
      const message = err instanceof Error ? err.message : String(err);
      log.warn('play() rejected', message);
      emit('playing', { playing: false });
      // NotAllowed: autoplay policy, the listener presses Play. NotSupported: the element's
      // own 'error' event (or hls.js) reports the failed source.
      if (err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'NotSupportedError'))
        return;
      emit('error', { code: 'internal', message: `Playback could not start: ${message}` });
    });
  };

  const destroyHls = () => {
    if (hls) {
      hls.destroy();
      hls = null;
    }
  };

  const newHls = (): Hls => {
    const instance = new Hls(hlsConfig);
    instance.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && Date.now() - lastMediaRecovery > 5000) {
        lastMediaRecovery = Date.now();
        log.warn('recovering from media error', data.details);
        instance.recoverMediaError();
        return;
      }
      log.error('fatal hls error', { type: data.type, details: data.details, status: data.response?.code });
      emit('error', fatalHlsError(data));
    });
    return instance;
  };
  const preloader = createPreloader(newHls);

  listenToElement(element, emit, {
    onLoadedMetadata() {
      if (pendingStart !== null && pendingStart > 0) element.currentTime = pendingStart;
      pendingStart = null;
    },
    ownsErrors: () => !hls && source !== null,
  });

  return {
    element,
    load(next, opts = {}) {
      destroyHls();
      source = next;
      pendingStart = opts.startAt ?? null;
      clock.reset();
      if (next.kind === 'hls' && hlsSupported) {
        const preloaded = preloader.take(next.url);
        if (preloaded) {
          hls = preloaded;
        } else {
          preloader.discard();
          hls = newHls();
          hls.loadSource(next.url);
        }
        hls.attachMedia(element);
      } else {
        preloader.discard();
        element.removeAttribute('src');
        // Safari-like engines play HLS natively when hls.js (MSE) is unavailable.
        element.src = next.url;
        element.load();
      }
      if (opts.autoplay ?? true) playSafely();
    },
    play() {
      if (!source) return;
      playSafely();
    },
    pause() {
      element.pause();
    },
    seek(seconds) {
      if (!source) return;
      const duration = Number.isFinite(element.duration) ? element.duration : Infinity;
      clock.note('seek');
      element.currentTime = Math.max(0, Math.min(seconds, duration - 0.05));
    },
    readClock: () => clock.read(),
    setVolume(volume) {
      element.volume = Math.max(0, Math.min(1, volume));
    },
    setMuted(muted) {
      element.muted = muted;
    },
    preload(next) {
      if (next.kind !== 'hls' || !hlsSupported) return;
      preloader.preload(next);
    },
    retry() {
      if (hls) hls.startLoad(element.currentTime);
      else if (source && element.error) {
        const at = element.currentTime;
        pendingStart = at;
        element.load();
        playSafely();
      }
    },
    stop() {
      destroyHls();
      preloader.discard();
      source = null;
      element.pause();
      element.removeAttribute('src');
      element.load();
      clock.reset();
    },
    currentSource: () => source,
    on,
    destroy() {
      destroyHls();
      preloader.discard();
      clear();
      element.remove();
    },
  };
}
