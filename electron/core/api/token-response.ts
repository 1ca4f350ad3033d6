// Reads the OAuth token endpoints' answer: form-encoded pairs, JSON or XML, whichever the
// service (or a partner gateway) sends.
import { AppError } from '../../../shared/errors.js';
import type { OAuthToken } from './oauth.js';
import { parseSuccessBody, parseXml } from './response.js';

export type TokenResponse = OAuthToken & { callbackConfirmed?: boolean; userId?: string };

export function parseTokenBody(response: Response, body: Buffer): TokenResponse {
  const text = body.toString('utf8').trim();
  const type = response.headers.get('content-type') ?? '';
  let key: unknown;
  let secret: unknown;
  let confirmed: unknown;
  let userId: unknown;
  if (/json/i.test(type) || text.startsWith('{')) {
    const value = parseSuccessBody(response.status, response.headers, body, 'json') as Record<
      string,
      unknown
    >;
    const inner = (value.oauth_request_token ?? value.oauth_access_token ?? value) as Record<string, unknown>;
    key = inner.oauth_token;
    secret = inner.oauth_token_secret;
    confirmed = inner.oauth_callback_confirmed;
    userId = inner.userId;
  } else if (/xml/i.test(type) || text.startsWith('<')) {
    const doc = parseXml(text, response.status);
    const root = (doc.response ?? doc) as Record<string, unknown>;
    if (root['@_status'] === 'error') parseSuccessBody(response.status, response.headers, body, 'xml');
    const inner = (root.oauth_request_token ?? root.oauth_access_token ?? root) as Record<string, unknown>;
    key = inner.oauth_token;
    secret = inner.oauth_token_secret;
    confirmed = inner.oauth_callback_confirmed;
    userId = inner.userId;
  } else {
    parseSuccessBody(response.status, response.headers, body, 'none');
    const pairs = new URLSearchParams(text);
    key = pairs.get('oauth_token');
    secret = pairs.get('oauth_token_secret');
    confirmed = pairs.get('oauth_callback_confirmed');
    userId = pairs.get('userId');
  }
  if (typeof key !== 'string' || key === '' || typeof secret !== 'string' || secret === '') {
    throw new AppError({
      code: 'malformed_response',
      status: response.status,
      message: 'Token response lacks oauth_token / oauth_token_secret',
    });
  }
  const result: TokenResponse = { key, secret };
  if (confirmed !== undefined && confirmed !== null) result.callbackConfirmed = String(confirmed) === 'true';
  if (typeof userId === 'string' && userId !== '') result.userId = userId;
  return result;
}
