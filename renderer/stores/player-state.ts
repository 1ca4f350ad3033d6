// The player's state and dependencies. The store is built in player.ts from player-core.ts
// (loading, ending and reporting tracks) and player-actions.ts (what the listener and the
// engine can do).
import type { StoreApi } from 'zustand/vanilla';
import type { PlayContext, RepeatMode, StreamView, TrackView } from '../../shared/ipc/contract.js';
import type { AudioEngine } from '../services/audio-engine.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { PlayheadStore } from './playhead.js';
import type { Queue } from './queue-ops.js';
import type { UiStore } from './ui.js';

/** While a radio station plays, it decides what comes next instead of the queue. */
export type ExternalSource = {
  /** The current track ended by itself. */
  onEnded(track: TrackView, durationPlayed: number): void;
  /** The listener pressed Next. */
  onNext(track: TrackView, durationPlayed: number): void;
  onPlayPause(track: TrackView, playing: boolean): void;
};

export type PlayerState = {
  queue: Queue;
  context: PlayContext;
  repeat: RepeatMode;
  volume: number;
  muted: boolean;
  playing: boolean;
  loading: boolean;
  /** The stream of the loaded track (null before the first play, or after restore until Play). */
  stream: StreamView | null;
  /** Track playing from a radio station (not in the queue). */
  radioTrack: TrackView | null;
  /** The stream failed for lack of network; it resumes when connectivity returns. */
  stalled: boolean;
  playTracks(tracks: TrackView[], start?: number, context?: PlayContext): Promise<void>;
  playNext(tracks: TrackView[]): void;
  addToQueue(tracks: TrackView[]): void;
  playAt(index: number): Promise<void>;
  togglePlay(): void;
  play(): void;
  pause(): void;
  next(): Promise<void>;
  previous(): Promise<void>;
  seek(seconds: number): void;
  seekBy(delta: number): void;
  setVolume(volume: number): void;
  toggleMute(): void;
  toggleShuffle(): void;
  cycleRepeat(): void;
  removeFromQueue(uid: string): void;
  moveInQueue(from: number, to: number): void;
  clearQueue(): void;
  restore(): Promise<void>;
  /** Plays a stream chosen by an external source (radio). */
  playExternal(track: TrackView, stream: StreamView, source: ExternalSource): void;
  endExternal(): void;
  reclaimStream(): Promise<void>;
  // Engine callbacks (wired by bindings).
  onTime(position: number, duration: number): void;
  onSeeked(position: number): void;
  onPlaying(playing: boolean): void;
  onEnded(): void;
  onError(err: { code: string; message: string; retryable?: boolean }): void;
};
export type PlayerStore = StoreApi<PlayerState>;

export type PlayerDeps = {
  ipc: IpcClient;
  engine: AudioEngine;
  playhead: PlayheadStore;
  ui: UiStore;
  /** False for tracks that cannot play now (offline and not cached). */
  isPlayable?: (trackId: string) => boolean;
  /** True for tracks kept in the offline cache. */
  isCached?: (trackId: string) => boolean;
  random?: () => number;
};
