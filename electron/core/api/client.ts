// The signed MassiveMusic API client: one generic call() driven by the shared operation table,
// a typed function per operation, signed media URLs, and the OAuth token flow.
//
// Placement (notes §1.1): GET/DELETE carry every parameter, oauth_* included, in the query.
// POST/PUT carry an `Authorization: OAuth …` header; only userId, country, shopId and
// onBehalfOfPartnerId may stay in their query, every other parameter goes in the body.
// Form bodies are part of the signature, JSON bodies are not (RFC 5849 §3.4.1.3.1).
// Retries: only idempotent reads (GET/HEAD), never a sale, refund, log batch or any POST.
import type { OperationId } from '../../../shared/api/operations.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import { createLogger, type Logger } from '../logger.js';
import { formatPairs, type OAuthToken, type ParamPair, type Signer } from './oauth.js';
import type { OperationArgs, OperationResult } from './operation-types.js';
import {
  defaultMaxResponseBytes,
  errorFromFailedResponse,
  errorFromResponse,
  parseSuccessBody,
  readBodyLimited,
} from './response.js';
import {
  expectedBody,
  isStreamingOp,
  prepareRequest,
  type CallOptions,
  type HttpMethod,
  type Prepared,
} from './prepare-request.js';
import { defaultRetryPolicy, nextRetryDelay, retryAfterOf, sleep, type RetryPolicy } from './retry.js';
import { parseTokenBody, type TokenResponse } from './token-response.js';
import { createTypedOperations } from './typed-operations.js';

export {
  operationSpecs,
  postQueryWhitelist,
  type CallOptions,
  type HttpMethod,
  type OperationSpec,
  type QueryValue,
} from './prepare-request.js';
export type { TokenResponse } from './token-response.js';

export type ApiClientOptions = {
  baseUrl: string;
  signer: Signer;
  /** The signed-in listener's access token, if any (from the vault). */
  getUserToken?: () => OAuthToken | null | undefined | Promise<OAuthToken | null | undefined>;
  fetchImpl?: typeof fetch;
  /** Per attempt, headers and body included. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  maxResponseBytes?: number;
  /** Where the listener authorises a request token; default `${baseUrl}/oauth/authorise`. */
  authoriseBaseUrl?: string;
  userAgent?: string;
  logger?: Logger;
  random?: () => number;
};

export type ParsedResponse = { status: number; headers: Headers; text: string; body: unknown };

const idempotent = new Set(['GET', 'HEAD']);
/** OAuth timestamps are checked within ±300 s; a clock this far off is worth correcting. */
const maxClockSkewMs = 60_000;
const retryableStatus = new Set([408, 429, 500, 502, 503, 504]);

export function createApiClient(options: ApiClientOptions) {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const signer = options.signer;
  const fetchImpl = options.fetchImpl ?? fetch;
  const defaultTimeoutMs = options.timeoutMs ?? 15_000;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const log = options.logger ?? createLogger('api');
  const random = options.random ?? Math.random;
  const userAgent = options.userAgent ?? 'Septet/0.1';
  /** Service clock minus ours, learnt from the Date header of a rejected signature. */
  let clockSkewMs = 0;
  const skewHints = new WeakMap<AppError, number>();

  const prepare = (operationId: string, call: CallOptions): Promise<Prepared> =>
    prepareRequest(operationId, call, { baseUrl, getUserToken: options.getUserToken });

  /** Signs one attempt (a fresh nonce and timestamp each time: the service rejects replays). */
  async function signAttempt(
    prepared: Prepared,
    signal: AbortSignal | undefined,
  ): Promise<{ url: string; init: RequestInit }> {
    const signed = await signer.sign(
      {
        method: prepared.method,
        url: prepared.url,
        bodyParams: prepared.bodyPairs ?? [],
        token: prepared.token,
        ...(clockSkewMs === 0 ? {} : { timestamp: Math.floor((Date.now() + clockSkewMs) / 1000) }),
      },
      signal,
    );
    const headers: Record<string, string> = {
      accept: prepared.accept,
      'user-agent': userAgent,
      ...prepared.headers,
    };
    let url = prepared.url;
    let body: string | undefined;
    if (prepared.method === 'GET' || prepared.method === 'DELETE') {
      url += (url.includes('?') ? '&' : '?') + formatPairs(signed.oauthParams);
    } else {
      headers.authorization = signed.authorization;
      if (prepared.bodyPairs) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = formatPairs(prepared.bodyPairs);
      } else if (prepared.jsonBody !== null) {
        headers['content-type'] = 'application/json';
        body = prepared.jsonBody;
      }
    }
    return { url, init: { method: prepared.method, headers, ...(body === undefined ? {} : { body }) } };
  }

  type Attempt<T> = (response: Response, signal: AbortSignal) => Promise<T>;

  /**
   * Runs a request with a timeout per attempt and retries for idempotent reads. `consume` reads
   * the response while the attempt's timeout still applies; it throws AppError for failures.
   */
  async function execute<T>(
    operationId: string,
    prepared: Prepared,
    call: CallOptions,
    consume: Attempt<T>,
  ): Promise<T> {
    const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
    const retries = idempotent.has(prepared.method) && prepared.retry !== false ? policy.retries : 0;
    let skewCorrected = false;
    for (let attempt = 0; ; attempt++) {
      if (call.signal?.aborted)
        throw new AppError({ code: 'cancelled', message: `${operationId} cancelled` });
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const onCallerAbort = (): void => controller.abort();
      call.signal?.addEventListener('abort', onCallerAbort, { once: true });
      let failure: AppError;
      try {
        const { url, init } = await signAttempt(prepared, controller.signal);
        const started = Date.now();
        const response = await fetchImpl(url, { ...init, signal: controller.signal });
        log.debug('response', {
          operationId,
          method: prepared.method,
          url,
          status: response.status,
          ms: Date.now() - started,
          attempt,
        });
        return await consume(response, controller.signal);
      } catch (error) {
        failure = classify(error, operationId, call.signal, controller.signal, timeoutMs);
      } finally {
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onCallerAbort);
      }
      const skew = skewHints.get(failure);
      if (skew !== undefined && !skewCorrected) {
        // The service refused our signature and its clock is far from ours: sign with its time
        // and try once more. Safe for any method: an OAuth rejection means nothing was done.
        skewCorrected = true;
        clockSkewMs = skew;
        attempt--;
        log.warn('clock skew: signing with the service clock', { operationId, skewMs: skew });
        continue;
      }
      const retryable = failure.code !== 'cancelled' && isRetryable(failure);
      if (!retryable || attempt >= retries) {
        log.debug('request failed', { operationId, code: failure.code, status: failure.status, attempt });
        throw failure;
      }
      const serverDelay = retryAfterOf(failure);
      if (serverDelay !== undefined && serverDelay > policy.maxWaitMs) throw failure;
      const delay = nextRetryDelay(attempt, policy, serverDelay, random);
      log.info('retrying read', {
        operationId,
        code: failure.code,
        status: failure.status,
        attempt: attempt + 1,
        delayMs: delay,
      });
      await sleep(delay, call.signal);
    }
  }

  function isRetryable(error: AppError): boolean {
    if (error.code === 'network' || error.code === 'timeout') return true;
    if (error.code === 'malformed_response' && /cut off/.test(error.message)) return true;
    return error.status !== undefined && retryableStatus.has(error.status) && error.code !== 'unauthorized';
  }

  function classify(
    error: unknown,
    operationId: string,
    callerSignal: AbortSignal | undefined,
    attemptSignal: AbortSignal,
    timeoutMs: number,
  ): AppError {
    if (callerSignal?.aborted)
      return new AppError({ code: 'cancelled', message: `${operationId} cancelled` }, { cause: error });
    if (isAppError(error)) {
      if (attemptSignal.aborted && error.code === 'malformed_response') {
        return new AppError(
          { code: 'timeout', message: `${operationId} timed out after ${timeoutMs} ms` },
          { cause: error },
        );
      }
      return error;
    }
    if (attemptSignal.aborted)
      return new AppError(
        { code: 'timeout', message: `${operationId} timed out after ${timeoutMs} ms` },
        { cause: error },
      );
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    return new AppError(
      { code: 'network', message: `${operationId}: network error (${detail})` },
      { cause: error },
    );
  }

  async function failFromResponse(response: Response, signal: AbortSignal): Promise<never> {
    const error = await errorFromFailedResponse(response, { signal });
    if (error.code === 'unauthorized') {
      const serverTime = Date.parse(response.headers.get('date') ?? '');
      const skew = Number.isNaN(serverTime) ? 0 : serverTime - Date.now();
      if (Math.abs(skew - clockSkewMs) > maxClockSkewMs) skewHints.set(error, skew);
    }
    throw error;
  }

  /** Calls any operation by id and returns its parsed body (Response for audio/zip bodies). */
  async function call(operationId: string, callOptions: CallOptions = {}): Promise<unknown> {
    const prepared = await prepare(operationId, callOptions);
    if (isStreamingOp(prepared.op)) return fetchPrepared(operationId, prepared, callOptions);
    return (await executeParsed(operationId, prepared, callOptions)).body;
  }

  /**
   * Like call() for non-streaming operations, but also returns the status, headers and raw text
   * (the CLI prints XML as received; callers can read rate-limit headers).
   */
  async function callWithResponse(
    operationId: string,
    callOptions: CallOptions = {},
  ): Promise<ParsedResponse> {
    const prepared = await prepare(operationId, callOptions);
    if (isStreamingOp(prepared.op)) {
      throw new AppError({ code: 'invalid_input', message: `${operationId} streams media: use fetchSigned` });
    }
    return executeParsed(operationId, prepared, callOptions);
  }

  function executeParsed(
    operationId: string,
    prepared: Prepared,
    callOptions: CallOptions,
  ): Promise<ParsedResponse> {
    const expected = expectedBody(prepared.op);
    return execute(operationId, prepared, callOptions, async (response, signal) => {
      if (!response.ok) return failFromResponse(response, signal);
      const raw = await readBodyLimited(response, maxResponseBytes, signal);
      const body = parseSuccessBody(response.status, response.headers, raw, expected);
      if (expected === 'text' && typeof body === 'string' && !body.trimStart().startsWith('#EXTM3U')) {
        throw new AppError({
          code: 'malformed_response',
          status: response.status,
          message: 'Expected an HLS playlist (#EXTM3U)',
        });
      }
      return { status: response.status, headers: response.headers, text: raw.toString('utf8'), body };
    });
  }

  async function fetchPrepared(
    operationId: string,
    prepared: Prepared,
    callOptions: CallOptions,
  ): Promise<Response> {
    // The body outlives this call, so only the time to headers is bounded here; the caller's
    // signal still aborts the stream.
    return execute(operationId, prepared, callOptions, async (response, signal) => {
      if (!response.ok) return failFromResponse(response, signal);
      const type = response.headers.get('content-type') ?? '';
      if (/^(text\/plain|application\/json|application\/xml|text\/xml)/i.test(type)) {
        // Media endpoints answering text are errors in disguise (e.g. OAuth error with 200).
        const body = await readBodyLimited(response, 64 * 1024, signal);
        throw errorFromResponse(response.status, response.headers, body);
      }
      return response;
    });
  }

  /**
   * Signed request returning the raw Response (status 2xx checked, errors thrown as AppError)
   * for streaming bodies: media, downloads, HLS. Set `range` for partial content.
   */
  async function fetchSigned(
    operationId: string,
    callOptions: CallOptions & { range?: string } = {},
  ): Promise<Response> {
    const prepared = await prepare(operationId, callOptions);
    if (callOptions.range) prepared.headers = { range: callOptions.range };
    return fetchPrepared(operationId, prepared, callOptions);
  }

  /** A fully signed GET URL (oauth_* in the query) for media a player or gateway fetches itself. */
  async function signedUrl(
    operationId: string,
    callOptions: Omit<CallOptions, 'body' | 'timeoutMs'> = {},
  ): Promise<string> {
    const prepared = await prepare(operationId, callOptions);
    if (prepared.method !== 'GET')
      throw new AppError({ code: 'invalid_input', message: `${operationId} is not a GET operation` });
    const { url } = await signAttempt(prepared, callOptions.signal);
    return url;
  }

  // ---- OAuth token flow (notes §1.3) ----

  async function tokenRequest(
    path: string,
    method: HttpMethod,
    token: OAuthToken | null,
    oauthParams: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<TokenResponse> {
    const url = `${baseUrl}${path}`;
    const timeoutMs = defaultTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const timestamp = clockSkewMs === 0 ? {} : { timestamp: Math.floor((Date.now() + clockSkewMs) / 1000) };
      const signed = await signer.sign({ method, url, token, oauthParams, ...timestamp }, controller.signal);
      const response = await fetchImpl(url, {
        method,
        headers: {
          authorization: signed.authorization,
          accept: 'application/x-www-form-urlencoded, application/xml;q=0.9, application/json;q=0.8',
          'user-agent': userAgent,
        },
        signal: controller.signal,
      });
      if (!response.ok) return await failFromResponse(response, controller.signal);
      const body = await readBodyLimited(response, 64 * 1024, controller.signal);
      return parseTokenBody(response, body);
    } catch (error) {
      throw classify(error, path, signal, controller.signal, timeoutMs);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Step 1: a request token, signed with the consumer only. */
  function requestToken(args: { callback?: string; signal?: AbortSignal } = {}): Promise<TokenResponse> {
    return tokenRequest(
      '/oauth/requesttoken',
      'POST',
      null,
      args.callback ? { oauth_callback: args.callback } : {},
      args.signal,
    );
  }

  /** Step 2a: the page where the listener authorises the request token in a browser. */
  function authoriseUrl(token: string | OAuthToken, callback?: string): string {
    const base = options.authoriseBaseUrl ?? `${baseUrl}/oauth/authorise`;
    const pairs: ParamPair[] = [['oauth_token', typeof token === 'string' ? token : token.key]];
    if (callback) pairs.push(['oauth_callback', callback]);
    return `${base}${base.includes('?') ? '&' : '?'}${formatPairs(pairs)}`;
  }

  /** Step 2b: the username/password exchange for partner keys with user-management access. */
  async function authoriseWithPassword(args: {
    requestToken: string | OAuthToken;
    username: string;
    password: string;
    signal?: AbortSignal;
  }): Promise<{ userId?: string }> {
    const token = typeof args.requestToken === 'string' ? args.requestToken : args.requestToken.key;
    const query = formatPairs([
      ['username', args.username],
      ['password', args.password],
      ['token', token],
    ]);
    const prepared: Prepared = {
      op: {
        operationId: 'authoriseRequestToken',
        method: 'GET',
        path: '/oauth/requestToken/authorise',
        auth: 'twoLegged',
        query: [],
        body: null,
        okContent: [],
      },
      method: 'GET',
      url: `${baseUrl}/oauth/requestToken/authorise?${query}`,
      queryPairs: [],
      bodyPairs: null,
      jsonBody: null,
      token: null,
      accept: 'application/json',
      retry: false,
    };
    return execute(
      'authoriseRequestToken',
      prepared,
      { ...(args.signal ? { signal: args.signal } : {}) },
      async (response, signal) => {
        if (!response.ok) return failFromResponse(response, signal);
        const body = await readBodyLimited(response, 64 * 1024, signal);
        const text = body.toString('utf8');
        const type = response.headers.get('content-type') ?? '';
        let userId: unknown;
        if (/xml/i.test(type) || /^\s*</.test(text)) {
          const doc = parseSuccessBody(response.status, response.headers, body, 'xml') as Record<
            string,
            unknown
          >;
          const root = (doc.response ?? {}) as Record<string, unknown>;
          userId = ((root.oauth_request_token ?? root) as Record<string, unknown>).userId;
        } else {
          const value = parseSuccessBody(response.status, response.headers, body, 'none') as
            Record<string, unknown> | undefined;
          userId = value?.userId;
        }
        return typeof userId === 'string' ? { userId } : {};
      },
    );
  }

  /** Step 3: exchange the authorised request token (and verifier) for an access token. */
  function accessToken(args: {
    requestToken: OAuthToken;
    verifier?: string;
    signal?: AbortSignal;
  }): Promise<TokenResponse> {
    return tokenRequest(
      '/oauth/accesstoken',
      'POST',
      args.requestToken,
      args.verifier ? { oauth_verifier: args.verifier } : {},
      args.signal,
    );
  }

  // ---- typed functions ----
  const { typedCall, ops, playlistExtensions } = createTypedOperations(call);

  return {
    baseUrl,
    signer,
    /** Current correction applied to oauth_timestamp (service clock minus local clock), ms. */
    clockSkewMs: (): number => clockSkewMs,
    call,
    callWithResponse,
    callTyped: <K extends OperationId>(operationId: K, args: OperationArgs<K>): Promise<OperationResult<K>> =>
      typedCall(operationId, args as Record<string, unknown>) as Promise<OperationResult<K>>,
    fetchSigned,
    signedUrl,
    requestToken,
    authoriseUrl,
    authoriseWithPassword,
    accessToken,
    ...ops,
    ...playlistExtensions,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
