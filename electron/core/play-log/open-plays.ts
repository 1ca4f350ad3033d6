// Plays still open, in play-log.sqlite (table play_open, schema 2): main opens one when it
// resolves a stream, the renderer's reports update it, and closing it writes the play-log row
// in the same transaction (play-log-service recordPlay with inTransaction), so a play is
// either open or queued, never both and never neither — across crashes too.
import type { LogKind, PlayContext, PlayMode } from '../../../shared/domain/play.js';
import type { StreamFormat, StreamSource } from '../../../shared/domain/stream.js';
import { databaseGuard, type SqliteDatabase } from '../db/open-database.js';

/** What main decided about a play when it resolved its stream: the renderer cannot change it. */
export type OpenPlayFields = {
  trackId: string;
  releaseId?: string;
  formatId?: number;
  playMode: PlayMode;
  country: string;
  clientId: string;
  context: PlayContext;
  source: StreamSource;
  format: StreamFormat;
  /** The track's length when main knows it (radio, previews). */
  durationSec?: number;
  /** The radio listening session the stream belongs to. */
  radioSessionId?: string;
};

export type OpenPlay = {
  streamId: string;
  userId: string;
  endpoint: LogKind;
  play: OpenPlayFields;
  openedAt: number;
  /** When the renderer said audio started (null: not yet). */
  startedAt: number | null;
  /** The last listened time accepted (ms). */
  listenedMs: number;
  seeks: number;
  pauses: number;
  updatedAt: number;
};

export type OpenPlayProgress = Pick<OpenPlay, 'startedAt' | 'listenedMs' | 'seeks' | 'pauses' | 'updatedAt'>;

type Raw = {
  stream_id: string;
  user_id: string;
  endpoint: LogKind;
  play: string;
  opened_at: number;
  started_at: number | null;
  listened_ms: number;
  seeks: number;
  pauses: number;
  updated_at: number;
};

const toOpenPlay = (raw: Raw): OpenPlay => ({
  streamId: raw.stream_id,
  userId: raw.user_id,
  endpoint: raw.endpoint,
  play: JSON.parse(raw.play) as OpenPlayFields,
  openedAt: raw.opened_at,
  startedAt: raw.started_at,
  listenedMs: raw.listened_ms,
  seeks: raw.seeks,
  pauses: raw.pauses,
  updatedAt: raw.updated_at,
});

export type OpenPlays = ReturnType<typeof createOpenPlays>;

/** The play_open table of a play-log database opened (and migrated) by openPlayLogDatabase. */
export function createOpenPlays(db: SqliteDatabase) {
  const guard = databaseGuard(db.name);
  const q = {
    insert: db.prepare(
      `INSERT INTO play_open (stream_id, user_id, endpoint, play, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    get: db.prepare(`SELECT * FROM play_open WHERE stream_id = ?`),
    progress: db.prepare(
      `UPDATE play_open SET started_at = ?, listened_ms = ?, seeks = ?, pauses = ?, updated_at = ? WHERE stream_id = ?`,
    ),
    remove: db.prepare(`DELETE FROM play_open WHERE stream_id = ?`),
    ofUser: db.prepare(`SELECT * FROM play_open WHERE user_id = ? ORDER BY opened_at`),
    all: db.prepare(`SELECT * FROM play_open ORDER BY opened_at`),
  };
  return {
    open(play: Omit<OpenPlay, 'startedAt' | 'listenedMs' | 'seeks' | 'pauses' | 'updatedAt'>): void {
      guard(() =>
        q.insert.run(
          play.streamId,
          play.userId,
          play.endpoint,
          JSON.stringify(play.play),
          play.openedAt,
          play.openedAt,
        ),
      );
    },
    get(streamId: string): OpenPlay | null {
      return guard(() => {
        const raw = q.get.get(streamId) as Raw | undefined;
        return raw ? toOpenPlay(raw) : null;
      });
    },
    progress(streamId: string, progress: OpenPlayProgress): void {
      guard(() =>
        q.progress.run(
          progress.startedAt,
          Math.round(progress.listenedMs),
          progress.seeks,
          progress.pauses,
          progress.updatedAt,
          streamId,
        ),
      );
    },
    /** Deletes the open play (inside the transaction that queues its log row). */
    remove(streamId: string): boolean {
      return guard(() => q.remove.run(streamId).changes === 1);
    },
    /** One listener's open plays, or everyone's. */
    list(userId?: string): OpenPlay[] {
      return guard(() =>
        ((userId === undefined ? q.all.all() : q.ofUser.all(userId)) as Raw[]).map(toOpenPlay),
      );
    },
  };
}
