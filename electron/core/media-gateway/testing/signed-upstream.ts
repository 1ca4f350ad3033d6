// Test wiring only: an UpstreamFetch that signs real OAuth 1.0 (HMAC-SHA1, 2-legged with userId,
// which the demo key's user-management rights allow) against a base URL — the emulator, or a
// local test server. The app wires the API client's fetchSigned instead (playback/media-adapters.ts).
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { getOperation } from '../../../../shared/api/operations.js';
import { demoConsumer } from '../../../../shared/demo.js';
import type { UpstreamFetch } from '../upstream.js';

export function createSignedUpstream(options: {
  baseUrl: string;
  userId?: string;
  consumer?: { key: string; secret: string };
}): UpstreamFetch {
  const oauth = new OAuth({
    consumer: options.consumer ?? demoConsumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  return async (operationId, request) => {
    const operation = getOperation(operationId);
    if (!operation) throw new Error(`unknown operation ${operationId}`);
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = request.path?.[name];
      if (value === undefined) throw new Error(`${operationId}: missing path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const url = new URL(options.baseUrl.replace(/\/$/, '') + path);
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) query[k] = v;
    if (options.userId && operation.auth === 'threeLegged' && query.userId === undefined)
      query.userId = options.userId;
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const signed = oauth.authorize({ url: url.toString(), method: operation.method });
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...request.headers,
      ...oauth.toHeader(signed),
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['Content-Type'] = 'application/json';
    }
    const init: RequestInit = { method: operation.method, headers };
    if (body !== undefined) init.body = body;
    if (request.signal) init.signal = request.signal;
    return fetch(url, init);
  };
}
