import { describe, expect, it } from 'vitest';
import { AppError, appCodeForServiceCode, assertNever } from './errors.js';

describe('AppError', () => {
  it('maps the service codes a listener can meet to app codes', () => {
    expect(appCodeForServiceCode(1001)).toBe('invalid_input');
    expect(appCodeForServiceCode(1003)).toBe('limit_reached');
    expect(appCodeForServiceCode(2001)).toBe('not_found');
    expect(appCodeForServiceCode(2002)).toBe('not_available');
    expect(appCodeForServiceCode(3201)).toBe('concurrent_stream');
    expect(appCodeForServiceCode(7001)).toBe('service_error');
  });

  it('crosses IPC as plain data carrying the service code and status', () => {
    const error = new AppError({
      code: 'not_found',
      message: 'Track not found',
      serviceCode: 2001,
      status: 404,
    });
    expect(JSON.parse(JSON.stringify(error.toData()))).toEqual({
      code: 'not_found',
      message: 'Track not found',
      serviceCode: 2001,
      status: 404,
    });
  });

  it('assertNever throws an internal error', () => {
    expect(() => assertNever('x' as never)).toThrowError(AppError);
  });
});
