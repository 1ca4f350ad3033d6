// session:* — sign-in (password, browser, demo), sign-out and the current session.
import { demoNoSubscriptionListener } from '../../../shared/demo.js';
import type { SessionView } from '../../../shared/ipc/contract.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export type SessionHandlerDeps = {
  session: SessionService;
  /**
   * Called before signing out, and before another sign-in replaces a signed-in listener: records
   * the listener's open plays, stops radio sessions and forgets per-listener caches.
   */
  beforeSignOut(): Promise<void>;
};

export function sessionHandlers({ session, beforeSignOut }: SessionHandlerDeps): HandlersOf<'session'> {
  /** A sign-in while someone is signed in is an account switch: the first listener leaves first. */
  const leaving = async (): Promise<void> => {
    if (session.current()) await beforeSignOut();
  };
  return {
    'session:getSession': async () => session.view(),
    'session:signInWithPassword': async ({ email, password }) => {
      await leaving();
      return session.signInWithPassword(email, password);
    },
    'session:signInWithBrowser': async () => {
      await leaving();
      return session.signInWithBrowser();
    },
    'session:cancelSignIn': async () => {
      session.cancelSignIn();
      return null;
    },
    'session:signInDemo': async ({ subscription }) => {
      await leaving();
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
