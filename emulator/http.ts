// The emulator's small HTTP toolkit: a router over the spec's path templates, the request
// shape every handler sees, and the service's response envelopes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { operations, playlistExtensionOperations } from '../shared/api/operations.js';
import type { ServiceItemError } from '../shared/service-errors.js';
import { serviceErrorCodes } from '../shared/service-errors.js';

/** Who a verified request acts for. userId is set for 3-legged calls (token or managed user). */
export type AuthContext = {
  consumerKey: string;
  userId: string | null;
  /** 'token' = 3-legged access token; 'managed' = 2-legged + userId with a user-management key. */
  via: 'consumer' | 'token' | 'managed';
};

export type EmulatorRequest = {
  method: string;
  path: string;
  url: URL;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  params: Record<string, string>;
  auth: AuthContext;
  raw: IncomingMessage;
};

export type Handler = (req: EmulatorRequest, res: ServerResponse) => void | Promise<void>;

/** A service error: rendered as the JSON error envelope with a fitting HTTP status. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: ServiceItemError[],
  ) {
    super(message);
  }
}

export const missingParameter = (name: string) =>
  new ServiceError(400, serviceErrorCodes.missingParameter, `Missing "${name}" parameter`);
export const invalidValue = (name: string, detail = '') =>
  new ServiceError(
    400,
    serviceErrorCodes.invalidValue,
    `Value of parameter ${name} is not valid${detail ? `: ${detail}` : ''}`,
  );
export const outOfRange = (message: string) => new ServiceError(400, serviceErrorCodes.outOfRange, message);
export const notFound = (what: string) =>
  new ServiceError(404, serviceErrorCodes.notFound, `${what} not found`);
export const notAvailable = (message: string) =>
  new ServiceError(403, serviceErrorCodes.notAvailable, message);
export const alreadyExists = (message: string) =>
  new ServiceError(409, serviceErrorCodes.alreadyExists, message);

/**
 * How the server authenticates a route before its handler runs:
 * - 'twoLegged' / 'threeLegged': OAuth per notes §1 (3-legged = access token, or a
 *   user-management key signing 2-legged with the userId in the query or path);
 * - 'none': no OAuth (artwork, tokenised media URLs, the sign-in page);
 * - 'self': the handler verifies OAuth itself (token endpoints).
 * Default: the operations table's `auth` for the spec's (method, path), otherwise 'none'.
 */
export type RouteAuth = 'twoLegged' | 'threeLegged' | 'none' | 'self';

const tableAuth = new Map<string, { auth: RouteAuth; operationId: string }>(
  [...operations, ...playlistExtensionOperations].map((op) => [
    `${op.method} ${op.path}`,
    { auth: op.auth, operationId: op.operationId },
  ]),
);

/** The operation a (method, template) pair implements, if it is one of the spec's or an extension. */
export function operationFor(
  method: string,
  template: string,
): { auth: RouteAuth; operationId: string } | undefined {
  return tableAuth.get(`${method} ${template}`);
}

type Route = {
  method: string;
  pattern: RegExp;
  names: string[];
  template: string;
  handler: Handler;
  auth: RouteAuth;
  operationId: string | null;
};

export type RouteMatch = {
  handler: Handler;
  params: Record<string, string>;
  template: string;
  auth: RouteAuth;
  operationId: string | null;
};

export function createRouter() {
  const routes: Route[] = [];
  return {
    /** template uses the spec's `{name}` placeholders; a placeholder matches one path segment. */
    add(method: string, template: string, handler: Handler, options: { auth?: RouteAuth } = {}): void {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((segment) =>
          segment.replace(/\{(\w+)\}/g, (_m, name: string) => {
            names.push(name);
            return '([^/]+)';
          }),
        )
        .join('/');
      const op = operationFor(method, template);
      routes.push({
        method,
        pattern: new RegExp(`^${source}$`),
        names,
        template,
        handler,
        auth: options.auth ?? op?.auth ?? 'none',
        operationId: op?.operationId ?? null,
      });
    },
    /** Returns the match, 'method' when only the method differs, or null. */
    match(method: string, path: string): RouteMatch | 'method' | null {
      let pathMatched = false;
      for (const route of routes) {
        const m = route.pattern.exec(path);
        if (!m) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1] ?? '');
        });
        return {
          handler: route.handler,
          params,
          template: route.template,
          auth: route.auth,
          operationId: route.operationId,
        };
      }
      return pathMatched ? 'method' : null;
    },
  };
}

export type Router = ReturnType<typeof createRouter>;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendNoContent(res: ServerResponse, status = 204): void {
  res.writeHead(status);
  res.end();
}

export function sendServiceError(res: ServerResponse, error: ServiceError): void {
  const body: { status: 'error'; error: { code: number; message: string; errors?: ServiceItemError[] } } = {
    status: 'error',
    error: { code: error.code, message: error.message },
  };
  if (error.errors) body.error.errors = error.errors;
  sendJson(res, error.status, body);
}

/** Parses a JSON request body; wrong content type or malformed JSON → 400 with the envelope. */
export function readJsonBody(req: EmulatorRequest): unknown {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/json') {
    throw new ServiceError(400, serviceErrorCodes.invalidValue, 'Request body must be application/json');
  }
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    throw new ServiceError(400, serviceErrorCodes.invalidValue, 'Request body is not valid JSON');
  }
}

/** Parses a form body (application/x-www-form-urlencoded). */
export function readFormBody(req: EmulatorRequest): URLSearchParams {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new ServiceError(
      400,
      serviceErrorCodes.invalidValue,
      'Request body must be application/x-www-form-urlencoded',
    );
  }
  return new URLSearchParams(req.body.toString('utf8'));
}

/** Reads page/pageSize per the spec (default 1/20, pageSize ≤ 100); bad values → 1003/1002. */
export function readPaging(
  query: URLSearchParams,
  maxPageSize = 100,
  defaultPageSize = 20,
): { page: number; pageSize: number } {
  const parse = (name: string, fallback: number): number => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d{1,9}$/.test(raw)) throw invalidValue(name, raw.slice(0, 40));
    return Number(raw);
  };
  const page = parse('page', 1);
  const pageSize = parse('pageSize', defaultPageSize);
  if (page < 1) throw outOfRange('page must be 1 or more');
  if (pageSize < 1 || pageSize > maxPageSize)
    throw outOfRange(`pageSize must be between 1 and ${maxPageSize}`);
  return { page, pageSize };
}

/**
 * Validates a parsed body with a zod schema: a missing required field → 1001, anything else
 * invalid → 1002 (the service's codes), never a 500.
 */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  if (issue?.code === 'invalid_type' && issue.message.endsWith('received undefined'))
    throw missingParameter(name);
  if (issue?.code === 'too_big' && issue.path.length === 1) {
    throw new ServiceError(
      400,
      serviceErrorCodes.outOfRange,
      `Value of parameter ${name} is out of range: ${issue.message}`,
    );
  }
  throw invalidValue(name, issue?.message ?? '');
}

/** Form body as a plain object (first value of each name), for zod validation. */
export function formObject(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form) if (!(name in out) && !name.startsWith('oauth_')) out[name] = value;
  return out;
}
