// The play log's PlayLogSend through the API client: POST /logging/{endpoint} with {"logs":[…]}
// (reportPreviewStream 2-legged; reportCatalogueStream and reportSubscriberStream 3-legged, with
// the listener's token or, for a user-management key, 2-legged with the logs' userId). What the
// flusher needs of a failure — status, service code, Retry-After, the X-RateLimit-Reset wait of
// a 429 and the per-item errors of a 1008 — comes from the one HTTP→error path (api/response.ts).
import type { ApiClient } from '../api/client.js';
import { responseFactsOf } from '../api/response.js';
import type { PlayLogEndpoint, StreamLogPayload } from './play-log-schema.js';
import type { PlayLogSend } from './play-log-service.js';
import type { AppError } from '../../../shared/errors.js';

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
}): PlayLogSend {
  const timeoutMs = deps.timeoutMs ?? 30_000;
  return async (endpoint: PlayLogEndpoint, logs: StreamLogPayload[]) => {
    const userId = logs[0]?.userId;
    try {
      await deps.api.call(operations[endpoint], {
        body: { logs },
        ...(userId && endpoint !== 'preview' ? { userId } : {}),
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
