// Listeners' subscriptions: a row per period, its status read against the emulator clock.
import { dayMs } from './clock.js';
import { randomToken, type StoreContext } from './store-context.js';

export type SubscriptionRow = {
  id: string;
  userId: string;
  productId: string;
  country: string | null;
  startDate: string;
  endDate: string;
  startMs: number;
  endMs: number;
  status: 'active' | 'cancelled' | 'expired';
  autoRenew: boolean;
};

function subscriptionStatus(row: SubscriptionRow, at: number): SubscriptionRow['status'] {
  if (row.status === 'cancelled') return 'cancelled';
  if (row.status === 'expired') return 'expired';
  if (row.autoRenew) return 'active';
  return at >= row.endMs ? 'expired' : 'active';
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;

export function createSubscriptionStore({ db, now }: StoreContext) {
  // Long by design (over 80 lines): a createX factory whose closure holds the prepared statements; each inner function is short.
  const q = {
    subsOfUser: db.prepare(
      'SELECT id, user_id AS userId, product_id AS productId, country, start_date AS startDate, end_date AS endDate, start_ms AS startMs, end_ms AS endMs, status, auto_renew AS autoRenew FROM subscriptions WHERE user_id = ? ORDER BY start_ms DESC',
    ),
    insertSub: db.prepare(
      'INSERT INTO subscriptions (id, user_id, product_id, country, start_date, end_date, start_ms, end_ms, status, auto_renew, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    expireSubs: db.prepare(
      "UPDATE subscriptions SET auto_renew = 0, end_ms = MIN(end_ms, ?), status = 'expired' WHERE user_id = ? AND status != 'cancelled'",
    ),
  };

  function readSubs(userId: string): SubscriptionRow[] {
    return (q.subsOfUser.all(userId) as (Omit<SubscriptionRow, 'autoRenew'> & { autoRenew: number })[]).map(
      (r) => ({
        ...r,
        autoRenew: r.autoRenew === 1,
      }),
    );
  }

  /** The subscription covering `at` (default now), or null. */
  function getActiveSubscription(userId: string, at: number = now()): SubscriptionRow | null {
    for (const row of readSubs(userId)) {
      if (row.status !== 'active' || at < row.startMs) continue;
      if (row.autoRenew || at < row.endMs) return { ...row, status: 'active' };
    }
    return null;
  }

  return {
    createSubscription(input: {
      userId: string;
      productId: string;
      country: string | null;
      startDate: string;
      endDate: string;
      autoRenew?: boolean;
    }): SubscriptionRow {
      const id = `sub-${randomToken(8)}`;
      const startMs = Date.parse(`${input.startDate}T00:00:00Z`);
      const endMs = Date.parse(`${input.endDate}T00:00:00Z`) + dayMs;
      q.insertSub.run(
        id,
        input.userId,
        input.productId,
        input.country,
        input.startDate,
        input.endDate,
        startMs,
        endMs,
        'active',
        input.autoRenew ? 1 : 0,
        now(),
      );
      return {
        id,
        userId: input.userId,
        productId: input.productId,
        country: input.country,
        startDate: input.startDate,
        endDate: input.endDate,
        startMs,
        endMs,
        status: subscriptionStatus(
          { status: 'active', autoRenew: input.autoRenew ?? false, endMs } as SubscriptionRow,
          now(),
        ),
        autoRenew: input.autoRenew ?? false,
      };
    },
    subscriptionsOf(userId: string): SubscriptionRow[] {
      const at = now();
      return readSubs(userId).map((r) => ({ ...r, status: subscriptionStatus(r, at) }));
    },
    getActiveSubscription,
    hasActiveSubscription(userId: string, at: number = now()): boolean {
      return getActiveSubscription(userId, at) !== null;
    },
    hasEverHadSubscription(userId: string): boolean {
      return readSubs(userId).length > 0;
    },
    /** Test API: make every subscription of the user lapse now. */
    expireSubscriptions(userId: string): number {
      return q.expireSubs.run(now(), userId).changes;
    },
  };
}
