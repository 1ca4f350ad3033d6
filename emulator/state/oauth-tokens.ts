// OAuth request tokens (10-minute, single-use) and access tokens.
import { randomToken, type StoreContext } from './store-context.js';

export type RequestToken = {
  token: string;
  secret: string;
  consumerKey: string;
  callback: string | null;
  verifier: string | null;
  userId: string | null;
  createdAt: number;
  used: boolean;
};
export type AccessToken = { token: string; secret: string; consumerKey: string; userId: string };

export function createOAuthTokenStore({ db, now }: StoreContext) {
  const accessTokenCache = new Map<string, AccessToken | null>();
  const q = {
    insertRequestToken: db.prepare(
      'INSERT INTO request_tokens (token, secret, consumer_key, callback, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    requestToken: db.prepare(
      'SELECT token, secret, consumer_key AS consumerKey, callback, verifier, user_id AS userId, created_at AS createdAt, used FROM request_tokens WHERE token = ?',
    ),
    authoriseRequestToken: db.prepare(
      'UPDATE request_tokens SET user_id = ?, verifier = ? WHERE token = ? AND used = 0 AND user_id IS NULL',
    ),
    useRequestToken: db.prepare('UPDATE request_tokens SET used = 1 WHERE token = ? AND used = 0'),
    insertAccessToken: db.prepare(
      'INSERT INTO access_tokens (token, secret, consumer_key, user_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    accessToken: db.prepare(
      'SELECT token, secret, consumer_key AS consumerKey, user_id AS userId FROM access_tokens WHERE token = ?',
    ),
  };

  return {
    createRequestToken(consumerKey: string, callback: string | null): { token: string; secret: string } {
      const t = { token: randomToken(), secret: randomToken() };
      q.insertRequestToken.run(t.token, t.secret, consumerKey, callback, now());
      return t;
    },
    getRequestToken(tokenValue: string): RequestToken | null {
      const row = q.requestToken.get(tokenValue) as
        (Omit<RequestToken, 'used'> & { used: number }) | undefined;
      return row ? { ...row, used: row.used === 1 } : null;
    },
    /** Marks an unused request token as authorised by a user; returns the verifier. */
    authoriseRequestToken(tokenValue: string, userId: string, withVerifier: boolean): string | null {
      const verifier = withVerifier ? randomToken(10) : null;
      return q.authoriseRequestToken.run(userId, verifier, tokenValue).changes === 1
        ? (verifier ?? '')
        : null;
    },
    /** Single use: exchanging a request token burns it (returns false if already used). */
    useRequestToken(tokenValue: string): boolean {
      return q.useRequestToken.run(tokenValue).changes === 1;
    },
    createAccessToken(consumerKey: string, userId: string): AccessToken {
      const t = { token: randomToken(), secret: randomToken(), consumerKey, userId };
      q.insertAccessToken.run(t.token, t.secret, consumerKey, userId, now());
      return t;
    },
    getAccessToken(tokenValue: string): AccessToken | null {
      if (accessTokenCache.has(tokenValue)) return accessTokenCache.get(tokenValue) ?? null;
      const row = (q.accessToken.get(tokenValue) as AccessToken | undefined) ?? null;
      if (row) accessTokenCache.set(tokenValue, row);
      return row;
    },
  };
}
