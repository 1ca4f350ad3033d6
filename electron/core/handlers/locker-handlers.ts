// locker:* and sales:* — the listener's purchases, and buying a release or track.
import type { LockerView } from '../../../shared/ipc/contract.js';
import { compact, toReleaseView, toTrackView } from '../../../shared/ipc/views.js';
import type { ApiClient } from '../api/client.js';
import type { OwnedReleases } from '../locker/owned-releases.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export type Pricing = { currency: string; release: number; track: number };

export type LockerHandlerDeps = {
  api: ApiClient;
  session: Pick<SessionService, 'require'>;
  owned: OwnedReleases;
  /** Currency and prices of sales:buy (the emulator prices in USD). */
  pricing: Pricing;
};

export function lockerHandlers({ api, session }: LockerHandlerDeps): HandlersOf<'locker'> {
  return {
    'locker:getLocker': async ({ page, pageSize }) => {
      const current = session.require();
      const locker = await api.getUserLocker({ userId: current.userId, page, pageSize });
      const view: LockerView = {
        releases: compact(locker.releases, toReleaseView).map((r) => ({ ...r, owned: true })),
        tracks: compact(locker.tracks, toTrackView),
        page: locker.page ?? page,
        pageSize: locker.pageSize ?? pageSize,
        totalItems: locker.totalItems ?? 0,
      };
      return view;
    },
  };
}

export function salesHandlers({ api, session, owned, pricing }: LockerHandlerDeps): HandlersOf<'sales'> {
  return {
    'sales:buy': async (arg) => {
      const current = session.require();
      const isRelease = 'releaseId' in arg;
      const body = {
        userId: current.userId,
        ...(isRelease ? { releaseId: arg.releaseId } : { trackId: arg.trackId }),
        currency: pricing.currency,
        price: isRelease ? pricing.release : pricing.track,
      };
      const receipt = await api.creditSalesItem({ userId: current.userId, body });
      owned.forget();
      const purchase = (receipt as { response?: { purchase?: { '@_id'?: unknown } } }).response?.purchase;
      const purchaseId = purchase?.['@_id'];
      return typeof purchaseId === 'string' || typeof purchaseId === 'number'
        ? { purchaseId: String(purchaseId) }
        : {};
    },
  };
}
