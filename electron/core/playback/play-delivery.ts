// Whose plays may be delivered now, and with which token: a play is sent with the access token
// of the account it belongs to, never another's. Preview logs are signed 2-legged (the partner
// key; the listener is named in the log), so they go whoever is signed in; catalogue and
// subscriber logs go only while their own listener is signed in, and wait (durably, in the
// play-log queue) until that account signs in again.
import type { OAuthToken } from '../api/oauth.js';
import type { PlayLogDelivery } from '../play-log/play-log-service.js';
import type { SessionService } from '../session/session-service.js';

export type PlayDelivery = {
  delivery: PlayLogDelivery;
  /** The signed-in listener's token if the plays are theirs, else null. */
  tokenFor(userId: string): OAuthToken | null;
};

export function createPlayDelivery(session: Pick<SessionService, 'current'>): PlayDelivery {
  return {
    delivery(endpoint) {
      if (endpoint === 'preview') return 'any';
      const current = session.current();
      return current ? { userId: current.userId } : 'none';
    },
    tokenFor(userId) {
      const current = session.current();
      return current && current.userId === userId ? current.token : null;
    },
  };
}
