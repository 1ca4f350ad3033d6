// OAuth 1.0 HMAC-SHA1 request signing (RFC 5849) on top of the `oauth-1.0a` package.
// The package supplies the signing key, base-string assembly and header formatting; four of
// its defaults are replaced because they break real requests (the RFC 5849 §3.4.1 examples show how):
//   - percentEncode: encodeURIComponent leaves !*'() alone in older forms and throws on lone
//     surrogates; RFC 3986 needs every byte outside A-Z a-z 0-9 - . _ ~ as %XX (uppercase).
//   - getParameterString: the package merges query and body into one object, so a name present
//     in both (a3 in the §3.4.1.1 example) loses a value, and '+' in a query is not a space.
//     Here parameters are a list of pairs, encoded first, then sorted by name, then by value.
//   - getBaseUrl: scheme and host lowercased, default ports dropped (§3.4.1.2).
//   - nonce: from node:crypto, not Math.random.
import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export type OAuthToken = { key: string; secret: string };
export type ParamPair = readonly [string, string];

export type SignRequest = {
  method: string;
  /** Absolute URL as it will be sent; its query parameters are part of the signature. */
  url: string;
  /** Parameters of a single-part application/x-www-form-urlencoded body. Never JSON fields. */
  bodyParams?: readonly ParamPair[];
  /** Access token (3-legged) or request token (access-token exchange); none for 2-legged. */
  token?: OAuthToken | null;
  /** Extra protocol parameters such as oauth_callback or oauth_verifier. */
  oauthParams?: Readonly<Record<string, string>>;
  /** oauth_timestamp (Unix seconds) to use instead of the signer's clock: the client's skew correction. */
  timestamp?: number;
};

export type SignResult = {
  /** Every oauth_* parameter, oauth_signature included, sorted by name. */
  oauthParams: Array<[string, string]>;
  /** `OAuth oauth_consumer_key="…", …, oauth_signature="…"` */
  authorization: string;
};

/** Signs requests for one consumer key. Local (holds the secret) or remote (asks a partner server). */
export type Signer = {
  readonly kind: 'local' | 'remote';
  readonly consumerKey: string;
  sign(request: SignRequest, signal?: AbortSignal): Promise<SignResult>;
};

const unreserved = new Uint8Array(256);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')
  unreserved[ch.charCodeAt(0)] = 1;
const hex = '0123456789ABCDEF';

/** RFC 3986 §2.1 / RFC 5849 §3.6: UTF-8 bytes, unreserved characters kept, everything else %XX. */
export function percentEncode(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let out = '';
  for (const byte of bytes) {
    out += unreserved[byte] ? String.fromCharCode(byte) : `%${hex[byte >> 4]}${hex[byte & 15]}`;
  }
  return out;
}

/** Decodes application/x-www-form-urlencoded text ('+' is a space) into pairs, keeping duplicates and empty values. */
export function parseFormPairs(text: string): Array<[string, string]> {
  const source = text.startsWith('?') ? text.slice(1) : text;
  return [...new URLSearchParams(source)].map(([name, value]) => [name, value] as [string, string]);
}

/** Encodes pairs as a form body / query string with RFC 3986 encoding (space as %20). */
export function formatPairs(pairs: readonly ParamPair[]): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

/** RFC 5849 §3.4.1.2 base string URI. */
export function baseStringUri(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** RFC 5849 §3.4.1.3.2: encode names and values, sort by name then value, join. */
export function normalizeParameters(pairs: readonly ParamPair[]): string {
  const encoded = pairs.map(([name, value]) => [percentEncode(name), percentEncode(value)] as const);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

type PackageRequest = OAuth.RequestOptions & { pairs: readonly ParamPair[] };

export type LocalSignerOptions = {
  consumerKey: string;
  consumerSecret: string;
  /** Milliseconds since the epoch; injectable for tests and clock skew correction. */
  now?: () => number;
  nonce?: () => string;
  /** Sends oauth_version="1.0" (7digital's clients do). The RFC 5849 examples omit it. */
  includeVersion?: boolean;
  realm?: string;
};

export function createLocalSigner(options: LocalSignerOptions): Signer {
  const oauth = new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: 'HMAC-SHA1',
    version: '1.0',
    ...(options.realm === undefined ? {} : { realm: options.realm }),
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  oauth.percentEncode = (value: string) => percentEncode(value);
  oauth.getBaseUrl = (url: string) => baseStringUri(url);
  oauth.getParameterString = (request, oauthData) => {
    const { pairs } = request as PackageRequest;
    const oauthPairs = Object.entries(oauthData).map(([k, v]) => [k, String(v)] as [string, string]);
    return normalizeParameters([...pairs, ...oauthPairs]);
  };

  const now = options.now ?? Date.now;
  const nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
  const includeVersion = options.includeVersion ?? true;

  const signSync = (request: SignRequest): SignResult => {
    const method = request.method.toUpperCase();
    const queryPairs = parseFormPairs(new URL(request.url).search);
    const oauthData: Record<string, string> = {
      oauth_consumer_key: options.consumerKey,
      oauth_nonce: nonce(),
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: String(request.timestamp ?? Math.floor(now() / 1000)),
    };
    if (includeVersion) oauthData.oauth_version = '1.0';
    if (request.token) oauthData.oauth_token = request.token.key;
    for (const [name, value] of Object.entries(request.oauthParams ?? {})) {
      if (!name.startsWith('oauth_')) throw new Error(`Not an OAuth protocol parameter: ${name}`);
      oauthData[name] = value;
    }
    const packageRequest: PackageRequest = {
      method,
      url: request.url,
      pairs: [...queryPairs, ...(request.bodyParams ?? [])],
    };
    const signature = oauth.getSignature(
      packageRequest,
      request.token?.secret,
      oauthData as unknown as OAuth.Data,
    );
    const signed = { ...oauthData, oauth_signature: signature };
    const authorization = oauth.toHeader(signed as unknown as OAuth.Authorization).Authorization;
    const oauthParams = Object.entries(signed).sort(([a], [b]) => (a < b ? -1 : 1));
    return { oauthParams, authorization };
  };

  return {
    kind: 'local',
    consumerKey: options.consumerKey,
    sign: (request) => {
      try {
        return Promise.resolve(signSync(request));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/** The RFC 5849 signature base string (exported for tests and for debugging a partner's signer). */
export function signatureBaseString(request: {
  method: string;
  url: string;
  bodyParams?: readonly ParamPair[];
  oauthParams: readonly ParamPair[];
}): string {
  const pairs = [
    ...parseFormPairs(new URL(request.url).search),
    ...(request.bodyParams ?? []),
    ...request.oauthParams.filter(([name]) => name !== 'oauth_signature'),
  ];
  return [
    request.method.toUpperCase(),
    percentEncode(baseStringUri(request.url)),
    percentEncode(normalizeParameters(pairs)),
  ].join('&');
}
