// Turns what the service answered into a value or one AppError. Nothing here trusts the body:
// a malformed, truncated or oversized answer becomes AppError('malformed_response').
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError, appCodeForServiceCode, type AppErrorCode } from '../../../shared/errors.js';
import { oauthErrorPrefix } from '../../../shared/service-errors.js';
import { attachRetryAfter, serverRetryDelay } from './retry.js';

export const defaultMaxResponseBytes = 16 * 1024 * 1024;

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
  try {
    for (;;) {
      const { done, value } = await reader.read();
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
    if (signal?.aborted) throw error;
    throw new AppError(
      { code: 'malformed_response', status: response.status, message: 'Response was cut off before its end' },
      { cause: error },
    );
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

function codeForStatus(status: number): AppErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  return 'service_error';
}

/** `OAuth authentication error: …` (plain text, usually 401, sometimes 200) → AppError. */
export function oauthErrorFrom(text: string, status: number): AppError | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith(oauthErrorPrefix.trim())) return null;
  const code: AppErrorCode = /access to resource denied/i.test(trimmed) ? 'forbidden' : 'unauthorized';
  return new AppError({ code, status, message: snippet(trimmed) });
}

type Envelope = { code: number; message: string };

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
  return { code, message: typeof message === 'string' ? message : `Service error ${code}` };
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

export function appErrorFromEnvelope(envelope: Envelope, status: number): AppError {
  const code = status === 429 ? 'rate_limited' : appCodeForServiceCode(envelope.code);
  return new AppError({ code, serviceCode: envelope.code, status, message: envelope.message });
}

function isJsonType(contentType: string): boolean {
  return /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
}

function isXmlType(contentType: string): boolean {
  return /^(application|text)\/([\w.+-]*\+)?xml\b/i.test(contentType.trim());
}

/** The error a non-2xx (or disguised 200) response stands for. Never throws itself. */
export function errorFromResponse(status: number, headers: Headers, body: Buffer): AppError {
  const text = body.toString('utf8');
  const delay = serverRetryDelay(headers, status);
  const oauth = oauthErrorFrom(text, status);
  if (oauth) return attachRetryAfter(oauth, delay);
  const contentType = headers.get('content-type') ?? '';
  let envelope: Envelope | null = null;
  try {
    if (isJsonType(contentType) || /^\s*\{/.test(text)) envelope = envelopeFromJson(JSON.parse(text));
    else if (isXmlType(contentType) || /^\s*</.test(text)) envelope = envelopeFromXml(parseXml(text, status));
  } catch {
    envelope = null;
  }
  if (envelope) return attachRetryAfter(appErrorFromEnvelope(envelope, status), delay);
  const message = text.trim() ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status} with an empty body`;
  return attachRetryAfter(new AppError({ code: codeForStatus(status), status, message }), delay);
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
