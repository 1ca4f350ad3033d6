// Sign-in, sign-out and the session view. Tokens live in memory and in the vault (when it can
// persist), the non-secret record (user id, country, method) in the settings store; the renderer
// only ever gets the SessionView.
import { AppError, isAppError } from '../../../shared/errors.js';
import { demoListener, demoNoSubscriptionListener } from '../../../shared/demo.js';
import type { SessionView, SubscriptionStatus } from '../../../shared/ipc/contract.js';
import type { Logger } from '../logger.js';
import type { SessionRecord } from '../settings/settings-store.js';
import { startLoopbackCallback, type LoopbackCallback } from './loopback-callback.js';

export type OAuthToken = { key: string; secret: string };

/** The part of the API client sign-in uses (the OAuth token flow). */
export type SessionApi = {
  requestToken(args?: { callback?: string }): Promise<OAuthToken>;
  authoriseUrl(token: OAuthToken, callback?: string): string;
  /** Resolves with the listener's id when the service says it. */
  authoriseWithPassword(args: {
    requestToken: OAuthToken;
    username: string;
    password: string;
  }): Promise<{ userId?: string } | void>;
  /** The service may say whose token it is (`userId`): the API has no "who am I" operation. */
  accessToken(args: {
    requestToken: OAuthToken;
    verifier?: string;
  }): Promise<OAuthToken & { userId?: string }>;
};

/** The part of the secret vault sign-in uses. */
export type SessionVault = {
  readonly backend: string;
  get(name: 'accessToken' | 'accessTokenSecret'): Promise<string | null>;
  set(name: 'accessToken' | 'accessTokenSecret', value: string): Promise<void>;
  delete(name: 'accessToken' | 'accessTokenSecret'): Promise<boolean>;
};

export type SessionRecordStore = {
  getSessionRecord(): SessionRecord | null;
  setSessionRecord(record: SessionRecord | null): void;
};

export type SignedIn = { userId: string; country: string; token: OAuthToken; email?: string };

export type SessionService = {
  view(): SessionView;
  /** The signed-in listener with their token, or null. */
  current(): SignedIn | null;
  /** The signed-in listener or an `unauthorized` AppError. */
  require(): SignedIn;
  /** Restores a session whose record and tokens survived a restart. */
  restore(): Promise<SessionView>;
  signInWithPassword(email: string, password: string): Promise<SessionView>;
  signInWithBrowser(): Promise<SessionView>;
  cancelSignIn(): void;
  signInDemo(withSubscription: boolean): Promise<SessionView>;
  signOut(): Promise<SessionView>;
  /** The service rejected the listener's token mid-session (401). */
  expire(): Promise<void>;
  setSubscription(status: SubscriptionStatus): void;
};

export type SessionServiceDeps = {
  api: SessionApi;
  vault: SessionVault;
  store: SessionRecordStore;
  /** Opens a URL in the system browser (Electron shell.openExternal, xdg-open, or a test function). */
  openExternal: (url: string) => Promise<void>;
  onChange: (view: SessionView) => void;
  /**
   * Finds the user id an access token belongs to. The API has no "who am I" operation: by default
   * the id comes from the callback/token response (`userId`) or the demo accounts' known emails.
   */
  resolveUserId?: (hint: {
    email?: string;
    callbackParams?: Record<string, string>;
  }) => Promise<string | null>;
  defaultCountry: string;
  logger: Logger;
  browserTimeoutMs?: number;
};

const demoAccounts = [demoListener, demoNoSubscriptionListener];

export function createSessionService(deps: SessionServiceDeps): SessionService {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const { api, vault, store, logger } = deps;
  let signedIn: (SignedIn & { method: SessionRecord['method'] }) | null = null;
  let subscription: SubscriptionStatus = 'unknown';
  let signedOutReason: 'signedOut' | 'expired' | undefined;
  let pendingBrowser: LoopbackCallback | null = null;

  const view = (): SessionView => {
    if (!signedIn)
      return signedOutReason ? { state: 'signedOut', reason: signedOutReason } : { state: 'signedOut' };
    const out: SessionView = {
      state: 'signedIn',
      userId: signedIn.userId,
      country: signedIn.country,
      subscription,
      method: signedIn.method,
    };
    if (signedIn.email) out.email = signedIn.email;
    return out;
  };
  const changed = (): SessionView => {
    const current = view();
    deps.onChange(current);
    return current;
  };

  const resolveUserId = async (hint: {
    email?: string;
    callbackParams?: Record<string, string>;
  }): Promise<string> => {
    const fromParams = hint.callbackParams?.userId ?? hint.callbackParams?.user_id;
    if (fromParams) return fromParams;
    const custom = await deps.resolveUserId?.(hint);
    if (custom) return custom;
    const demo = demoAccounts.find((account) => account.email.toLowerCase() === hint.email?.toLowerCase());
    if (demo) return demo.userId;
    throw new AppError({
      code: 'service_error',
      message: 'The service did not say which listener signed in.',
    });
  };

  /** Keeps the token in memory, and in the vault when it can persist; never in plain text. */
  const establish = async (
    token: OAuthToken & { userId?: string },
    method: SessionRecord['method'],
    hint: { email?: string; callbackParams?: Record<string, string> },
  ): Promise<SessionView> => {
    const userId = token.userId ?? (await resolveUserId(hint));
    const account = demoAccounts.find((a) => a.userId === userId);
    const country = account?.country ?? deps.defaultCountry;
    const record: SessionRecord = { userId, country, method };
    if (hint.email) record.email = hint.email;
    signedIn = { userId, country, token: { key: token.key, secret: token.secret }, method };
    if (hint.email) signedIn.email = hint.email;
    subscription = 'unknown';
    signedOutReason = undefined;
    try {
      await vault.set('accessToken', token.key);
      await vault.set('accessTokenSecret', token.secret);
      store.setSessionRecord(record);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'vault_unavailable') throw error;
      // Refuse to persist, but let the listener use this run: sign-in will not be remembered.
      logger.warn('signed in for this run only: no secure storage for the tokens', { reason: error.message });
      store.setSessionRecord(null);
    }
    logger.info('signed in', { userId, method });
    return changed();
  };

  const forget = async (): Promise<void> => {
    signedIn = null;
    subscription = 'unknown';
    store.setSessionRecord(null);
    await Promise.all([vault.delete('accessToken'), vault.delete('accessTokenSecret')]);
  };

  const passwordExchange = async (
    email: string,
    password: string,
    method: SessionRecord['method'],
  ): Promise<SessionView> => {
    const requestToken = await api.requestToken();
    let authorisedUserId: string | undefined;
    try {
      const authorised = await api.authoriseWithPassword({ requestToken, username: email, password });
      authorisedUserId = authorised ? authorised.userId : undefined;
    } catch (error) {
      if (
        isAppError(error) &&
        (error.code === 'unauthorized' || error.code === 'forbidden' || error.code === 'invalid_input')
      ) {
        throw new AppError(
          { code: 'unauthorized', message: 'The email or password is not right.' },
          { cause: error },
        );
      }
      throw error;
    }
    const access = await api.accessToken({ requestToken });
    return establish(
      authorisedUserId && !access.userId ? { ...access, userId: authorisedUserId } : access,
      method,
      { email },
    );
  };

  return {
    view,
    current: () =>
      signedIn ? { userId: signedIn.userId, country: signedIn.country, token: signedIn.token } : null,
    require() {
      if (!signedIn) throw new AppError({ code: 'unauthorized', message: 'Sign in to do this.' });
      return { userId: signedIn.userId, country: signedIn.country, token: signedIn.token };
    },
    async restore() {
      const record = store.getSessionRecord();
      if (!record) return view();
      const [key, secret] = await Promise.all([vault.get('accessToken'), vault.get('accessTokenSecret')]);
      if (!key || !secret) {
        logger.info('the saved session has no tokens any more; signed out');
        store.setSessionRecord(null);
        return view();
      }
      signedIn = {
        userId: record.userId,
        country: record.country,
        token: { key, secret },
        method: record.method,
      };
      if (record.email) signedIn.email = record.email;
      return changed();
    },
    signInWithPassword: (email, password) => passwordExchange(email, password, 'password'),
    async signInDemo(withSubscription) {
      const account = withSubscription ? demoListener : demoNoSubscriptionListener;
      return passwordExchange(account.email, account.password, 'demo');
    },
    async signInWithBrowser() {
      pendingBrowser?.cancel();
      const callback = await startLoopbackCallback({
        timeoutMs: deps.browserTimeoutMs ?? 5 * 60_000,
        logger,
      });
      pendingBrowser = callback;
      try {
        const requestToken = await api.requestToken({ callback: callback.callbackUrl });
        callback.expectToken(requestToken.key);
        await deps.openExternal(api.authoriseUrl(requestToken, callback.callbackUrl));
        const result = await callback.result;
        const access = await api.accessToken({
          requestToken,
          ...(result.verifier ? { verifier: result.verifier } : {}),
        });
        return await establish(access, 'browser', { callbackParams: result.params });
      } catch (error) {
        callback.cancel();
        throw error;
      } finally {
        if (pendingBrowser === callback) pendingBrowser = null;
      }
    },
    cancelSignIn() {
      pendingBrowser?.cancel();
      pendingBrowser = null;
    },
    async signOut() {
      await forget();
      signedOutReason = 'signedOut';
      logger.info('signed out');
      return changed();
    },
    async expire() {
      if (!signedIn) return;
      logger.warn('the service no longer accepts the access token; signed out', { userId: signedIn.userId });
      await forget();
      signedOutReason = 'expired';
      changed();
    },
    setSubscription(status) {
      if (!signedIn || status === subscription) return;
      subscription = status;
      changed();
    },
  };
}
