import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionView, SubscriptionStatus } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createStoreContext } from './store-context.js';
import { errorMessage } from './ui.js';

export type SessionState = {
  /** null until the first getSession answers. */
  session: SessionView | null;
  busy: 'demo' | 'password' | 'browser' | 'signOut' | null;
  error: string | null;
  load(): Promise<void>;
  signInDemo(subscription?: boolean): Promise<void>;
  signInWithPassword(email: string, password: string): Promise<void>;
  signInWithBrowser(): Promise<void>;
  cancelSignIn(): Promise<void>;
  signOut(): Promise<void>;
  apply(session: SessionView): void;
};
export type SessionStore = StoreApi<SessionState>;

export function createSessionStore(deps: {
  ipc: IpcClient;
  /** Before signing out: the play in progress is reported while the listener is still signed in. */
  beforeSignOut?: () => Promise<void>;
}): SessionStore {
  const { ipc } = deps;
  return createStore<SessionState>()((set, get) => {
    const attempt = async (busy: NonNullable<SessionState['busy']>, run: () => Promise<SessionView>) => {
      set({ busy, error: null });
      try {
        const session = await run();
        set({ session, busy: null });
      } catch (err) {
        set({ busy: null, error: errorMessage(err) });
      }
    };
    return {
      session: null,
      busy: null,
      error: null,
      async load() {
        try {
          set({ session: await ipc.call('session:getSession', {}), error: null });
        } catch (err) {
          set({ session: { state: 'signedOut' }, error: errorMessage(err) });
        }
      },
      signInDemo: (subscription = true) =>
        attempt('demo', () => ipc.call('session:signInDemo', { subscription })),
      signInWithPassword: (email, password) =>
        attempt('password', () => ipc.call('session:signInWithPassword', { email, password })),
      signInWithBrowser: () => attempt('browser', () => ipc.call('session:signInWithBrowser', {})),
      async cancelSignIn() {
        try {
          await ipc.call('session:cancelSignIn', {});
        } catch (err) {
          set({ error: errorMessage(err) });
        }
      },
      async signOut() {
        if (get().busy) return;
        await attempt('signOut', async () => {
          await deps.beforeSignOut?.();
          return ipc.call('session:signOut', {});
        });
      },
      apply(session) {
        set({ session });
      },
    };
  });
}

export function isSignedIn(
  session: SessionView | null,
): session is Extract<SessionView, { state: 'signedIn' }> {
  return session?.state === 'signedIn';
}

type SignedOutReason = Extract<SessionView, { state: 'signedOut' }>['reason'];

const session = createStoreContext<SessionState>('session');
export const SessionStoreContext = session.context;
export const useSessionActions = session.useActions;
export const useSession = (): SessionView | null => session.useSelector((s) => s.session);
export const useSessionBusy = (): SessionState['busy'] => session.useSelector((s) => s.busy);
export const useSessionError = (): string | null => session.useSelector((s) => s.error);
export const useSigningOut = (): boolean => session.useSelector((s) => s.busy === 'signOut');
/** Why the listener is signed out (e.g. 'expired'), undefined while signed in or still loading. */
export const useSignedOutReason = (): SignedOutReason | undefined =>
  session.useSelector((s) => (s.session?.state === 'signedOut' ? s.session.reason : undefined));
/** The signed-in listener's subscription, 'none' when signed out. */
export const useSubscription = (): SubscriptionStatus =>
  session.useSelector((s) => (s.session?.state === 'signedIn' ? s.session.subscription : 'none'));
