// Turns an operation of the shared table and its arguments into the request the client signs
// and sends: the path filled, each parameter placed where the service reads it (notes §1.1),
// the token chosen, the body serialised.
import { operations, playlistExtensionOperations } from '../../../shared/api/operations.js';
import { AppError } from '../../../shared/errors.js';
import { formatPairs, parseFormPairs, percentEncode, type OAuthToken, type ParamPair } from './oauth.js';
import type { ExpectedBody } from './response.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One row of the operation table as the client needs it (the 46 plus the playlist extensions). */
export type OperationSpec = {
  operationId: string;
  method: HttpMethod;
  path: string;
  auth: 'twoLegged' | 'threeLegged';
  query: ReadonlyArray<{ name: string; required: boolean }>;
  body: 'application/json' | 'application/x-www-form-urlencoded' | null;
  okContent: readonly string[];
};

const extensionSpecs: Record<string, Pick<OperationSpec, 'body' | 'okContent'>> = {
  getPlaylist: { body: null, okContent: ['application/json'] },
  deletePlaylist: { body: null, okContent: [] },
  removePlaylistTrack: { body: null, okContent: ['application/json'] },
  movePlaylistTrack: { body: 'application/json', okContent: ['application/json'] },
};

export const operationSpecs: ReadonlyMap<string, OperationSpec> = new Map<string, OperationSpec>([
  ...operations.map((op) => [op.operationId, op as unknown as OperationSpec] as const),
  ...playlistExtensionOperations.map(
    (op) =>
      [
        op.operationId,
        {
          ...op,
          query: [],
          ...(extensionSpecs[op.operationId] ?? { body: null, okContent: [] }),
        } as OperationSpec,
      ] as const,
  ),
]);

/** Query parameters the service reads from the query string of a POST/PUT (C# wrapper RequestBuilder). */
export const postQueryWhitelist = new Set(['userid', 'country', 'shopid', 'onbehalfofpartnerid']);

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

export type CallOptions = {
  /** Values for the `{name}` placeholders of the path template. */
  path?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  /** JSON value for JSON operations; an object or pairs for form operations. */
  body?: unknown;
  /** Managed user for 3-legged operations when there is no access token (signed 2-legged + userId). */
  userId?: string;
  /** Overrides getUserToken; null forces 2-legged. */
  token?: OAuthToken | null;
  signal?: AbortSignal;
  timeoutMs?: number;
};

export type Prepared = {
  op: OperationSpec;
  method: HttpMethod;
  url: string;
  queryPairs: ParamPair[];
  bodyPairs: ParamPair[] | null;
  jsonBody: string | null;
  token: OAuthToken | null;
  accept: string;
  headers?: Record<string, string>;
  /** false for a GET with a side effect (spending a single-use request token). */
  retry?: boolean;
};

function toPairs(query: Record<string, QueryValue> | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value))
      for (const item of value as ReadonlyArray<string | number>) pairs.push([name, String(item)]);
    else pairs.push([name, String(value)]);
  }
  return pairs;
}

function bodyToPairs(body: unknown): Array<[string, string]> {
  if (body === undefined || body === null) return [];
  if (Array.isArray(body))
    return body.map((pair) => [String((pair as unknown[])[0]), String((pair as unknown[])[1])]);
  if (body instanceof URLSearchParams) return [...body].map(([k, v]) => [k, v]);
  if (typeof body === 'string') return parseFormPairs(body);
  if (typeof body === 'object') return toPairs(body as Record<string, QueryValue>);
  throw new AppError({ code: 'invalid_input', message: 'A form body must be an object of name/value pairs' });
}

export function expectedBody(op: OperationSpec): ExpectedBody {
  if (op.okContent.includes('application/json')) return 'json';
  if (op.okContent.includes('application/xml')) return 'xml';
  if (op.okContent.includes('application/vnd.apple.mpegurl')) return 'text';
  return 'none';
}

export function isStreamingOp(op: OperationSpec): boolean {
  return (
    op.okContent.length > 0 &&
    op.okContent.every((type) => /^(audio|video)\/|^application\/(zip|octet-stream)/.test(type))
  );
}

export type PrepareContext = {
  baseUrl: string;
  getUserToken?: ApiClientTokenSource;
};

export type ApiClientTokenSource = () =>
  OAuthToken | null | undefined | Promise<OAuthToken | null | undefined>;

export function lookupOperation(operationId: string): OperationSpec {
  const op = operationSpecs.get(operationId);
  if (!op) throw new AppError({ code: 'invalid_input', message: `Unknown operation "${operationId}"` });
  return op;
}

/** Resolves an operation and its arguments into the URL, parameters and body one request sends. */
export async function prepareRequest(
  operationId: string,
  call: CallOptions,
  context: PrepareContext,
): Promise<Prepared> {
  const op = lookupOperation(operationId);
  const path = fillPath(op, operationId, call);
  const queryPairs = toPairs(call.query);
  for (const param of op.query) {
    if (param.required && !queryPairs.some(([name]) => name === param.name)) {
      throw new AppError({
        code: 'invalid_input',
        message: `${operationId}: missing required parameter "${param.name}"`,
      });
    }
  }
  const token = await tokenFor(op, operationId, call, queryPairs, context);
  const { query: finalQuery, bodyPairs, jsonBody } = placeParameters(op, operationId, call, queryPairs);
  const query = formatPairs(finalQuery);
  const accept =
    op.okContent.length === 0
      ? 'application/json'
      : op.okContent.includes('application/json')
        ? 'application/json'
        : op.okContent.join(', ');
  return {
    op,
    method: op.method,
    url: `${context.baseUrl}${path}${query ? `?${query}` : ''}`,
    queryPairs: finalQuery,
    bodyPairs,
    jsonBody,
    token,
    accept,
  };
}

/** The path template with its `{name}` placeholders filled (userId from the call when absent). */
function fillPath(op: OperationSpec, operationId: string, call: CallOptions): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = call.path?.[name] ?? (name === 'userId' ? call.userId : undefined);
    if (value === undefined || value === '') {
      throw new AppError({
        code: 'invalid_input',
        message: `${operationId}: missing path parameter "${name}"`,
      });
    }
    return percentEncode(String(value));
  });
}

/**
 * The access token a 3-legged operation is signed with; without one, a managed user signs
 * 2-legged with userId in the query (added to queryPairs here).
 */
async function tokenFor(
  op: OperationSpec,
  operationId: string,
  call: CallOptions,
  queryPairs: ParamPair[],
  context: PrepareContext,
): Promise<OAuthToken | null> {
  const hasUserId = queryPairs.some(([name]) => name === 'userId');
  if (op.auth !== 'threeLegged') {
    if (call.userId && op.query.some((q) => q.name === 'userId') && !hasUserId)
      queryPairs.push(['userId', call.userId]);
    return null;
  }
  const token = call.token !== undefined ? call.token : ((await context.getUserToken?.()) ?? null);
  if (token) return token;
  if (!call.userId) {
    throw new AppError({
      code: 'unauthorized',
      message: `${operationId} needs a signed-in listener (access token) or a managed userId`,
    });
  }
  if (!hasUserId) queryPairs.push(['userId', call.userId]);
  return null;
}

/** Where each parameter travels: the query of a GET/DELETE; the body of a POST/PUT (bar a few). */
function placeParameters(
  op: OperationSpec,
  operationId: string,
  call: CallOptions,
  queryPairs: ParamPair[],
): { query: ParamPair[]; bodyPairs: ParamPair[] | null; jsonBody: string | null } {
  if (op.method !== 'POST' && op.method !== 'PUT') {
    if (call.body !== undefined)
      throw new AppError({ code: 'invalid_input', message: `${operationId} takes no request body` });
    return { query: queryPairs, bodyPairs: null, jsonBody: null };
  }
  const stay = queryPairs.filter(([name]) => postQueryWhitelist.has(name.toLowerCase()));
  const move = queryPairs.filter(([name]) => !postQueryWhitelist.has(name.toLowerCase()));
  if (op.body === 'application/x-www-form-urlencoded') {
    return { query: stay, bodyPairs: [...bodyToPairs(call.body), ...move], jsonBody: null };
  }
  if (move.length > 0) {
    throw new AppError({
      code: 'invalid_input',
      message: `${operationId}: parameter(s) ${move.map(([n]) => n).join(', ')} cannot travel in the query of a ${op.method}`,
    });
  }
  if (op.body !== 'application/json' && call.body === undefined)
    return { query: stay, bodyPairs: null, jsonBody: null };
  try {
    return { query: stay, bodyPairs: null, jsonBody: JSON.stringify(call.body ?? {}) };
  } catch (error) {
    throw new AppError(
      { code: 'invalid_input', message: `${operationId}: body is not serialisable as JSON` },
      { cause: error },
    );
  }
}
