// What a play is, how it is validated, and the play-log database schema.
import { z } from 'zod';
import {
  EndReason,
  LogKind,
  logKinds,
  PlayMode,
  playModes,
  endReasons,
} from '../../../shared/domain/play.js';
import type { Migration } from '../db/open-database.js';

/** The logging endpoints are the play vocabulary's log kinds (shared/domain/play.ts). */
export const playLogEndpoints = logKinds;
export type PlayLogEndpoint = LogKind;
export { endReasons, playModes, type PlayMode };

/** A play as the player reports it. `kind` picks the logging endpoint. */
export const PlayInput = z.strictObject({
  kind: LogKind,
  playMode: PlayMode,
  trackId: z.string().trim().min(1).max(64),
  userId: z.string().trim().min(1).max(128),
  clientId: z.string().trim().min(1).max(128),
  /** Whole seconds actually played; 0 for a prefetch that never played. */
  durationPlayed: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as GB'),
  releaseId: z.string().trim().min(1).max(64).optional(),
  formatId: z.union([z.string().trim().min(1).max(32), z.number().int().nonnegative()]).optional(),
  endReason: EndReason.optional(),
  /** When the play happened; defaults to the moment it is recorded. */
  timestamp: z.iso.datetime({ offset: true }).optional(),
});
export type PlayInput = z.infer<typeof PlayInput>;

/** One log exactly as sent to the service (StreamLog of the spec plus the fields it documents). */
export type StreamLogPayload = {
  trackId: string;
  userId: string;
  clientId: string;
  timestamp: string;
  durationPlayed: number;
  country: string;
  playMode: PlayMode;
  releaseId?: string;
  formatId?: string;
  endReason?: EndReason;
};

export const playLogMigrations: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE play_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        local_id TEXT NOT NULL UNIQUE,
        endpoint TEXT NOT NULL CHECK (endpoint IN ('preview', 'catalogue', 'subscriber')),
        user_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight')),
        batch_id TEXT,
        attempt INTEGER NOT NULL DEFAULT 0,
        -- set when a process died with this row in flight: the service may already have it
        ambiguous INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX play_log_queue ON play_log (endpoint, state, seq);
      CREATE INDEX play_log_batch ON play_log (batch_id);

      CREATE TABLE play_log_dead_letter (
        local_id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        payload TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        service_code INTEGER,
        status INTEGER,
        attempt INTEGER NOT NULL,
        dead_at INTEGER NOT NULL
      );

      -- ACKED rows are deleted; this keeps their count, and each endpoint's retry state,
      -- so 'septet logs status' can read it from another process.
      CREATE TABLE play_log_endpoint (
        endpoint TEXT PRIMARY KEY,
        delivered INTEGER NOT NULL DEFAULT 0,
        batches INTEGER NOT NULL DEFAULT 0,
        ambiguous_resends INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error TEXT,
        last_error_at INTEGER,
        last_success_at INTEGER
      );
      INSERT INTO play_log_endpoint (endpoint) VALUES ('preview'), ('catalogue'), ('subscriber');

      CREATE TABLE play_log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `),
];
