// OAuth 1.0 (HMAC-SHA1) verification like the real service (notes §1, rules 1–3): parameters
// from the query, a single-part form body and the Authorization header (or the bare
// `Authorization: oauth_consumer_key=…` form for key-only calls); RFC 5849 §3.4 base strings;
// a timestamp window and nonce replay protection.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { oauthErrorPrefix } from '../shared/service-errors.js';

/** An OAuth failure: 401 text/plain `OAuth authentication error: <message>`. */
export class OAuthError extends Error {
  readonly status = 401;
  constructor(readonly reason: string) {
    super(`${oauthErrorPrefix}${reason}`);
  }
}

export const oauthMessages = {
  missingKey: 'Missing consumer key',
  unknownKey: 'Unknown consumer key',
  missingSignature: 'Missing signature',
  unsupportedMethod: 'Unsupported signature method',
  unsupportedVersion: 'Unsupported OAuth version',
  missingTimestamp: 'Missing or invalid timestamp',
  missingNonce: 'Missing nonce',
  staleTimestamp: 'Timestamp expired',
  invalidToken: 'Invalid token',
  invalidSignature: 'Invalid signature',
  nonceUsed: 'Nonce already used',
  noUserCredentials: 'Not authorised - no user credentials provided',
  accessDenied: 'Access to resource denied',
  duplicateParameter: 'Duplicate OAuth parameter (RFC 5849 §3.5: send each in one place only)',
} as const;

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - . _ ~ */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new OAuthError('Malformed Authorization header');
  }
}

export type Pair = [string, string];

/**
 * Parses `Authorization: OAuth realm="x", oauth_consumer_key="k", …` and the bare
 * `Authorization: oauth_consumer_key=k` form. Returns null when the header carries no OAuth.
 */
export function parseAuthorizationHeader(header: string | undefined): Pair[] | null {
  if (!header) return null;
  const trimmed = header.trim();
  let rest: string;
  if (/^oauth\s/i.test(trimmed)) rest = trimmed.slice(5);
  else if (/^oauth_consumer_key\s*=/i.test(trimmed)) rest = trimmed;
  else return null;
  const pairs: Pair[] = [];
  for (const part of rest.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const name = percentDecode(item.slice(0, eq).trim());
    let raw = item.slice(eq + 1).trim();
    if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) raw = raw.slice(1, -1);
    if (name === 'realm') continue;
    pairs.push([name, percentDecode(raw)]);
  }
  return pairs;
}

/** RFC 5849 §3.4.1.3.2: encode, sort by name then value, join. */
export function normaliseParameters(pairs: Pair[]): string {
  return pairs
    .filter(([name]) => name !== 'oauth_signature')
    .map(([n, v]) => [percentEncode(n), percentEncode(v)] as Pair)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

/** `METHOD&enc(base-URL)&enc(normalised params)` (RFC 5849 §3.4.1). */
export function signatureBaseString(method: string, baseUrl: string, pairs: Pair[]): string {
  return `${method.toUpperCase()}&${percentEncode(baseUrl)}&${percentEncode(normaliseParameters(pairs))}`;
}

export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(baseString)
    .digest('base64');
}

/** The request as the verifier sees it; baseUrl is scheme://host[:port]/path with no query. */
export type SignedRequest = {
  method: string;
  baseUrl: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
};

export function isFormBody(headers: IncomingHttpHeaders): boolean {
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  return type === 'application/x-www-form-urlencoded';
}

/** All request parameters that take part in the signature, with the header's oauth_* params. */
export function collectParameters(request: SignedRequest): { pairs: Pair[]; oauth: Map<string, string> } {
  const pairs: Pair[] = [];
  for (const [n, v] of request.query) pairs.push([n, v]);
  if (request.body.length > 0 && isFormBody(request.headers)) {
    for (const [n, v] of new URLSearchParams(request.body.toString('utf8'))) pairs.push([n, v]);
  }
  const header = parseAuthorizationHeader(
    typeof request.headers.authorization === 'string' ? request.headers.authorization : undefined,
  );
  if (header) for (const [n, v] of header) if (n.startsWith('oauth_')) pairs.push([n, v]);
  const oauth = new Map<string, string>();
  for (const [n, v] of pairs) {
    if (!n.startsWith('oauth_')) continue;
    if (oauth.has(n)) throw new OAuthError(oauthMessages.duplicateParameter);
    oauth.set(n, v);
  }
  return { pairs, oauth };
}

export type VerifierDeps = {
  getConsumerSecret(key: string): string | null;
  /** Secret of an access token (kind 'access') or a request token (kind 'request') issued to consumerKey. */
  getTokenSecret(token: string, kind: 'access' | 'request', consumerKey: string): string | null;
  now(): number;
  timestampWindowSec(): number;
};

export type VerifiedRequest = {
  consumerKey: string;
  /** oauth_token, when the request was signed with one */
  token: string | null;
  signed: boolean;
  oauth: Map<string, string>;
  pairs: Pair[];
};

export function createOAuthVerifier(deps: VerifierDeps) {
  /** nonce key → ms after which the timestamp check alone rejects a replay */
  const nonces = new Map<string, number>();
  let nextSweep = 0;

  function rememberNonce(key: string, timestampSec: number): void {
    const at = deps.now();
    if (at >= nextSweep) {
      for (const [k, expiry] of nonces) if (expiry < at) nonces.delete(k);
      nextSweep = at + 10_000;
    }
    nonces.set(key, (timestampSec + deps.timestampWindowSec()) * 1000 + 1000);
  }

  return {
    /**
     * Verifies a request. tokenKind says which token table oauth_token refers to; allowUnsigned
     * accepts a key-only request (no oauth_signature). Throws OAuthError on failure.
     */
    verify(
      request: SignedRequest,
      options: { tokenKind?: 'access' | 'request'; allowUnsigned?: boolean } = {},
    ): VerifiedRequest {
      const { pairs, oauth } = collectParameters(request);
      const consumerKey = oauth.get('oauth_consumer_key');
      if (!consumerKey) throw new OAuthError(oauthMessages.missingKey);
      const consumerSecret = deps.getConsumerSecret(consumerKey);
      if (consumerSecret === null) throw new OAuthError(oauthMessages.unknownKey);
      const signature = oauth.get('oauth_signature');
      if (signature === undefined) {
        if (options.allowUnsigned && !oauth.has('oauth_token')) {
          return { consumerKey, token: null, signed: false, oauth, pairs };
        }
        throw new OAuthError(oauthMessages.missingSignature);
      }
      if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1')
        throw new OAuthError(oauthMessages.unsupportedMethod);
      const version = oauth.get('oauth_version');
      if (version !== undefined && version !== '1.0') throw new OAuthError(oauthMessages.unsupportedVersion);
      const timestampRaw = oauth.get('oauth_timestamp') ?? '';
      if (!/^\d{1,12}$/.test(timestampRaw)) throw new OAuthError(oauthMessages.missingTimestamp);
      const timestamp = Number(timestampRaw);
      const nonce = oauth.get('oauth_nonce');
      if (!nonce) throw new OAuthError(oauthMessages.missingNonce);
      if (Math.abs(timestamp - deps.now() / 1000) > deps.timestampWindowSec()) {
        throw new OAuthError(oauthMessages.staleTimestamp);
      }
      const token = oauth.get('oauth_token') ?? null;
      let tokenSecret = '';
      if (token !== null && token !== '') {
        const secret = deps.getTokenSecret(token, options.tokenKind ?? 'access', consumerKey);
        if (secret === null) throw new OAuthError(oauthMessages.invalidToken);
        tokenSecret = secret;
      }
      const expected = hmacSha1Signature(
        signatureBaseString(request.method, request.baseUrl, pairs),
        consumerSecret,
        tokenSecret,
      );
      const a = Buffer.from(expected);
      const b = Buffer.from(signature);
      if (a.length !== b.length || !timingSafeEqual(a, b))
        throw new OAuthError(oauthMessages.invalidSignature);
      const nonceKey = `${consumerKey}\u0000${token ?? ''}\u0000${nonce}`;
      const seen = nonces.get(nonceKey);
      if (seen !== undefined && seen >= deps.now()) throw new OAuthError(oauthMessages.nonceUsed);
      rememberNonce(nonceKey, timestamp);
      return { consumerKey, token: token || null, signed: true, oauth, pairs };
    },
  };
}

export type OAuthVerifier = ReturnType<typeof createOAuthVerifier>;
