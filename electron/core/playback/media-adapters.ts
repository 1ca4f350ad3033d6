// Adapts the API client and the session to the small function types the media services (gateway,
// offline cache, downloads, radio) depend on (media-gateway/upstream.ts).
import type { ApiClient } from '../api/client.js';
import type { ApiCall, SessionInfo, UpstreamFetch } from '../media-gateway/upstream.js';
import type { SessionService } from '../session/session-service.js';

export type MediaAdapterDeps = {
  api: Pick<ApiClient, 'call' | 'fetchSigned'>;
  session: Pick<SessionService, 'current' | 'view'>;
  clientId: string;
  online: () => boolean;
};

export function createMediaAdapters(deps: MediaAdapterDeps): {
  sessionInfo: () => SessionInfo | null;
  upstream: UpstreamFetch;
  apiCall: ApiCall;
} {
  const { api, session } = deps;
  const sessionInfo = (): SessionInfo | null => {
    const current = session.current();
    if (!current) return null;
    const view = session.view();
    const subscription = view.state === 'signedIn' ? view.subscription : 'unknown';
    return {
      userId: current.userId,
      country: current.country,
      clientId: deps.clientId,
      // Unknown while offline; 'unknown' online counts as active (the service decides per stream).
      subscriptionActive: !deps.online() ? null : subscription === 'active' || subscription === 'unknown',
    };
  };
  const upstream: UpstreamFetch = (operationId, request) => {
    const current = session.current();
    return api.fetchSigned(operationId, {
      ...(request.path ? { path: request.path } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.headers?.range ? { range: request.headers.range } : {}),
      ...(current ? { userId: current.userId } : {}),
    });
  };
  const apiCall: ApiCall = (operationId, request) => {
    const current = session.current();
    return api.call(operationId, {
      ...(request.path ? { path: request.path } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(current ? { userId: current.userId } : {}),
    });
  };
  return { sessionInfo, upstream, apiCall };
}
