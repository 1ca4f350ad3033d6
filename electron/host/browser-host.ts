// The browser host: the contract's handlers over HTTP + WebSocket on 127.0.0.1, for Chromium
// (e2e tests, `npm start` without Electron, headless automation). Same handle() as the
// Electron host; only the transport differs.
//
// Protection, in order, on every request: the Host header must name this loopback server (DNS
// rebinding), a browser Origin must be this server's, and the per-run token must be presented:
// `?token=` once on the page URL (it becomes an HttpOnly SameSite=Strict cookie), the
// `X-Septet-Token` header on POST /api/{channel}, and `?token=` on the /events WebSocket.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventNames } from '../../shared/ipc/contract.js';
import type { AppEventSource, ChannelHandlers } from '../../shared/ipc/handlers.js';
import type { Logger } from '../core/logger.js';
import { contentSecurityPolicy, securityHeaders } from './csp.js';
import { createHandle } from './handle.js';
import { findRendererFile, safeDecode } from './renderer-files.js';

export type BrowserHostOptions = {
  handlers: ChannelHandlers;
  events: AppEventSource;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  logger: Logger;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Origin of the media gateway, for the CSP (known once the core has started). */
  gatewayOrigin?: () => string | undefined;
  /** Fixed token (tests); a random 256-bit one otherwise. */
  token?: string;
};

export type BrowserHost = {
  /** Open this in a browser: origin + `/?token=…`. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
};

export const tokenHeader = 'x-septet-token';
export const tokenMetaName = 'septet-token';
const maxBodyBytes = 16 * 1024 * 1024;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  // Long by design (over 80 lines): the host's closure holds its server, token and sockets; routing, static files and events are short inner functions.
  const { handlers, events, logger } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const handle = createHandle({ handlers, host: 'browser', logger });
  const sockets = new Set<Socket>();
  const clients = new Set<WebSocket>();
  let port = 0;
  const csp = (): string => {
    const gatewayOrigin = options.gatewayOrigin?.();
    return contentSecurityPolicy({
      ...(gatewayOrigin ? { gatewayOrigin } : {}),
      connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`],
    });
  };

  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((host) => `http://${host}`);

  /** The reason to refuse a request before it reaches anything, or null. */
  const refuse = (req: IncomingMessage, presented: string | undefined): string | null => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return 'foreign Host header';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) return 'foreign Origin';
    if (!tokenMatches(presented, token)) return 'missing or wrong token';
    return null;
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error('browser host request failed', { error, path: pathOf(req) });
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (!url) return sendText(res, 400, 'Bad request: malformed URL');
    if (url.pathname.startsWith('/api/')) {
      const reason = refuse(req, headerValue(req.headers[tokenHeader]));
      if (reason) return reject(res, req, reason);
      if (req.method !== 'POST') return sendText(res, 405, 'Method not allowed', { Allow: 'POST' });
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        return sendText(res, 415, 'Content-Type must be application/json');
      }
      // A malformed %-escape names no channel: handle() answers invalid_input as for any unknown one.
      const channel = safeDecode(url.pathname.slice('/api/'.length)) ?? url.pathname.slice('/api/'.length);
      const body = await readBody(req);
      if (body === null) return sendText(res, 413, 'Request too large');
      let arg: unknown;
      try {
        arg = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, {
          ok: false,
          error: { code: 'invalid_input', message: 'The body is not valid JSON.' },
        });
      }
      const result = await handle(channel, arg, { trusted: true, description: 'browser host' });
      return sendJson(res, result);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    const queryToken = url.searchParams.get('token') ?? undefined;
    if (queryToken !== undefined) {
      // First visit: trade the URL token for a cookie and drop it from the address bar.
      const reason = refuse(req, queryToken);
      if (reason) return reject(res, req, reason);
      res.writeHead(303, {
        ...securityHeaders(csp()),
        Location: url.pathname,
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    const reason = refuse(req, cookieValue(req.headers.cookie, cookieName(port)));
    if (reason) return reject(res, req, reason);
    await serveStatic(url.pathname, req, res);
  };

  const serveStatic = async (pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const found = await findRendererFile(rendererDir, pathname);
    if (!found.ok) return sendText(res, found.status, found.message);
    const { path: file, size, contentType, shell } = found.file;
    const headers = {
      ...securityHeaders(csp()),
      'Content-Type': contentType,
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'no-cache',
    };
    if (shell) {
      // The page's scripts need the token for POST /api (the cookie is HttpOnly).
      const html = (await readFile(file, 'utf8')).replace(
        /<head>/i,
        `<head>\n    <meta name="${tokenMetaName}" content="${token}" />`,
      );
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };

  const reject = (res: ServerResponse, req: IncomingMessage, reason: string): void => {
    logger.warn('browser host refused a request', { reason, path: pathOf(req), origin: req.headers.origin });
    sendText(res, reason === 'foreign Host header' ? 421 : 403, `Forbidden: ${reason}`);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = requestUrl(req);
    const reason = !url
      ? 'malformed URL'
      : url.pathname === '/events'
        ? refuse(req, url.searchParams.get('token') ?? undefined)
        : 'unknown path';
    if (reason) {
      logger.warn('browser host refused a WebSocket', { reason });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', (error) => logger.debug('events socket error', { error }));
      // Events flow one way; anything the page sends is ignored.
    });
  });

  const unsubscribe = eventNames.map((event) =>
    events.on(event, (payload) => {
      const message = JSON.stringify({ event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(message);
    }),
  );

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolvePromise, rejectPromise) => {
    server.once('error', rejectPromise);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', rejectPromise);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  logger.info('browser host listening', { origin });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      for (const off of unsubscribe) off();
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Cookies are shared across ports of a host, so each server names its own. */
export function cookieName(port: number): string {
  return `septet_token_${port}`;
}

function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

function pathOf(req: IncomingMessage): string {
  return requestUrl(req)?.pathname ?? '(malformed)';
}

/** The request's URL, or null when the request target cannot be parsed (it comes from anyone). */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(text);
}
