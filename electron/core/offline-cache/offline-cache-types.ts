// What the offline cache stores, reports and needs.
import type { Readable } from 'node:stream';
import type { StreamFormat } from '../../../shared/domain/stream.js';
import type { AppError } from '../../../shared/errors.js';
import type { SqliteDatabase } from '../db/open-database.js';
import type { ApiCall, CoreLogger, GetSession, UpstreamFetch, UrlFetch } from '../media-gateway/upstream.js';

/** A cached track is stored in the stream format it was fetched in. */
export type OfflineFormat = StreamFormat;

export type OfflineCacheEvent =
  | { type: 'added'; trackId: string }
  | { type: 'removed'; trackId: string }
  | { type: 'evicted'; trackId: string }
  | { type: 'corrupted'; trackId: string; message: string }
  | { type: 'refetchFailed'; trackId: string; error: AppError };

export type OfflineCacheDeps = {
  /** Folder owned by the cache: index.sqlite, files/, tmp/. */
  dir: string;
  /** An already-open index database (migrated here); by default dir/index.sqlite via openDatabase. */
  database?: SqliteDatabase;
  getMasterKey: () => Promise<Buffer>;
  getSession: GetSession;
  /** Signed JSON calls (device authorisation). */
  call: ApiCall;
  /** Signed media requests (the offline streaming endpoints). */
  upstream: UpstreamFetch;
  fetchUrl?: UrlFetch;
  quotaBytes?: number;
  chunkSize?: number;
  defaultFormat?: OfflineFormat;
  /** How long offline content keeps playing when the subscription expiry is unknown and we are offline. */
  offlineGraceMs?: number;
  deviceName?: string;
  platform?: 'ios' | 'android' | 'web' | 'windows' | 'macos';
  /** Re-fetch an entry found corrupted (default true; needs connectivity). */
  refetchCorrupted?: boolean;
  now?: () => number;
  log?: CoreLogger;
  onEvent?: (event: OfflineCacheEvent) => void;
};

export type OfflineProgress = {
  trackId: string;
  /** 0-based position of this track in the request. */
  index: number;
  total: number;
  bytes: number;
  totalBytes: number | null;
  done: boolean;
};

export type MakeAvailableResult =
  { trackId: string; ok: true } | { trackId: string; ok: false; error: AppError };

export type OfflineEntryView = {
  trackId: string;
  format: OfflineFormat;
  contentType: string;
  bytes: number;
  storedBytes: number;
  chunkCount: number;
  pinned: boolean;
  status: 'ok' | 'bad';
  lastPlayed: string | null;
  createdAt: string;
  sourceOperation: string;
  sha256: string;
};

export type OfflineTrack = {
  trackId: string;
  format: OfflineFormat;
  /** Content type of the audio (progressive) or of the segments (HLS). */
  contentType: string;
  /** Length of the progressive audio; for HLS the total of all parts. */
  plainBytes: number;
  /** HLS: the stored manifest, whose URIs are the part names (seg/0, key/0, …). */
  manifest(): Promise<string | null>;
  partNames(): string[];
  /** One whole part, authenticated before it is returned (HLS segments and keys). */
  readPart(name: string): Promise<{ data: Buffer; contentType: string }>;
  /** Decrypting stream of the progressive audio, bytes [start, end) (end exclusive). */
  createReadStream(range?: { start?: number; end?: number }): Readable;
  close(): Promise<void>;
};
