// session:* — sign-in (password, browser, demo), sign-out and the current session.
import { demoNoSubscriptionListener } from '../../../shared/demo.js';
import type { SessionView } from '../../../shared/ipc/contract.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export type SessionHandlerDeps = {
  session: SessionService;
  /** Called before signing out: stops radio sessions and forgets per-listener caches. */
  beforeSignOut(): Promise<void>;
};

export function sessionHandlers({ session, beforeSignOut }: SessionHandlerDeps): HandlersOf<'session'> {
  return {
    'session:getSession': async () => session.view(),
    'session:signInWithPassword': ({ email, password }) => session.signInWithPassword(email, password),
    'session:signInWithBrowser': () => session.signInWithBrowser(),
    'session:cancelSignIn': async () => {
      session.cancelSignIn();
      return null;
    },
    'session:signInDemo': async ({ subscription }) => {
      const view = await session.signInDemo(subscription);
      knowDemoSubscription(session, view);
      return session.view();
    },
    'session:signOut': async () => {
      await beforeSignOut();
      return session.signOut();
    },
  };
}

/** The demo accounts' subscriptions are known: the API has no "subscription status" call. */
export function knowDemoSubscription(session: SessionService, view: SessionView): void {
  if (view.state !== 'signedIn' || view.method !== 'demo') return;
  session.setSubscription(view.userId === demoNoSubscriptionListener.userId ? 'none' : 'active');
}
