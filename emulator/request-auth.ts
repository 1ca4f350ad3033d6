// Who an API request acts for, verified like the real service before its handler runs: the
// consumer key always; the user from an access token (3-legged) or, for a user-management key
// signing 2-legged, from the userId in the path, the query or the form body.
import { operations } from '../shared/api/operations.js';
import { serviceErrorCodes } from '../shared/service-errors.js';
import type { EmulatorConfig } from './config.js';
import type { AuthContext, EmulatorRequest, RouteAuth } from './http.js';
import { ServiceError } from './http.js';
import { OAuthError, oauthMessages, type OAuthVerifier } from './oauth.js';
import type { EmulatorState } from './state.js';

/** The auth of a request that is not verified (test API, unsigned media URLs, token endpoints). */
export const noAuth: AuthContext = { consumerKey: '', userId: null, via: 'consumer' };

/** Catalogue GETs that may be called key-only (unsigned), like the real API. */
const unsignedCatalogueOps = new Set<string>(
  operations
    .filter((op) => op.tag === 'Catalogue' && op.method === 'GET' && op.operationId !== 'downloadTrack')
    .map((op) => op.operationId),
);

export type Authenticate = (req: EmulatorRequest, mode: RouteAuth, operationId: string | null) => AuthContext;

export function createAuthenticator(deps: {
  state: EmulatorState;
  config: EmulatorConfig;
  verifier: OAuthVerifier;
}): Authenticate {
  const { state, config, verifier } = deps;
  return (req, mode, operationId) => {
    if (mode === 'none' || mode === 'self') return noAuth;
    const allowUnsigned =
      config.allowUnsignedCatalogue && operationId !== null && unsignedCatalogueOps.has(operationId);
    const v = verifier.verify(
      {
        method: req.method,
        baseUrl: `http://${String(req.headers.host ?? '').toLowerCase()}${req.path}`,
        query: req.query,
        headers: req.headers,
        body: req.body,
      },
      { tokenKind: 'access', allowUnsigned },
    );
    const consumer = state.getConsumer(v.consumerKey);
    if (!consumer) throw new OAuthError(oauthMessages.unknownKey);
    if (v.token !== null) {
      const token = state.getAccessToken(v.token);
      if (!token) throw new OAuthError(oauthMessages.invalidToken);
      const pathUser = req.params.userId;
      if (pathUser !== undefined && pathUser !== token.userId)
        throw new OAuthError(oauthMessages.accessDenied);
      return { consumerKey: v.consumerKey, userId: token.userId, via: 'token' };
    }
    const optionalUser = mode === 'twoLegged' || operationId === 'streamPreviewClip';
    const consumerOnly: AuthContext = { consumerKey: v.consumerKey, userId: null, via: 'consumer' };
    const candidate = req.params.userId ?? req.query.get('userId') ?? formUserId(req);
    if (!candidate || !consumer.userManagement || !v.signed) {
      if (optionalUser) return consumerOnly;
      throw new OAuthError(oauthMessages.noUserCredentials);
    }
    const user = state.getUser(candidate);
    if (!user) {
      if (optionalUser) return consumerOnly;
      throw new ServiceError(404, serviceErrorCodes.notFound, 'User not found');
    }
    if (user.ownerKey !== consumer.key) {
      if (optionalUser) return consumerOnly;
      throw new OAuthError(oauthMessages.accessDenied);
    }
    return { consumerKey: v.consumerKey, userId: user.id, via: 'managed' };
  };
}

/** The userId of a form-encoded body, if there is one. */
function formUserId(req: EmulatorRequest): string | null {
  return req.body.length > 0 &&
    String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(req.body.toString('utf8')).get('userId')
    : null;
}
