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

/**
 * While a radio station plays, it decides what comes next instead of the queue. The station is
 * non-interactive: the player refuses seeks, Previous and jumps through the queue meanwhile.
 */
export type ExternalSource = {
  /** The current track ran to its end; `reported` settles once main has the play's report. */
  onEnded(track: TrackView, reported: Promise<void>): void;
  /** The listener pressed Next: a skip, within the station's budget. */
  onNext(track: TrackView): void;
  /** The listener played something else: the station stops. */
  onLeft(): void;
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
  /**
   * Plays a stream chosen by an external source (radio). `reported`: main already closed the
   * previous play (radio:skip), so it is not reported again.
   */
  playExternal(
    track: TrackView,
    stream: StreamView,
    source: ExternalSource,
    options?: { reported?: boolean },
  ): void;
  /** The play in progress (stream id and listening so far), for a radio skip. */
  currentPlay(): { streamId: string; listened: number } | null;
  /** Reports the play in progress and empties the player: the account signs out or changes. */
  forgetAccount(): Promise<void>;
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
  /** The sleep timer's "end of this track": true (once) when the track that just ended was the last. */
  sleepAtTrackEnd?: () => boolean;
};
