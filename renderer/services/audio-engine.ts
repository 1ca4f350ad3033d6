// The audio engine as the player sees it: load a stream, play, pause, seek, preload the next
// one, and the events and audio clock it reports. The engine is services/audio/player-engine.ts:
// two decks of <audio> elements through one WebAudio graph, HLS on a gapless MediaSource
// timeline (hls.js cannot trim priming and padding nor start a track on the sample after the
// last: see docs/audio-pipeline.md).
import type { AppErrorCode } from '../../shared/errors.js';
import type { AudioClockReading } from './audio-clock.js';

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
  /** The <audio> element playing now (the engine has two: one fades out under a crossfade). */
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
  /**
   * The source that will play next: put behind the current track on its timeline (it then starts
   * on the sample after the current one's last), or readied to crossfade into.
   */
  preload(source: StreamSource): void;
  /** Resumes loading after a fatal network error (e.g. when connectivity returns). */
  retry(): void;
  stop(): void;
  currentSource(): StreamSource | null;
  on<K extends keyof EngineEventMap>(event: K, listener: Listener<K>): () => void;
  destroy(): void;
};
