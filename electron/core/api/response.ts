// The one HTTP→error path of the core: turns what the service answered (or a fetch that got no
// answer) into a value or one AppError, for the API client, the media gateway, the offline
// cache, downloads, radio and the play log alike. Nothing here trusts the body: a malformed,
// truncated or oversized answer becomes AppError('malformed_response').
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError, appCodeForServiceCode, isAppError, type AppErrorCode } from '../../../shared/errors.js';
import { oauthErrorPrefix } from '../../../shared/service-errors.js';
import { attachRetryAfter, parseRateLimitReset, parseRetryAfter, serverRetryDelay } from './retry.js';

export const defaultMaxResponseBytes = 16 * 1024 * 1024;
/** An error body is read this far (a 1008 batch lists an error per rejected item). */
export const maxErrorBodyBytes = 1024 * 1024;

/** Reads a body up to maxBytes. Oversized → malformed_response; cut off mid-body → malformed_response. */
export async function readBodyLimited(
  response: Response,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new AppError({
      code: 'malformed_response',
      status: response.status,
      message: `Response of ${declared} bytes exceeds the ${maxBytes}-byte limit`,
    });
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const abort = abortion(signal);
  try {
    for (;;) {
      // Raced with the signal: undici leaves a read of some cut-off bodies (a 421 dropped
      // mid-body) pending after the request is aborted, which would hang the caller for good.
      const { done, value } = await (abort ? Promise.race([reader.read(), abort.promise]) : reader.read());
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new AppError({
          code: 'malformed_response',
          status: response.status,
          message: `Response exceeds the ${maxBytes}-byte limit`,
        });
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (signal?.aborted) {
      void reader.cancel().catch(() => undefined);
      throw error;
    }
    throw new AppError(
      { code: 'malformed_response', status: response.status, message: 'Response was cut off before its end' },
      { cause: error },
    );
  } finally {
    abort?.dispose();
  }
  if (Number.isFinite(declared) && size < declared) {
    throw new AppError({
      code: 'malformed_response',
      status: response.status,
      message: `Response was cut off: ${size} of ${declared} bytes`,
    });
  }
  return Buffer.concat(chunks);
}

/** A promise rejected with the signal's reason once it aborts (none without a signal). */
function abortion(signal: AbortSignal | undefined): { promise: Promise<never>; dispose(): void } | null {
  if (!signal) return null;
  let onAbort = (): void => undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

/** Parses XML strictly (validated first: fast-xml-parser alone accepts broken documents). */
export function parseXml(text: string, status?: number): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new AppError({
      code: 'malformed_response',
      status,
      message: `Malformed XML: ${valid.err.msg} (line ${valid.err.line})`,
    });
  }
  const parsed = xmlParser.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object')
    throw new AppError({ code: 'malformed_response', status, message: 'Empty XML document' });
  return parsed as Record<string, unknown>;
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

/** The code of an error response without a service envelope. */
function codeForStatus(status: number): AppErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  // Any other 4xx (a 416 Range among them): the request was wrong, not the service.
  if (status >= 400 && status < 500) return 'invalid_input';
  return 'service_error';
}

/** `OAuth authentication error: …` (plain text, usually 401, sometimes 200) → AppError. */
export function oauthErrorFrom(text: string, status: number, what?: string): AppError | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith(oauthErrorPrefix.trim())) return null;
  const code: AppErrorCode = /access to resource denied/i.test(trimmed) ? 'forbidden' : 'unauthorized';
  return new AppError({ code, status, message: withWhat(what, snippet(trimmed)) });
}

/** One rejected item of a batch (1008), as far as the service described it. */
export type ItemError = { index: number; code?: number; message?: string };

type Envelope = { code: number; message: string; errors?: ItemError[] };

function envelopeFromJson(value: unknown): Envelope | null {
  if (!value || typeof value !== 'object') return null;
  const error = (value as { error?: unknown }).error;
  const status = (value as { status?: unknown }).status;
  if (!error || typeof error !== 'object') return null;
  if (status !== undefined && status !== 'error') return null;
  const code = Number((error as { code?: unknown }).code);
  const message =
    (error as { message?: unknown; errorMessage?: unknown }).message ??
    (error as { errorMessage?: unknown }).errorMessage;
  if (!Number.isFinite(code)) return null;
  const envelope: Envelope = {
    code,
    message: typeof message === 'string' ? message : `Service error ${code}`,
  };
  const items = itemErrorsOf((error as { errors?: unknown }).errors);
  if (items) envelope.errors = items;
  return envelope;
}

/** The per-item errors of a batch the service rejected in part (1008). */
function itemErrorsOf(errors: unknown): ItemError[] | undefined {
  if (!Array.isArray(errors)) return undefined;
  return errors
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      index: Number(e.index),
      ...(typeof e.code === 'number' ? { code: e.code } : {}),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
    }));
}

function envelopeFromXml(doc: Record<string, unknown>): Envelope | null {
  const response = doc.response as Record<string, unknown> | undefined;
  if (!response || response['@_status'] !== 'error') return null;
  const error = response.error as Record<string, unknown> | undefined;
  const code = Number(error?.['@_code']);
  const message = error?.errorMessage;
  return {
    code: Number.isFinite(code) ? code : 9001,
    message: typeof message === 'string' ? message : 'Service error',
  };
}

export function appErrorFromEnvelope(envelope: Envelope, status: number, what?: string): AppError {
  const code = status === 429 ? 'rate_limited' : appCodeForServiceCode(envelope.code);
  return new AppError({
    code,
    serviceCode: envelope.code,
    status,
    message: withWhat(what, envelope.message),
  });
}

function isJsonType(contentType: string): boolean {
  return /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
}

function isXmlType(contentType: string): boolean {
  return /^(application|text)\/([\w.+-]*\+)?xml\b/i.test(contentType.trim());
}

/**
 * What a failed response said beyond its error, for callers that schedule their own retries
 * (the play-log flusher): Retry-After alone (0 when absent), X-RateLimit-Reset when a 429 spent
 * the daily quota, and the per-item errors of a partly rejected batch.
 */
export type ResponseFacts = {
  retryAfterMs: number;
  rateLimitResetMs?: number;
  itemErrors?: ItemError[];
};

const responseFacts = new WeakMap<AppError, ResponseFacts>();

export function responseFactsOf(error: unknown): ResponseFacts | undefined {
  return isAppError(error) ? responseFacts.get(error) : undefined;
}

/**
 * The error a non-2xx (or disguised 200) response stands for. Never throws itself. `what` names
 * the request in the message (the media services' "stream 123: …").
 */
export function errorFromResponse(status: number, headers: Headers, body: Buffer, what?: string): AppError {
  const text = body.toString('utf8');
  const oauth = oauthErrorFrom(text, status, what);
  const envelope = oauth ? null : envelopeOf(text, headers.get('content-type') ?? '', status);
  const plain = text.trim() ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status} with an empty body`;
  const error =
    oauth ??
    (envelope
      ? appErrorFromEnvelope(envelope, status, what)
      : new AppError({ code: codeForStatus(status), status, message: withWhat(what, plain) }));
  const facts: ResponseFacts = { retryAfterMs: parseRetryAfter(headers.get('retry-after')) ?? 0 };
  const reset = status === 429 ? rateLimitResetWait(headers) : undefined;
  if (reset !== undefined) facts.rateLimitResetMs = reset;
  if (envelope?.errors) facts.itemErrors = envelope.errors;
  responseFacts.set(error, facts);
  return attachRetryAfter(error, serverRetryDelay(headers, status));
}

/** Reads a failed response's body (bounded) and returns the error it stands for. */
export async function errorFromFailedResponse(
  response: Response,
  options: { what?: string; signal?: AbortSignal } = {},
): Promise<AppError> {
  const body = await readBodyLimited(response, maxErrorBodyBytes, options.signal).catch((error: unknown) => {
    // An oversized or cut-off error body still leaves the status to go by.
    if (isAppError(error) && error.code === 'malformed_response') return Buffer.alloc(0);
    throw error;
  });
  return errorFromResponse(response.status, response.headers, body, options.what);
}

/** Turns a fetch that got no answer into an AppError (network/timeout/cancelled), keeping AppErrors. */
export function toNetworkError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError')
    return new AppError({ code: 'cancelled', message: `${what}: cancelled` }, { cause: error });
  if (name === 'TimeoutError')
    return new AppError({ code: 'timeout', message: `${what}: timed out` }, { cause: error });
  return new AppError(
    { code: 'network', message: `${what}: ${describeFetchFailure(error)}` },
    { cause: error },
  );
}

/** A failed fetch's message with its low-level cause (ECONNREFUSED, …) when it has one. */
export function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message} (${detail})` : message;
}

function envelopeOf(text: string, contentType: string, status: number): Envelope | null {
  try {
    if (isJsonType(contentType) || /^\s*\{/.test(text)) return envelopeFromJson(JSON.parse(text));
    if (isXmlType(contentType) || /^\s*</.test(text)) return envelopeFromXml(parseXml(text, status));
  } catch {
    // Not the service's envelope: the status and the text describe the answer.
  }
  return null;
}

function withWhat(what: string | undefined, message: string): string {
  return what ? `${what}: ${message}` : message;
}

/**
 * X-RateLimit-Reset counts down to the end of the daily window; on a 429 it matters only when
 * that quota is spent (X-RateLimit-Current ≥ X-RateLimit-Limit), not for a per-second limit.
 */
function rateLimitResetWait(headers: Headers): number | undefined {
  const limit = Number(headers.get('x-ratelimit-limit') ?? NaN);
  const current = Number(headers.get('x-ratelimit-current') ?? NaN);
  if (Number.isFinite(limit) && Number.isFinite(current) && current < limit) return undefined;
  return parseRateLimitReset(headers.get('x-ratelimit-reset'));
}

export type ExpectedBody = 'json' | 'xml' | 'text' | 'none';

/**
 * Interprets a 2xx body. Error envelopes and OAuth error text are errors whatever the status.
 * 'none' accepts an empty body, or returns JSON if the service sent some.
 */
export function parseSuccessBody(
  status: number,
  headers: Headers,
  body: Buffer,
  expected: ExpectedBody,
): unknown {
  const text = body.toString('utf8');
  const oauth = oauthErrorFrom(text, status);
  if (oauth) throw oauth;
  const contentType = headers.get('content-type') ?? '';

  if (expected === 'none') {
    if (text.trim() === '') return undefined;
    if (!isJsonType(contentType) && !/^\s*[{[]/.test(text)) return undefined;
    const value = parseJsonOrThrow(text, status);
    const envelope = envelopeFromJson(value);
    if (envelope) throw appErrorFromEnvelope(envelope, status);
    return value;
  }
  if (expected === 'json') {
    if (text.trim() === '')
      throw new AppError({ code: 'malformed_response', status, message: 'Expected JSON, got an empty body' });
    if (isXmlType(contentType)) {
      const envelope = envelopeFromXml(parseXml(text, status));
      if (envelope) throw appErrorFromEnvelope(envelope, status);
      throw new AppError({
        code: 'malformed_response',
        status,
        message: `Expected JSON, got ${contentType}`,
      });
    }
    const value = parseJsonOrThrow(text, status);
    const envelope = envelopeFromJson(value);
    if (envelope) throw appErrorFromEnvelope(envelope, status);
    return value;
  }
  if (expected === 'xml') {
    if (isJsonType(contentType) || /^\s*\{/.test(text)) {
      const envelope = envelopeFromJson(parseJsonOrThrow(text, status));
      if (envelope) throw appErrorFromEnvelope(envelope, status);
      throw new AppError({ code: 'malformed_response', status, message: 'Expected XML, got JSON' });
    }
    const doc = parseXml(text, status);
    const envelope = envelopeFromXml(doc);
    if (envelope) throw appErrorFromEnvelope(envelope, status);
    const response = doc.response as Record<string, unknown> | undefined;
    if (response && response['@_status'] !== 'ok') {
      throw new AppError({
        code: 'malformed_response',
        status,
        message: 'XML response is neither status="ok" nor status="error"',
      });
    }
    return doc;
  }
  return text;
}

function parseJsonOrThrow(text: string, status: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError(
      { code: 'malformed_response', status, message: `Malformed JSON: ${(error as Error).message}` },
      { cause: error },
    );
  }
}
