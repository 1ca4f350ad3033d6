// The OAuth 1.0 token flow (notes §1.3, rule 5): request token → sign-in page (or the partner
// username/password exchange) → access token. Request tokens and verifiers are single-use.
import type { ServerResponse } from 'node:http';
import type { EmulatorRequest, Router } from '../http.js';
import { missingParameter, notFound, sendText } from '../http.js';
import { OAuthError, oauthMessages } from '../oauth.js';
import type { RouteContext } from './context.js';

const html = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function signInPage(input: { token: string; callback: string; error?: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in – MassiveMusic emulator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#111;color:#eee;display:flex;justify-content:center;padding-top:10vh}
form{background:#1d1d1f;padding:2rem;border-radius:12px;width:320px}label{display:block;margin:.8rem 0 .3rem}
input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1.2rem;padding:.6rem 1.2rem}
.error{color:#ff7b7b}</style></head>
<body><form method="post" action="/oauth/authorise">
<h1>Sign in</h1><p>An application wants to access your MassiveMusic account.</p>
${input.error ? `<p class="error" role="alert">${html(input.error)}</p>` : ''}
<input type="hidden" name="oauth_token" value="${html(input.token)}">
<input type="hidden" name="oauth_callback" value="${html(input.callback)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Allow access</button></form></body></html>`;
}

function messagePage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title></head><body><h1>${html(title)}</h1><p>${body}</p></body></html>`;
}

const wantsXml = (req: EmulatorRequest) => String(req.headers.accept ?? '').includes('application/xml');

function sendTokens(
  req: EmulatorRequest,
  res: ServerResponse,
  root: string,
  fields: Record<string, string>,
): void {
  if (wantsXml(req)) {
    const inner = Object.entries(fields)
      .map(([k, v]) => `<${k}>${html(v)}</${k}>`)
      .join('');
    sendText(
      res,
      200,
      'application/xml; charset=utf-8',
      `<?xml version="1.0" encoding="utf-8"?>\n<response status="ok" version="1.2"><${root}>${inner}</${root}></response>`,
    );
    return;
  }
  sendText(res, 200, 'application/x-www-form-urlencoded', new URLSearchParams(fields).toString());
}

export function registerOAuthRoutes(router: Router, ctx: RouteContext): void {
  // Long by design (over 80 lines): a table of routes, one short entry per route.
  const { state, config, verifier } = ctx;
  const signed = (req: EmulatorRequest, tokenKind: 'access' | 'request' = 'access') =>
    verifier.verify(
      {
        method: req.method,
        baseUrl: `http://${String(req.headers.host ?? '').toLowerCase()}${req.path}`,
        query: req.query,
        headers: req.headers,
        body: req.body,
      },
      { tokenKind },
    );
  const fresh = (createdAt: number) => state.now() - createdAt <= config.requestTokenTtlSec * 1000;
  const usableRequestToken = (token: string) => {
    const row = state.getRequestToken(token);
    return row && !row.used && row.userId === null && fresh(row.createdAt) ? row : null;
  };

  router.add(
    'POST',
    '/oauth/requesttoken',
    (req, res) => {
      const v = signed(req);
      if (v.token !== null) throw new OAuthError('A request token must be requested without a token');
      const callback = v.oauth.get('oauth_callback') ?? null;
      const t = state.createRequestToken(v.consumerKey, callback);
      sendTokens(req, res, 'oauth_request_token', {
        oauth_token: t.token,
        oauth_token_secret: t.secret,
        oauth_callback_confirmed: 'true',
      });
    },
    { auth: 'self' },
  );
  router.add(
    'GET',
    '/oauth/authorise',
    (req, res) => {
      const token = req.query.get('oauth_token') ?? '';
      const row = usableRequestToken(token);
      if (!row) {
        sendText(
          res,
          400,
          'text/html; charset=utf-8',
          messagePage(
            'Sign-in link expired',
            'This sign-in link is invalid, expired or was already used. Start signing in again from the application.',
          ),
        );
        return;
      }
      const callback = req.query.get('oauth_callback') ?? row.callback ?? 'oob';
      sendText(res, 200, 'text/html; charset=utf-8', signInPage({ token, callback }));
    },
    { auth: 'none' },
  );
  router.add(
    'POST',
    '/oauth/authorise',
    (req, res) => {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase();
      const form = new URLSearchParams(
        type === 'application/x-www-form-urlencoded' ? req.body.toString('utf8') : '',
      );
      const token = form.get('oauth_token') ?? '';
      const row = usableRequestToken(token);
      if (!row) {
        sendText(
          res,
          400,
          'text/html; charset=utf-8',
          messagePage('Sign-in link expired', 'This sign-in link is invalid, expired or was already used.'),
        );
        return;
      }
      const callback = form.get('oauth_callback') || row.callback || 'oob';
      const user = state.verifyCredentials(form.get('email') ?? '', form.get('password') ?? '');
      if (!user) {
        sendText(
          res,
          401,
          'text/html; charset=utf-8',
          signInPage({ token, callback, error: 'Wrong email or password.' }),
        );
        return;
      }
      const verifierCode = state.authoriseRequestToken(token, user.id, true);
      if (verifierCode === null) {
        sendText(
          res,
          400,
          'text/html; charset=utf-8',
          messagePage('Sign-in link expired', 'This sign-in link was already used.'),
        );
        return;
      }
      if (callback === 'oob' || !URL.canParse(callback)) {
        sendText(
          res,
          200,
          'text/html; charset=utf-8',
          messagePage(
            'Access granted',
            `Your verification code is <code id="oauth_verifier">${html(verifierCode)}</code>.`,
          ),
        );
        return;
      }
      const target = new URL(callback);
      target.searchParams.set('oauth_token', token);
      target.searchParams.set('oauth_verifier', verifierCode);
      res.writeHead(302, { Location: target.toString(), 'Content-Length': 0 });
      res.end();
    },
    { auth: 'none' },
  );

  router.add(
    'POST',
    '/oauth/accesstoken',
    (req, res) => {
      const v = signed(req, 'request');
      if (v.token === null) throw new OAuthError('Missing request token');
      const row = state.getRequestToken(v.token);
      if (!row || row.used) throw new OAuthError('Request token already used');
      if (!fresh(row.createdAt)) throw new OAuthError('Request token expired');
      if (row.userId === null) throw new OAuthError('Request token not authorised');
      if (row.verifier !== null && v.oauth.get('oauth_verifier') !== row.verifier)
        throw new OAuthError('Invalid verifier');
      if (!state.useRequestToken(row.token)) throw new OAuthError('Request token already used');
      const access = state.createAccessToken(v.consumerKey, row.userId);
      sendTokens(req, res, 'oauth_access_token', {
        oauth_token: access.token,
        oauth_token_secret: access.secret,
        userId: access.userId,
      });
    },
    { auth: 'self' },
  );

  router.add(
    'GET',
    '/oauth/requestToken/authorise',
    (req, res) => {
      const v = signed(req);
      const consumer = state.getConsumer(v.consumerKey);
      if (!consumer?.userManagement) throw new OAuthError(oauthMessages.accessDenied);
      const username = req.query.get('username');
      const password = req.query.get('password');
      const token = req.query.get('token');
      if (!username) throw missingParameter('username');
      if (!password) throw missingParameter('password');
      if (!token) throw missingParameter('token');
      const row = usableRequestToken(token);
      if (!row || row.consumerKey !== v.consumerKey) throw notFound('Request token');
      const user = state.verifyCredentials(username, password);
      if (!user) throw new OAuthError('Invalid username or password');
      if (state.authoriseRequestToken(token, user.id, false) === null) throw notFound('Request token');
      if (String(req.headers.accept ?? '').includes('application/json')) {
        sendText(
          res,
          200,
          'application/json; charset=utf-8',
          JSON.stringify({ status: 'ok', userId: user.id }),
        );
        return;
      }
      sendText(
        res,
        200,
        'application/xml; charset=utf-8',
        `<?xml version="1.0" encoding="utf-8"?>\n<response status="ok" version="1.2"><oauth_request_token><oauth_token>${html(token)}</oauth_token><userId>${html(user.id)}</userId></oauth_request_token></response>`,
      );
    },
    { auth: 'self' },
  );
}
