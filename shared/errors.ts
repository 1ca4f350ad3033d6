// One error type for the whole app. It crosses IPC as plain { code, message } data.

export const appErrorCodes = [
  'invalid_input', // the caller sent something malformed (renderer, CLI, file)
  'unauthorized', // OAuth failure or signed-out: the listener must sign in again
  'forbidden', // the key or user lacks the permission
  'not_found', // service code 2001
  'not_available', // service code 2002 (no subscription, not in country, not owned)
  'already_exists', // service code 2003
  'limit_reached', // service code 1003
  'concurrent_stream', // service code 3201: another device took over the stream
  'rate_limited', // HTTP 429
  'service_error', // any other service error envelope
  'malformed_response', // the service answered something we cannot parse
  'network', // connection refused, reset, DNS
  'timeout',
  'offline', // no connectivity and the thing is not cached
  'vault_unavailable', // no keychain: secrets cannot be persisted
  'disk_full', // ENOSPC
  'integrity', // checksum / GCM tag failure
  'cancelled',
  'internal',
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];

export type AppErrorData = {
  code: AppErrorCode;
  message: string;
  /** MassiveMusic service error code (1001, 2001, 3201, …) when the service sent one. */
  serviceCode?: number;
  /** HTTP status of the upstream response, when there was one. */
  status?: number;
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly serviceCode?: number;
  readonly status?: number;

  constructor(data: AppErrorData, options?: { cause?: unknown }) {
    super(data.message, options);
    this.name = 'AppError';
    this.code = data.code;
    if (data.serviceCode !== undefined) this.serviceCode = data.serviceCode;
    if (data.status !== undefined) this.status = data.status;
  }

  toData(): AppErrorData {
    const data: AppErrorData = { code: this.code, message: this.message };
    if (this.serviceCode !== undefined) data.serviceCode = this.serviceCode;
    if (this.status !== undefined) data.status = this.status;
    return data;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Maps a MassiveMusic service error code to the app's code union. */
export function appCodeForServiceCode(serviceCode: number): AppErrorCode {
  if (serviceCode === 1003) return 'limit_reached';
  if (serviceCode >= 1000 && serviceCode < 2000) return 'invalid_input';
  if (serviceCode === 2001) return 'not_found';
  if (serviceCode === 2002) return 'not_available';
  if (serviceCode === 2003) return 'already_exists';
  if (serviceCode === 3201) return 'concurrent_stream';
  return 'service_error';
}

export function assertNever(value: never, what = 'value'): never {
  throw new AppError({ code: 'internal', message: `Unexpected ${what}: ${JSON.stringify(value)}` });
}
