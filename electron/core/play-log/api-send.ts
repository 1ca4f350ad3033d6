// The play log's PlayLogSend through the API client: POST /logging/{endpoint} with {"logs":[…]}
// (reportPreviewStream 2-legged; reportCatalogueStream and reportSubscriberStream 3-legged, with
// the listener's token or, for a user-management key, 2-legged with the logs' userId). What the
// flusher needs of a failure — status, service code, Retry-After, the X-RateLimit-Reset wait of
// a 429 and the per-item errors of a 1008 — comes from the one HTTP→error path (api/response.ts).
// With `tokenFor`, a batch of 3-legged logs is signed with the access token of the account the
// plays belong to, never with whoever happens to be signed in; without it, as the client signs.
import type { ApiClient } from '../api/client.js';
import type { OAuthToken } from '../api/oauth.js';
import { responseFactsOf } from '../api/response.js';
import type { PlayLogEndpoint, StreamLogPayload } from './play-log-schema.js';
import type { PlayLogSend } from './play-log-service.js';
import { AppError } from '../../../shared/errors.js';

export type PlayLogSendError = AppError & {
  retryAfterMs?: number;
  rateLimitResetMs?: number;
  itemErrors?: Array<{ index: number; code?: number; message?: string }>;
};

const operations: Record<PlayLogEndpoint, string> = {
  preview: 'reportPreviewStream',
  catalogue: 'reportCatalogueStream',
  subscriber: 'reportSubscriberStream',
};

export function createApiPlayLogSend(deps: {
  api: Pick<ApiClient, 'call'>;
  timeoutMs?: number;
  /** The access token of `userId` when that account is signed in, else null (its plays wait). */
  tokenFor?: (userId: string) => OAuthToken | null;
}): PlayLogSend {
  const timeoutMs = deps.timeoutMs ?? 30_000;
  return async (endpoint: PlayLogEndpoint, logs: StreamLogPayload[]) => {
    const userId = logs[0]?.userId;
    const perUser = endpoint !== 'preview' && userId !== undefined;
    let token: OAuthToken | null | undefined;
    if (perUser && deps.tokenFor) {
      if (logs.some((log) => log.userId !== userId))
        throw new AppError({ code: 'internal', message: 'A batch mixes the plays of two accounts.' });
      token = deps.tokenFor(userId);
      // Signed out (or another account signed in) since the batch was claimed: it waits.
      if (!token)
        throw new AppError({ code: 'unauthorized', message: `The account ${userId} is not signed in.` });
    }
    try {
      await deps.api.call(operations[endpoint], {
        body: { logs },
        ...(perUser ? { userId } : {}),
        ...(token ? { token } : {}),
        timeoutMs,
      });
      return { ok: true };
    } catch (error) {
      const facts = responseFactsOf(error);
      if (!facts) throw error;
      const sendError = error as PlayLogSendError;
      // Set explicitly (0 = nothing asked) so the flusher does not fall back on the client's merged hint.
      sendError.retryAfterMs = facts.retryAfterMs;
      if (facts.rateLimitResetMs !== undefined) sendError.rateLimitResetMs = facts.rateLimitResetMs;
      if (facts.itemErrors) sendError.itemErrors = facts.itemErrors;
      throw sendError;
    }
  };
}
