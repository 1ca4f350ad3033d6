// The one IPC contract between the renderer and main, served identically by the Electron host
// (ipcMain/preload) and the browser host (HTTP/WebSocket). Channels are `domain:verbNoun` with one
// plain-object argument validated by a zod schema; events are `domain:somethingChanged`.
// Only views cross this boundary: never a token, token secret or consumer secret.
import { z } from 'zod';
import { DownloadFormat } from '../domain/formats.js';
import { EndReason, LogKind, PlayContext, PlayMode } from '../domain/play.js';
import { StreamFormat, StreamQuality } from '../domain/stream.js';
import type { AppErrorData } from '../errors.js';
import { channelNames, eventNameList, type ChannelName } from './names.js';

// ---------------------------------------------------------------------------------------------
// Results

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

// ---------------------------------------------------------------------------------------------
// Building blocks

const Id = z.string().min(1).max(200);
const PageNumber = z.number().int().min(1).max(100_000);
const PageSize = z.number().int().min(1).max(100);
const Empty = z.strictObject({});

export const ReleaseType = z.enum(['album', 'single', 'ep', 'compilation']);
export type ReleaseType = z.infer<typeof ReleaseType>;

export const ArtistRef = z.object({ id: Id, name: z.string().max(1000) });
export type ArtistRef = z.infer<typeof ArtistRef>;

export const ReleaseRef = z.object({
  id: Id,
  title: z.string().max(1000),
  image: z.string().max(2000).optional(),
});
export type ReleaseRef = z.infer<typeof ReleaseRef>;

/** A track as the renderer shows and queues it. Also accepted back (queue, playlists). */
export const TrackView = z.object({
  id: Id,
  title: z.string().max(1000),
  version: z.string().max(1000).optional(),
  artist: ArtistRef,
  release: ReleaseRef.optional(),
  trackNumber: z.number().int().optional(),
  durationSec: z.number().nonnegative().optional(),
  explicit: z.boolean().optional(),
  isrc: z.string().max(100).optional(),
});
export type TrackView = z.infer<typeof TrackView>;

export type ArtistView = { id: string; name: string; sortName?: string; image?: string };

export type ReleaseView = {
  id: string;
  title: string;
  type?: ReleaseType;
  artist: ArtistRef;
  image?: string;
  releaseDate?: string;
  label?: string;
  explicit?: boolean;
  /** catalogue:getRelease only: whether the signed-in listener owns it (locker). */
  owned?: boolean;
};

export type Page<T> = { items: T[]; page: number; pageSize: number; totalItems: number };

// ---------------------------------------------------------------------------------------------
// Session

export const SubscriptionStatus = z.enum(['active', 'expired', 'none', 'unknown']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

export type SessionView =
  | { state: 'signedOut'; reason?: 'signedOut' | 'expired' }
  | {
      state: 'signedIn';
      userId: string;
      email?: string;
      country: string;
      subscription: SubscriptionStatus;
      method: 'browser' | 'password' | 'demo';
    };

// ---------------------------------------------------------------------------------------------
// Playback

// The play vocabulary lives in shared/domain; re-exported here for the contract's users.
export { EndReason, LogKind, PlayContext, PlayMode };

/** A track's integrated loudness as measured from its audio, and over how many seconds. */
export type TrackLoudness = { lufs: number; measuredSec: number };

/**
 * A playable URL on main's media gateway (loopback, per-run token). `context: 'subscription'`
 * for a listener without a subscription resolves to a 30 s preview (`logKind: 'preview'`).
 * Main opens a play for every stream it resolves: the renderer reports what it heard by
 * `streamId` (playback:reportPlayEvent, playback:reportPlay); the other fields are for display.
 */
export type StreamView = {
  streamId: string;
  trackId: string;
  url: string;
  kind: StreamFormat;
  playMode: PlayMode;
  logKind: LogKind;
  context: PlayContext;
  formatId?: number;
  durationSec?: number;
};

const ResolveStreamArg = z.strictObject({
  trackId: Id,
  releaseId: Id.optional(),
  context: PlayContext,
});

// ---------------------------------------------------------------------------------------------
// Queue

export const RepeatMode = z.enum(['off', 'all', 'one']);
export type RepeatMode = z.infer<typeof RepeatMode>;

export const SavedQueue = z.strictObject({
  tracks: z.array(TrackView).max(20_000),
  index: z.number().int().min(-1),
  positionSec: z.number().nonnegative(),
  shuffle: z.boolean(),
  repeat: RepeatMode,
  /** Play order when shuffled: indices into `tracks`. */
  shuffleOrder: z.array(z.number().int().nonnegative()).max(20_000).optional(),
  context: PlayContext.optional(),
});
export type SavedQueue = z.infer<typeof SavedQueue>;

// ---------------------------------------------------------------------------------------------
// Radio

export const Ruleset = z.enum(['dmca', 'gvl']);
export type Ruleset = z.infer<typeof Ruleset>;

export type RadioStationView = {
  sessionId: string;
  ruleset: Ruleset;
  skipsRemaining: number;
  /** ISO time the next skip comes back when none is left. */
  nextSkipAt?: string;
};

export type RadioTrackView = {
  track: TrackView;
  stream: StreamView;
  skipAllowed: boolean;
  skipsRemaining: number;
  /** ISO time the next skip comes back when none is left. */
  nextSkipAt?: string;
};

/** What the renderer tells main about an open play (a radio station cannot seek). */
export const PlayEvent = z.enum(['started', 'paused', 'resumed', 'seeked', 'progress']);
export type PlayEvent = z.infer<typeof PlayEvent>;

/** Seconds of audio heard, as the renderer's play meter measured it. */
const Listened = z
  .number()
  .nonnegative()
  .max(24 * 3600);

// ---------------------------------------------------------------------------------------------
// Locker, downloads, sales

export type LockerView = {
  releases: (ReleaseView & { purchaseId?: string })[];
  tracks: (TrackView & { purchaseId?: string })[];
  page: number;
  pageSize: number;
  totalItems: number;
};

export const DownloadKind = z.enum(['track', 'release', 'purchase']);
export type DownloadKind = z.infer<typeof DownloadKind>;

export { DownloadFormat };

export type DownloadView = {
  downloadId: string;
  kind: DownloadKind;
  itemId: string;
  title?: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  receivedBytes: number;
  totalBytes?: number;
  /** Final path, once done. */
  filePath?: string;
  error?: AppErrorData;
};

// ---------------------------------------------------------------------------------------------
// Playlists

export const Visibility = z.enum(['private', 'public']);
export type Visibility = z.infer<typeof Visibility>;

export const playlistDescriptionMaxLength = 500;
const PlaylistName = z.string().trim().min(1).max(200);
const PlaylistDescription = z.string().max(playlistDescriptionMaxLength);

export type PlaylistSummary = {
  id: string;
  name: string;
  description?: string;
  visibility: Visibility;
  trackCount: number;
  modifiedAt?: string;
};

export type PlaylistTrackView = {
  playlistTrackId: string;
  trackId: string;
  title: string;
  artist: string;
  image?: string;
  position: number;
  /** From the catalogue (the API's playlist entries carry none); absent when it cannot say. */
  durationSec?: number;
};

export type PlaylistView = PlaylistSummary & { tracks: PlaylistTrackView[] };

// ---------------------------------------------------------------------------------------------
// Offline

export type DeviceView = {
  deviceId: string;
  deviceName?: string;
  platform?: string;
  status: 'authorised' | 'deauthorised';
  authorisedAt?: string;
  thisDevice: boolean;
};

export type OfflineItemView = {
  itemId: string;
  kind: 'release' | 'playlist';
  title: string;
  trackCount: number;
  cachedCount: number;
  bytes: number;
  state: 'queued' | 'downloading' | 'ready' | 'failed';
  error?: AppErrorData;
};

export type OfflineStatusView = {
  deviceAuthorised: boolean;
  usedBytes: number;
  quotaBytes: number;
  items: OfflineItemView[];
  /** Tracks that can play without the network. */
  cachedTrackIds: string[];
};

/** A release or playlist kept offline as the library keeps it: shown and played with no network. */
export type OfflineLibraryItemView =
  | { itemId: string; kind: 'release'; release: ReleaseView; tracks: TrackView[] }
  | { itemId: string; kind: 'playlist'; playlist: PlaylistView; tracks: TrackView[] };

const OfflineTarget = z.union([z.strictObject({ releaseId: Id }), z.strictObject({ playlistId: Id })]);

// ---------------------------------------------------------------------------------------------
// Settings, app, play log

export { StreamFormat, StreamQuality };

/** The equaliser: a pre-amp and 10 bands (31 Hz … 16 kHz), in dB; a preset names a set of bands. */
export const EqualiserPreset = z.enum([
  'flat',
  'bass',
  'treble',
  'vocal',
  'rock',
  'classical',
  'electronic',
  'custom',
]);
export type EqualiserPreset = z.infer<typeof EqualiserPreset>;
const EqGainDb = z.number().min(-12).max(12);
/** The audio pipeline: loudness normalisation (target), crossfade and the equaliser. */
export const AudioSettings = z.strictObject({
  /** off, or a loudness target: quiet −23, normal −14, loud −11 LUFS. */
  normalisation: z.enum(['off', 'quiet', 'normal', 'loud']),
  /** Seconds of overlap between tracks (0 = off); never inside a release. */
  crossfadeSec: z.number().min(0).max(12),
  equaliser: z.strictObject({
    enabled: z.boolean(),
    preset: EqualiserPreset,
    preampDb: EqGainDb,
    bandsDb: z.array(EqGainDb).length(10),
  }),
});
export type AudioSettings = z.infer<typeof AudioSettings>;
export const defaultAudioSettings: AudioSettings = {
  normalisation: 'normal',
  crossfadeSec: 0,
  equaliser: { enabled: true, preset: 'flat', preampDb: 0, bandsDb: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
};

export const Settings = z.strictObject({
  streamFormat: StreamFormat,
  streamQuality: StreamQuality,
  cacheQuotaBytes: z
    .number()
    .int()
    .min(100 * 1024 * 1024)
    .max(2 ** 50),
  downloadFormat: DownloadFormat,
  downloadFolder: z.string().max(4096).nullable(),
  /** The player's volume (0–1) and mute, kept by the core so they survive a restart. */
  volume: z.number().min(0).max(1),
  muted: z.boolean(),
  /** A system notification when the track changes. */
  notifyOnTrackChange: z.boolean(),
  /** Normalisation, crossfade and equaliser (the core always answers with them; defaultAudioSettings). */
  audio: AudioSettings.optional(),
});
export type Settings = z.infer<typeof Settings>;

export type AppInfo = {
  version: string;
  host: 'electron' | 'browser';
  /** 'none': secrets are kept in memory only, sign-in is not remembered across restarts. */
  vaultBackend: 'keytar' | 'safe-storage' | 'none';
  /** With no keychain: what the listener loses (sign-in, offline copies) and how to fix it. */
  vaultProblem?: string;
  clientId: string;
  apiBaseUrl: string;
  usingEmulator: boolean;
  online: boolean;
  platform: string;
};

export type PlayLogStatus = {
  pending: Record<LogKind, number>;
  deadLetters: number;
  lastError?: string;
  /** ISO time the service last accepted a batch of plays. */
  lastDeliveredAt?: string;
};

// ---------------------------------------------------------------------------------------------
// Home and artist radio

/** A release the listener left part-way: play it again from `track`. */
export type ContinueListeningView = { release: ReleaseView; track: TrackView; playedAt: string };

/** Home: from the signed-in listener's own play log, and the catalogue. */
export type HomeView = {
  /** Tracks played lately, newest first, each once. */
  recentlyPlayed: (TrackView & { playedAt: string })[];
  /** Releases whose last play stopped before the end of a track. */
  continueListening: ContinueListeningView[];
  /** The newest releases of the artists the listener plays. */
  newReleases: ReleaseView[];
};

/** A station seeded from an artist: its tracks and others (see radio/artist-station.ts). */
export type ArtistStationView = RadioStationView & {
  playlistId: string;
  artist: ArtistRef;
  artistTracks: number;
  otherTracks: number;
};

// ---------------------------------------------------------------------------------------------
// Channels: argument schemas

const Search = z.strictObject({
  q: z.string().trim().min(1).max(200),
  page: PageNumber.default(1),
  pageSize: PageSize.default(20),
});

export const channelArgs = {
  'session:getSession': Empty,
  'session:signInWithPassword': z.strictObject({
    email: z.string().min(1).max(320),
    password: z.string().min(1).max(1000),
  }),
  /** Opens the system browser; resolves once the one-shot loopback callback arrives. */
  'session:signInWithBrowser': Empty,
  'session:cancelSignIn': Empty,
  'session:signInDemo': z.strictObject({ subscription: z.boolean().default(true) }),
  'session:signOut': Empty,

  'catalogue:searchArtists': Search,
  'catalogue:searchReleases': Search,
  'catalogue:searchTracks': Search,
  'catalogue:browseArtists': z.strictObject({
    letter: z.string().regex(/^([a-zA-Z]|#)$/),
    page: PageNumber.default(1),
    pageSize: PageSize.default(50),
  }),
  'catalogue:getArtist': z.strictObject({ artistId: Id }),
  'catalogue:getArtistReleases': z.strictObject({
    artistId: Id,
    type: ReleaseType.optional(),
    page: PageNumber.default(1),
    pageSize: PageSize.default(50),
  }),
  'catalogue:getRelease': z.strictObject({ releaseId: Id }),
  'catalogue:getReleaseTracks': z.strictObject({ releaseId: Id }),
  'catalogue:getTracks': z.strictObject({ trackIds: z.array(Id).min(1).max(100) }),
  /** The artist's most popular tracks (the track search, weighted by popularity). */
  'catalogue:getArtistTopTracks': z.strictObject({
    artistId: Id,
    limit: z.number().int().min(1).max(50).default(10),
  }),

  'playback:resolveStream': ResolveStreamArg,
  /** Resolves and warms the gateway (manifest + first segment) for a near-gapless change. */
  'playback:prefetch': ResolveStreamArg,
  /**
   * The end of a play: what was heard and why it ended. Main refuses an unknown, closed or
   * foreign stream and more listening than the wall clock allows; what it records (endpoint,
   * play mode, format, country…) it decided when it resolved the stream.
   */
  'playback:reportPlay': z.strictObject({ streamId: Id, listened: Listened, endReason: EndReason }),
  /** A playback event of an open play (started, paused, resumed, seeked) or progress, with the listening so far. */
  'playback:reportPlayEvent': z.strictObject({ streamId: Id, event: PlayEvent, listened: Listened }),
  /** Take the subscription stream back after another device took it over. */
  'playback:reclaimStream': z.strictObject({ trackId: Id }),
  /** A track's integrated loudness as the player measured it (for normalisation), if it was. */
  'playback:getLoudness': z.strictObject({ trackId: Id }),
  /** Remembers a track's measured loudness (LUFS) and how many seconds of it were measured. */
  'playback:saveLoudness': z.strictObject({
    trackId: Id,
    lufs: z.number().min(-70).max(0),
    measuredSec: z.number().min(0).max(86_400),
  }),

  'queue:getSaved': Empty,
  'queue:save': SavedQueue,

  'radio:startStation': z.strictObject({ playlistIds: z.array(Id).min(1).max(50), ruleset: Ruleset }),
  'radio:nextTrack': Empty,
  /**
   * Skips the station's current stream (its play is reported as skipped with `listened`) and
   * returns the next track; fails with limit_reached when the budget is spent. Start, pause,
   * resume and complete reach the station from the play's own reports.
   */
  'radio:skip': z.strictObject({ streamId: Id, listened: Listened }),
  'radio:stopStation': Empty,

  'locker:getLocker': z.strictObject({ page: PageNumber.default(1), pageSize: PageSize.default(50) }),

  /** Electron: a folder dialog. Browser host: the configured/default downloads folder. */
  'downloads:chooseFolder': Empty,
  'downloads:start': z.strictObject({
    kind: DownloadKind,
    id: Id,
    format: DownloadFormat.optional(),
    folder: z.string().min(1).max(4096).optional(),
  }),
  'downloads:cancel': z.strictObject({ downloadId: Id }),
  'downloads:list': Empty,
  /** Shows a finished download in the system file manager (only files Septet saved). */
  'downloads:showInFolder': z.strictObject({ downloadId: Id }),

  'playlists:list': z.strictObject({ page: PageNumber.default(1), pageSize: PageSize.default(100) }),
  'playlists:get': z.strictObject({ playlistId: Id }),
  'playlists:create': z.strictObject({
    name: PlaylistName,
    description: PlaylistDescription.optional(),
    visibility: Visibility.default('private'),
    tracks: z.array(TrackView).max(1000).optional(),
  }),
  'playlists:update': z.strictObject({
    playlistId: Id,
    name: PlaylistName.optional(),
    description: PlaylistDescription.optional(),
    visibility: Visibility.optional(),
  }),
  'playlists:addTracks': z.strictObject({ playlistId: Id, tracks: z.array(TrackView).min(1).max(1000) }),
  'playlists:removeTrack': z.strictObject({ playlistId: Id, playlistTrackId: Id }),
  /** Moves a track to a 1-based position. */
  'playlists:moveTrack': z.strictObject({
    playlistId: Id,
    playlistTrackId: Id,
    toPosition: z.number().int().min(1),
  }),
  'playlists:delete': z.strictObject({ playlistId: Id }),

  'sales:buy': z.union([z.strictObject({ releaseId: Id }), z.strictObject({ trackId: Id })]),

  'offline:authoriseDevice': z.strictObject({ deviceName: z.string().min(1).max(100).optional() }),
  'offline:listDevices': Empty,
  'offline:makeAvailable': OfflineTarget,
  'offline:remove': OfflineTarget,
  'offline:getStatus': Empty,
  /** Everything kept offline with its tracks, from the encrypted library (no network needed). */
  'offline:getLibrary': Empty,

  'settings:get': Empty,
  'settings:update': Settings.partial().strict(),

  'app:getInfo': Empty,
  'playlog:getStatus': Empty,

  'home:getHome': Empty,
  /** A station from an artist's top tracks and the listener's own music (a private seed playlist). */
  'radio:startArtistStation': z.strictObject({ artistId: Id, ruleset: Ruleset.default('dmca') }),
} as const satisfies Record<string, z.ZodType>;

// ---------------------------------------------------------------------------------------------
// Channels: result values

export type ChannelValues = {
  'session:getSession': SessionView;
  'session:signInWithPassword': SessionView;
  'session:signInWithBrowser': SessionView;
  'session:cancelSignIn': null;
  'session:signInDemo': SessionView;
  'session:signOut': SessionView;

  'catalogue:searchArtists': Page<ArtistView>;
  'catalogue:searchReleases': Page<ReleaseView>;
  'catalogue:searchTracks': Page<TrackView>;
  'catalogue:browseArtists': Page<ArtistView>;
  'catalogue:getArtist': ArtistView;
  'catalogue:getArtistReleases': Page<ReleaseView>;
  'catalogue:getRelease': ReleaseView;
  'catalogue:getReleaseTracks': TrackView[];
  'catalogue:getTracks': TrackView[];
  'catalogue:getArtistTopTracks': TrackView[];

  'playback:resolveStream': StreamView;
  'playback:prefetch': StreamView;
  /** localId: the play-log row, null when nothing worth reporting was heard (under 1 s, not a natural end). */
  'playback:reportPlay': { localId: string | null };
  'playback:reportPlayEvent': null;
  'playback:reclaimStream': StreamView;
  'playback:getLoudness': TrackLoudness | null;
  'playback:saveLoudness': null;

  'queue:getSaved': SavedQueue | null;
  'queue:save': null;

  'radio:startStation': RadioStationView;
  'radio:nextTrack': RadioTrackView;
  'radio:skip': RadioTrackView;
  'radio:stopStation': null;

  'locker:getLocker': LockerView;

  'downloads:chooseFolder': { folder: string | null };
  'downloads:start': DownloadView;
  'downloads:cancel': null;
  'downloads:list': DownloadView[];
  'downloads:showInFolder': null;

  'playlists:list': Page<PlaylistSummary>;
  'playlists:get': PlaylistView;
  'playlists:create': PlaylistView;
  'playlists:update': PlaylistView;
  'playlists:addTracks': PlaylistView;
  'playlists:removeTrack': PlaylistView;
  'playlists:moveTrack': PlaylistView;
  'playlists:delete': null;

  'sales:buy': { purchaseId?: string };

  'offline:authoriseDevice': DeviceView;
  'offline:listDevices': DeviceView[];
  'offline:makeAvailable': OfflineItemView;
  'offline:remove': null;
  'offline:getStatus': OfflineStatusView;
  'offline:getLibrary': OfflineLibraryItemView[];

  'settings:get': Settings;
  'settings:update': Settings;

  'app:getInfo': AppInfo;
  'playlog:getStatus': PlayLogStatus;

  'home:getHome': HomeView;
  'radio:startArtistStation': ArtistStationView;
};

export type Channel = keyof typeof channelArgs;
/** What the renderer passes (defaults optional). */
export type ChannelArg<C extends Channel> = z.input<(typeof channelArgs)[C]>;
/** What a handler receives after validation (defaults applied). */
export type ChannelInput<C extends Channel> = z.output<(typeof channelArgs)[C]>;
export type ChannelValue<C extends Channel> = ChannelValues[C];

export const channels: readonly Channel[] = channelNames;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channelArgs, name);
}

// ---------------------------------------------------------------------------------------------
// Events (main → renderer)

export type EventPayloads = {
  'session:sessionChanged': SessionView;
  /** Another device took over the subscription stream (service code 3201). */
  'playback:streamTakenOver': { trackId?: string; message: string };
  'downloads:progressChanged': DownloadView;
  'offline:progressChanged': OfflineItemView;
  'app:connectivityChanged': { online: boolean };
  'playlog:statusChanged': PlayLogStatus;
  /** Electron host: a media key (global shortcut) was pressed. */
  'app:mediaKeyPressed': { key: MediaKey };
};

export type MediaKey = 'playPause' | 'next' | 'previous' | 'stop';

export type EventName = keyof EventPayloads;
export type EventPayload<E extends EventName> = EventPayloads[E];

export const eventNames = eventNameList satisfies readonly EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}

// ---------------------------------------------------------------------------------------------
// The bridge the renderer sees as `window.septet` (preload in Electron, bridge-browser otherwise)

export type SeptetBridge = {
  invoke<C extends Channel>(channel: C, arg: ChannelArg<C>): Promise<Result<ChannelValue<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

// Compile-time checks: every channel has a result type and every event is listed.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelsMatch: Same<Channel, keyof ChannelValues> = true;
const namesMatch: Same<Channel, ChannelName> = true;
const eventsMatch: Same<(typeof eventNames)[number], EventName> = true;
void channelsMatch;
void namesMatch;
void eventsMatch;
