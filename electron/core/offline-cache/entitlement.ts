// Whether offline content may play: what the service last said about the listener's
// subscription, kept in the cache index so it holds while offline (until it expires, or for a
// grace period when its end is unknown).
import { AppError } from '../../../shared/errors.js';
import type { SessionInfo } from '../media-gateway/upstream.js';
import type { CacheIndex } from './cache-index.js';

/** How stale the subscription record and an entry's last-played time may get before a play rewrites them. */
export const recordRefreshMs = 60_000;

type SubscriptionRecord = { active: boolean; expiresAt: number | null; checkedAt: number };

function subscriptionKey(userId: string): string {
  return `subscription:${userId}`;
}

/** Records what the service said about the subscription, or judges from the last record when offline. */
export function checkSubscriptionRecord(
  index: Pick<CacheIndex, 'getMeta' | 'setMeta'>,
  session: SessionInfo,
  options: { now: number; offlineGraceMs: number },
): void {
  const key = subscriptionKey(session.userId);
  const at = options.now;
  const stored = index.getMeta(key);
  let record = stored ? (JSON.parse(stored) as SubscriptionRecord) : undefined;
  if (session.subscriptionActive !== null) {
    const parsed = session.subscriptionExpiresAt ? Date.parse(session.subscriptionExpiresAt) : null;
    const expiresAt = Number.isNaN(parsed) ? null : parsed;
    // Opening a track must stay cheap: an unchanged record is rewritten at most once a minute.
    const unchanged =
      record !== undefined &&
      record.active === session.subscriptionActive &&
      record.expiresAt === expiresAt &&
      at - record.checkedAt < recordRefreshMs;
    if (!unchanged) {
      record = { active: session.subscriptionActive, expiresAt, checkedAt: at };
      index.setMeta(key, JSON.stringify(record));
    }
  }
  const valid =
    record !== undefined &&
    record.active &&
    (record.expiresAt !== null ? record.expiresAt > at : at - record.checkedAt < options.offlineGraceMs);
  if (!valid) {
    throw new AppError({
      code: 'not_available',
      message: 'Offline tracks need an active subscription: renew it (or go online) to keep listening.',
    });
  }
}
