// One request through the emulator: the test API (loopback only) or the injected faults, then
// the route, the body (at most maxBodyBytes), OAuth, the daily request count and the handler.
// Every error becomes the service's answer: OAuth's plain text, the JSON envelope (statuses as
// configured), or 500/7001 for a real bug.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { oauthErrorPrefix, serviceErrorCodes } from '../shared/service-errors.js';
import type { EmulatorConfig } from './config.js';
import { truncateResponse, type Faults } from './faults.js';
import type { EmulatorRequest, Router } from './http.js';
import { ServiceError, sendJson, sendServiceError, sendText } from './http.js';
import { OAuthError } from './oauth.js';
import { noAuth, type Authenticate } from './request-auth.js';
import type { EmulatorState } from './state.js';

export type RequestPipelineDeps = {
  state: EmulatorState;
  config: EmulatorConfig;
  /** The API's routes. */
  router: Router;
  /** The test-only routes under /_emulator/. */
  testApi: Router;
  faults: Faults;
  authenticate: Authenticate;
  log: (line: string) => void;
};

type Pipeline = RequestPipelineDeps & { daily: DailyLimit };

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const dayMs = 86_400_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The server's request listener. */
export function createRequestHandler(
  deps: RequestPipelineDeps,
): (raw: IncomingMessage, res: ServerResponse) => void {
  const pipeline: Pipeline = { ...deps, daily: createDailyLimit(deps.state, deps.config) };
  return (raw, res) => {
    dispatch(pipeline, raw, res).catch((error: unknown) => answerError(pipeline, raw, res, error));
  };
}

async function dispatch(p: Pipeline, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  const trace = raw.headers['x-7d-traceid'];
  if (typeof trace === 'string') res.setHeader('x-7d-traceid', trace.slice(0, 200));
  p.daily.setHeaders(res, 0);
  // The service's clock (test clock offset included), so a client can correct its own skew.
  res.setHeader('Date', new Date(p.state.now()).toUTCString());
  let url: URL;
  try {
    url = new URL(raw.url ?? '/', 'http://127.0.0.1');
  } catch {
    sendError(p, res, new ServiceError(400, serviceErrorCodes.invalidValue, 'Malformed request URL'));
    return;
  }
  const path = url.pathname;
  const method = (raw.method ?? 'GET').toUpperCase();

  if (path === '/_emulator' || path.startsWith('/_emulator/')) {
    if (!loopback.has(raw.socket.remoteAddress ?? '')) {
      sendError(
        p,
        res,
        new ServiceError(403, serviceErrorCodes.notAvailable, 'The test API is loopback only'),
      );
      return;
    }
    await route(p, p.testApi, raw, res, url, method, true);
    return;
  }

  const hits = p.faults.take(path);
  for (const fault of hits) if (fault.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
  const fault = hits.find((f) => f.kind !== 'latency');
  if (fault?.kind === 'drop') {
    raw.socket.destroy();
    return;
  }
  if (fault?.kind === 'status') {
    sendInjectedStatus(res, fault.status ?? 503);
    return;
  }
  if (fault?.kind === 'truncate') truncateResponse(res);
  await route(p, p.router, raw, res, url, method, false);
}

async function route(
  p: Pipeline,
  table: Router,
  raw: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  isTestApi: boolean,
): Promise<void> {
  let match;
  try {
    match = table.match(method, url.pathname);
  } catch {
    sendError(p, res, new ServiceError(400, serviceErrorCodes.invalidValue, 'Malformed path'));
    return;
  }
  if (match === null) {
    sendError(p, res, new ServiceError(404, serviceErrorCodes.notFound, 'Resource not found'));
    return;
  }
  if (match === 'method') {
    sendError(
      p,
      res,
      new ServiceError(405, serviceErrorCodes.invalidValue, `Method ${method.slice(0, 10)} not allowed`),
    );
    return;
  }
  const body = await readBodyOrAnswer413(p, raw, res);
  if (body === null) return;
  const req: EmulatorRequest = {
    method,
    path: url.pathname,
    url,
    query: url.searchParams,
    headers: raw.headers,
    body,
    params: match.params,
    auth: noAuth,
    raw,
  };
  if (!isTestApi) {
    req.auth = p.authenticate(req, match.auth, match.operationId);
    if (req.auth.consumerKey !== '') countRequest(p, req.auth.consumerKey, res);
  }
  await match.handler(req, res);
}

/** The request body; null when it was too large and 413 has been sent. */
async function readBodyOrAnswer413(
  p: Pipeline,
  raw: IncomingMessage,
  res: ServerResponse,
): Promise<Buffer | null> {
  try {
    return await readBody(raw, p.config.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    res.setHeader('Connection', 'close');
    sendError(
      p,
      res,
      new ServiceError(
        413,
        serviceErrorCodes.outOfRange,
        `Request body larger than ${p.config.maxBodyBytes} bytes`,
      ),
    );
    res.on('finish', () => raw.destroy());
    return null;
  }
}

/** Counts a request against its key's daily limit; a non-live key over the limit gets 429. */
function countRequest(p: Pipeline, consumerKey: string, res: ServerResponse): void {
  const count = p.daily.count(consumerKey);
  const resetSec = p.daily.setHeaders(res, count);
  const consumer = p.state.getConsumer(consumerKey);
  if (consumer && !consumer.live && count > p.config.dailyRequestLimit) {
    res.setHeader('Retry-After', String(resetSec));
    throw new ServiceError(429, serviceErrorCodes.outOfRange, 'Daily request limit reached for this key');
  }
}

type DailyLimit = ReturnType<typeof createDailyLimit>;

/** Requests per key per (emulator) day, and the X-RateLimit-* headers every response carries. */
function createDailyLimit(state: EmulatorState, config: EmulatorConfig) {
  const dailyCounts = new Map<string, { day: number; count: number }>();
  return {
    count(key: string): number {
      const day = Math.floor(state.now() / dayMs);
      let entry = dailyCounts.get(key);
      if (!entry || entry.day !== day) {
        entry = { day, count: 0 };
        dailyCounts.set(key, entry);
      }
      entry.count += 1;
      return entry.count;
    },
    /** Sets the headers; returns the seconds until the count resets. */
    setHeaders(res: ServerResponse, count: number): number {
      const resetSec = Math.ceil((dayMs - (state.now() % dayMs)) / 1000);
      res.setHeader('X-RateLimit-Limit', String(config.dailyRequestLimit));
      res.setHeader('X-RateLimit-Current', String(count));
      res.setHeader('X-RateLimit-Reset', String(resetSec));
      return resetSec;
    },
  };
}

/** A service error with the HTTP status the settings give its code. */
function sendError(p: Pipeline, res: ServerResponse, error: ServiceError): void {
  sendServiceError(
    res,
    new ServiceError(statusFor(p.config, error), error.code, error.message, error.errors),
  );
}

function statusFor(config: EmulatorConfig, error: ServiceError): number {
  if (error.code === serviceErrorCodes.notAvailable) return config.notAvailableStatus;
  if (error.code === serviceErrorCodes.alreadyExists) return config.alreadyExistsStatus;
  if (error.code === serviceErrorCodes.concurrentStream) return config.concurrentStreamStatus;
  return error.status;
}

/** What a handler (or the pipeline) threw, as the service would answer it. */
function answerError(p: Pipeline, raw: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  if (error instanceof OAuthError) {
    sendText(res, error.status, 'text/plain; charset=utf-8', error.message);
    return;
  }
  if (error instanceof ServiceError) {
    sendError(p, res, error);
    return;
  }
  p.log(
    `unexpected error on ${raw.method ?? ''} ${raw.url ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  sendJson(res, 500, {
    status: 'error',
    error: { code: serviceErrorCodes.unableToPerformAction, message: 'Unable to perform action' },
  });
}

/** An injected error status, shaped like the service's own answer for that status. */
function sendInjectedStatus(res: ServerResponse, status: number): void {
  if (status === 401) {
    sendText(
      res,
      401,
      'text/plain; charset=utf-8',
      `${oauthErrorPrefix}Access to resource denied (injected fault)`,
    );
    return;
  }
  if (status === 429) res.setHeader('Retry-After', '1');
  const [code, message] =
    status === 429
      ? [serviceErrorCodes.outOfRange, 'Rate limit exceeded (injected fault)']
      : status === 404
        ? [serviceErrorCodes.notFound, 'Resource not found (injected fault)']
        : status === 403
          ? [serviceErrorCodes.notAvailable, 'Resource not available (injected fault)']
          : status < 500
            ? [serviceErrorCodes.invalidValue, 'Invalid request (injected fault)']
            : [9001, 'Unexpected internal server error (injected fault)'];
  sendServiceError(res, new ServiceError(status, code, message));
}

class BodyTooLarge extends Error {}

function readBody(raw: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(raw.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    raw.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        raw.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    raw.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    raw.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}
