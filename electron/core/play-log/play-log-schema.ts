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

export { playLogMigrations } from './migrations/index.js';
