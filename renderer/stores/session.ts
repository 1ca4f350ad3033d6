import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionView } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
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

export function createSessionStore(deps: { ipc: IpcClient }): SessionStore {
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
        await attempt('signOut', () => ipc.call('session:signOut', {}));
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
