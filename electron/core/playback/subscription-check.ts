// Whether the listener's subscription still covers streaming, asked of the service by fetching a
// track's subscription manifest (the API has no "subscription status" call). Online, the service
// decides even for tracks kept offline: a lapsed subscription stops cached tracks too.
import { AppError } from '../../../shared/errors.js';
import type { AppEventBus } from '../../../shared/ipc/handlers.js';
import type { ApiClient } from '../api/client.js';
import { isStreamTakenOver, isSubscriptionRequired, isUnreachable } from '../api/service-failures.js';
import type { Connectivity } from '../connectivity.js';
import type { SessionService } from '../session/session-service.js';
import { announceStreamTakenOver } from './stream-taken-over.js';

export type SubscriptionCheckDeps = {
  api: Pick<ApiClient, 'call'>;
  session: Pick<SessionService, 'view' | 'setSubscription'>;
  connectivity: Pick<Connectivity, 'remote'>;
  events: AppEventBus;
  clientId: string;
  country: () => string;
};

export type SubscriptionCheck = {
  /** Throws not_available when the subscription lapsed; network trouble leaves the decision to the cache. */
  check(trackId: string, userId: string): Promise<void>;
  /** The service said the listener has no subscription now: active → expired, else none. */
  lapsed(): void;
};

export function createSubscriptionCheck(deps: SubscriptionCheckDeps): SubscriptionCheck {
  const { session } = deps;
  const lapsed = (): void => {
    const view = session.view();
    session.setSubscription(view.state === 'signedIn' && view.subscription === 'active' ? 'expired' : 'none');
  };
  const check = async (trackId: string, userId: string): Promise<void> => {
    try {
      await deps.connectivity.remote(() =>
        deps.api.call('streamSubscriptionTrackHls', {
          path: { trackId },
          query: { country: deps.country(), clientId: deps.clientId },
          userId,
          timeoutMs: 5_000,
        }),
      );
      session.setSubscription('active');
    } catch (error) {
      if (isSubscriptionRequired(error)) {
        lapsed();
        throw new AppError({
          code: 'not_available',
          message:
            'Your subscription has lapsed, so tracks kept offline cannot play. Renew it to keep listening.',
        });
      }
      if (isStreamTakenOver(error)) announceStreamTakenOver(deps.events, trackId);
      // Network trouble: the cache and its own entitlement record decide.
      if (isUnreachable(error)) return;
      throw error;
    }
  };
  return { check, lapsed };
}
