// Sales and the locker: purchases (whole releases or single tracks), refunds, and what a
// listener's purchases still entitle them to.
import type { StoreContext } from './store-context.js';

export type Purchase = {
  id: string;
  userId: string;
  releaseId: string;
  trackId: string | null;
  price: number;
  currency: string;
  transactionId: string | null;
  purchasedAt: number;
  refundedAt: number | null;
};
type PurchaseRow = Omit<Purchase, 'id'> & { id: number };

export type SalesStore = ReturnType<typeof createSalesStore>;

export function createSalesStore({ db, now, catalogue, config }: StoreContext) {
  // Long by design (over 80 lines): a createX factory whose closure holds the prepared statements; each inner function is short.
  const q = {
    insertPurchase: db.prepare(
      'INSERT INTO purchases (user_id, release_id, track_id, price, currency, transaction_id, purchased_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    purchase: db.prepare(
      'SELECT id, user_id AS userId, release_id AS releaseId, track_id AS trackId, price, currency, transaction_id AS transactionId, purchased_at AS purchasedAt, refunded_at AS refundedAt FROM purchases WHERE id = ?',
    ),
    refund: db.prepare('UPDATE purchases SET refunded_at = ? WHERE id = ? AND refunded_at IS NULL'),
    entitledPurchasesOfUser: db.prepare(
      'SELECT id, user_id AS userId, release_id AS releaseId, track_id AS trackId, price, currency, transaction_id AS transactionId, purchased_at AS purchasedAt, refunded_at AS refundedAt FROM purchases WHERE user_id = ? AND (refunded_at IS NULL OR ? = 0) ORDER BY purchased_at',
    ),
  };

  function getPurchase(purchaseId: string): Purchase | null {
    if (!/^\d{1,15}$/.test(purchaseId)) return null;
    const row = q.purchase.get(Number(purchaseId)) as PurchaseRow | undefined;
    return row ? { ...row, id: String(row.id) } : null;
  }

  /** Purchases that still entitle the user (refunded ones excluded when config says so). */
  function entitledPurchases(userId: string): Purchase[] {
    return (
      q.entitledPurchasesOfUser.all(userId, config.refundRemovesFromLocker ? 1 : 0) as PurchaseRow[]
    ).map((r) => ({ ...r, id: String(r.id) }));
  }

  return {
    /** Records a sale (at `at`, default now); the purchase enters the locker. */
    creditItem(input: Omit<Purchase, 'id' | 'purchasedAt' | 'refundedAt'> & { at?: number }): Purchase {
      const at = input.at ?? now();
      const result = q.insertPurchase.run(
        input.userId,
        input.releaseId,
        input.trackId,
        input.price,
        input.currency,
        input.transactionId,
        at,
      );
      return getPurchase(String(result.lastInsertRowid)) as Purchase;
    },
    getPurchase,
    refundPurchase(purchaseId: string): boolean {
      if (!/^\d{1,15}$/.test(purchaseId)) return false;
      return q.refund.run(now(), Number(purchaseId)).changes === 1;
    },
    entitledPurchases,
    isReleaseInLocker(userId: string, releaseId: string): boolean {
      return entitledPurchases(userId).some((p) => p.releaseId === releaseId && p.trackId === null);
    },
    isTrackInLocker(userId: string, trackId: string): boolean {
      const track = catalogue.tracks.get(trackId);
      if (!track) return false;
      return entitledPurchases(userId).some(
        (p) => p.trackId === trackId || (p.trackId === null && p.releaseId === track.releaseId),
      );
    },
    /** Locker contents: whole releases, then single tracks not covered by a release purchase. */
    lockerItems(userId: string): { releaseIds: string[]; trackIds: string[] } {
      const purchases = entitledPurchases(userId);
      const releaseIds = [...new Set(purchases.filter((p) => p.trackId === null).map((p) => p.releaseId))];
      const owned = new Set(releaseIds);
      const trackIds = [
        ...new Set(
          purchases
            .filter((p) => p.trackId !== null && !owned.has(p.releaseId))
            .map((p) => p.trackId as string),
        ),
      ];
      const title = (id: string) => catalogue.releases.get(id)?.title ?? '';
      releaseIds.sort((a, b) => title(a).localeCompare(title(b)) || a.localeCompare(b));
      trackIds.sort(
        (a, b) =>
          (catalogue.tracks.get(a)?.title ?? '').localeCompare(catalogue.tracks.get(b)?.title ?? '') ||
          a.localeCompare(b),
      );
      return { releaseIds, trackIds };
    },
  };
}
