// A PlayLogSend from a base URL and a signer, for callers without an API client of their own
// (tests, the soak, the bench): it makes one and sends through it (api-send.ts).
import { createApiClient } from '../../api/client.js';
import type { OAuthToken, Signer } from '../../api/oauth.js';
import { createApiPlayLogSend } from '../api-send.js';
import type { PlayLogSend } from '../play-log-service.js';

export type { PlayLogSendError } from '../api-send.js';

export type HttpPlayLogSendOptions = {
  baseUrl: string;
  signer: Signer;
  /** The listener's access token for 3-legged endpoints; without one, a user-management key signs 2-legged with userId in the query. */
  token?: () => OAuthToken | null | Promise<OAuthToken | null>;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export function createHttpPlayLogSend(options: HttpPlayLogSendOptions): PlayLogSend {
  const api = createApiClient({
    baseUrl: options.baseUrl,
    signer: options.signer,
    ...(options.token ? { getUserToken: options.token } : {}),
    ...(options.fetch ? { fetchImpl: options.fetch } : {}),
  });
  return createApiPlayLogSend({
    api,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
