// Adapts the API client's token flow to what sign-in needs.
import type { ApiClient } from '../api/client.js';
import type { SessionApi } from './session-service.js';

export function sessionApi(api: ApiClient): SessionApi {
  return {
    requestToken: (args) => api.requestToken(args?.callback ? { callback: args.callback } : {}),
    authoriseUrl: (token, callback) => api.authoriseUrl(token, callback),
    authoriseWithPassword: (args) => api.authoriseWithPassword(args),
    accessToken: (args) => api.accessToken(args),
  };
}
