// A Signer that asks the partner's own signing endpoint, so the app never holds the consumer
// secret (MassiveMusic compliance: "API credentials must never be … passed on to end user
// devices"; "Any generated signed URLs can be sent to the end user device").
//
// Remote signing protocol, version 1
//   POST <signerUrl>            Content-Type: application/json   Accept: application/json
//   {
//     "version": 1,
//     "consumerKey": "<key the client expects>",
//     "method": "GET" | "POST" | "PUT" | "DELETE",
//     "url": "https://api.example/tracks/search?q=love",      // exact URL incl. query (signed)
//     "params": [["name", "value"], …],                        // form-body params (signed); [] otherwise
//     "token": { "key": "…", "secret": "…" } | null,            // access/request token when 3-legged
//     "oauth": { "oauth_callback": "…", "oauth_verifier": "…" }, // extra protocol params, may be {}
//     "timestamp": 1795000000                                   // optional: oauth_timestamp to use
//   }                                                           // (client corrected for clock skew)
//   200 → {
//     "authorization": "OAuth oauth_consumer_key=\"…\", …, oauth_signature=\"…\"",
//     "oauthParams": { "oauth_consumer_key": "…", "oauth_nonce": "…", "oauth_signature": "…",
//                      "oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "…", … }
//   }
//   4xx/5xx → any body; the client reports status and the first 200 characters of text.
// The endpoint must sign with RFC 5849 rules (createSigningHandler in signing-endpoint.ts is the
// reference implementation). A token secret travels to the signer only for 3-legged calls; a
// partner that keeps user tokens server-side may ignore "token.secret" and look the token up.
// The signer URL must be https, except on a loopback host.
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import type { SignRequest, SignResult, Signer } from './oauth.js';

export const RemoteSignResponse = z.object({
  authorization: z.string().startsWith('OAuth '),
  oauthParams: z.record(z.string(), z.string()),
});
export type RemoteSignResponse = z.infer<typeof RemoteSignResponse>;

export type RemoteSignRequestBody = {
  version: 1;
  consumerKey: string;
  method: string;
  url: string;
  params: Array<[string, string]>;
  token: { key: string; secret: string } | null;
  oauth: Record<string, string>;
  timestamp?: number;
};

export type RemoteSignerOptions = {
  url: string;
  consumerKey: string;
  /** Extra headers for the signer (e.g. the partner's own session token). Never logged. */
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
};

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function createRemoteSigner(options: RemoteSignerOptions): Signer {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const endpoint = new URL(options.url);
  if (
    endpoint.protocol !== 'https:' &&
    !(endpoint.protocol === 'http:' && loopbackHosts.has(endpoint.hostname))
  ) {
    throw new AppError({
      code: 'invalid_input',
      message: `Signer URL must be https (or http on a loopback host): ${endpoint.origin}`,
    });
  }
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  return {
    kind: 'remote',
    consumerKey: options.consumerKey,
    async sign(request: SignRequest, signal?: AbortSignal): Promise<SignResult> {
      const body: RemoteSignRequestBody = {
        version: 1,
        consumerKey: options.consumerKey,
        method: request.method.toUpperCase(),
        url: request.url,
        params: (request.bodyParams ?? []).map(([k, v]) => [k, v]),
        token: request.token ? { key: request.token.key, secret: request.token.secret } : null,
        oauth: { ...(request.oauthParams ?? {}) },
        ...(request.timestamp === undefined ? {} : { timestamp: request.timestamp }),
      };
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
          body: JSON.stringify(body),
          signal: combined,
        });
      } catch (error) {
        if (signal?.aborted)
          throw new AppError({ code: 'cancelled', message: 'Signing cancelled' }, { cause: error });
        if (timeout.aborted)
          throw new AppError(
            { code: 'timeout', message: `Remote signer did not answer within ${timeoutMs} ms` },
            { cause: error },
          );
        throw new AppError(
          { code: 'network', message: `Remote signer unreachable: ${(error as Error).message}` },
          { cause: error },
        );
      }
      const text = await response.text().catch((error: unknown) => {
        throw new AppError(
          { code: 'malformed_response', message: 'Remote signer response was cut off' },
          { cause: error },
        );
      });
      if (!response.ok) {
        const code =
          response.status === 401 ? 'unauthorized' : response.status === 403 ? 'forbidden' : 'service_error';
        throw new AppError({
          code,
          status: response.status,
          message: `Remote signer refused (${response.status}): ${text.slice(0, 200)}`,
        });
      }
      let parsed: RemoteSignResponse;
      try {
        parsed = RemoteSignResponse.parse(JSON.parse(text));
      } catch (error) {
        throw new AppError(
          {
            code: 'malformed_response',
            message: 'Remote signer answered something that is not a signing result',
          },
          { cause: error },
        );
      }
      const params = parsed.oauthParams;
      if (params.oauth_consumer_key !== options.consumerKey || !params.oauth_signature) {
        throw new AppError({
          code: 'malformed_response',
          message: 'Remote signer signed for another consumer key or returned no signature',
        });
      }
      return {
        authorization: parsed.authorization,
        oauthParams: Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)),
      };
    },
  };
}
