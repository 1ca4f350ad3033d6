// The listener's own recent plays, read from the durable play log (play-log.sqlite): the rows
// still queued for the service (play_log) and the ones it accepted (play_log_delivered). This is
// what Home's "Recently played" and "Continue listening" are made of. Read-only: the play log
// service owns the tables. A play the service refused (dead letter) is not listed.
import { toDatabaseError, type SqliteDatabase } from '../db/open-database.js';
import type { EndReason } from '../../../shared/domain/play.js';

export type PlayedItem = {
  trackId: string;
  releaseId?: string;
  /** When the play started (ISO 8601). */
  playedAt: string;
  durationPlayed: number;
  endReason?: EndReason;
};

export type PlayHistory = {
  /** The newest plays of `userId` first, at most `limit`. */
  recent(userId: string, limit: number): PlayedItem[];
};

type Row = { payload: string; recorded_at: number };

export function createPlayHistory(db: SqliteDatabase, path = 'play-log.sqlite'): PlayHistory {
  const select = db.prepare<[string, number, string, number, number], Row>(
    `SELECT payload, recorded_at FROM (
       SELECT payload, recorded_at FROM play_log WHERE user_id = ? ORDER BY recorded_at DESC LIMIT ?
     ) UNION ALL SELECT payload, recorded_at FROM (
       SELECT payload, recorded_at FROM play_log_delivered WHERE user_id = ? ORDER BY recorded_at DESC LIMIT ?
     ) ORDER BY recorded_at DESC LIMIT ?`,
  );
  return {
    recent(userId, limit) {
      let rows: Row[];
      try {
        rows = select.all(userId, limit, userId, limit, limit);
      } catch (error) {
        throw toDatabaseError(error, path);
      }
      const items: PlayedItem[] = [];
      for (const row of rows) {
        const item = playedItem(row);
        if (item) items.push(item);
      }
      return items.sort((a, b) => b.playedAt.localeCompare(a.playedAt));
    },
  };
}

/** A stored payload as a played item; a payload that does not parse is skipped. */
function playedItem(row: Row): PlayedItem | null {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.trackId !== 'string') return null;
  const item: PlayedItem = {
    trackId: p.trackId,
    playedAt: typeof p.timestamp === 'string' ? p.timestamp : new Date(row.recorded_at).toISOString(),
    durationPlayed: typeof p.durationPlayed === 'number' ? p.durationPlayed : 0,
  };
  if (typeof p.releaseId === 'string') item.releaseId = p.releaseId;
  if (p.endReason === 'naturalEnd' || p.endReason === 'userSkipped' || p.endReason === 'other')
    item.endReason = p.endReason;
  return item;
}
