// The one-shot loopback listener the three-legged sign-in's callback lands on: 127.0.0.1,
// a random port, a random state in the callback URL that must come back unchanged, and the
// request token checked. It answers the browser with a short page and closes after one success.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../../../shared/errors.js';
import type { Logger } from '../logger.js';

export type CallbackResult = { token: string; verifier?: string; params: Record<string, string> };

export type LoopbackCallback = {
  /** Give this to the authorise page as oauth_callback. */
  callbackUrl: string;
  /** Resolves with the first valid callback; rejects on timeout or cancel. */
  result: Promise<CallbackResult>;
  /** The request token the callback must carry (known only after the callback URL is). */
  expectToken(token: string): void;
  cancel(reason?: AppError): void;
};

export async function startLoopbackCallback(options: {
  timeoutMs: number;
  logger: Logger;
}): Promise<LoopbackCallback> {
  // Long by design (over 80 lines): one server's lifetime (listen, answer the single callback, close) in one closure.
  const { timeoutMs, logger } = options;
  let requestToken: string | undefined;
  const state = randomBytes(24).toString('base64url');
  const sockets = new Set<Socket>();
  let settle: { resolve: (value: CallbackResult) => void; reject: (error: AppError) => void } | undefined;
  const result = new Promise<CallbackResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Awaited by the sign-in flow; this branch only keeps a cancel before that from being an
  // unhandled rejection.
  result.catch(() => undefined);
  let done = false;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (done || req.method !== 'GET' || url.pathname !== '/callback') return page(res, 404, 'Not found.');
    const params = Object.fromEntries(url.searchParams);
    if (!sameSecret(params.state, state)) {
      logger.warn('sign-in callback with a wrong state ignored');
      return page(res, 400, 'This sign-in link is not the one Septet is waiting for.');
    }
    if (requestToken === undefined || params.oauth_token !== requestToken) {
      logger.warn('sign-in callback for another request token ignored');
      return page(res, 400, 'This sign-in link is not the one Septet is waiting for.');
    }
    if (params.denied !== undefined || params.error !== undefined) {
      page(res, 200, 'Sign-in was cancelled. You can close this window.');
      finish(() =>
        settle?.reject(new AppError({ code: 'cancelled', message: 'Sign-in was cancelled in the browser.' })),
      );
      return;
    }
    page(res, 200, 'You are signed in to Septet. You can close this window and return to the app.');
    const callback: CallbackResult = { token: requestToken, params };
    if (params.oauth_verifier) callback.verifier = params.oauth_verifier;
    finish(() => settle?.resolve(callback));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const timer = setTimeout(() => {
    finish(() =>
      settle?.reject(
        new AppError({ code: 'timeout', message: 'Sign-in in the browser was not completed in time.' }),
      ),
    );
  }, timeoutMs);

  function finish(action: () => void): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    action();
    // Let the answer page reach the browser, then stop listening.
    server.close();
    setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, 200).unref();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    callbackUrl: `http://127.0.0.1:${port}/callback?state=${state}`,
    result,
    expectToken(token) {
      requestToken = token;
    },
    cancel(reason) {
      finish(() =>
        settle?.reject(reason ?? new AppError({ code: 'cancelled', message: 'Sign-in was cancelled.' })),
      );
    },
  };
}

function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function page(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Septet</title>` +
      `<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:32rem}</style></head>` +
      `<body><h1>Septet</h1><p>${message}</p></body></html>`,
  );
}
