import { describe, expect, it } from 'vitest';
import { contentDisposition, parseRange } from './serve.js';

describe('parseRange', () => {
  it('reads first-last, open-ended and suffix ranges, clamped to the file', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
  });

  it('marks ranges that cannot be served (→ 416)', () => {
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=50-10', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=abc', 1000)).toBe('unsatisfiable');
  });

  it('ignores absent, multi-range and non-byte headers (whole file, 200)', () => {
    expect(parseRange(undefined, 1000)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(parseRange('items=0-1', 1000)).toBeNull();
  });
});

describe('contentDisposition', () => {
  it('quotes plain names and adds an RFC 5987 form for non-ASCII ones', () => {
    expect(contentDisposition('123.zip')).toBe('attachment; filename="123.zip"');
    expect(contentDisposition('Café.mp3')).toBe(
      `attachment; filename="Caf_.mp3"; filename*=UTF-8''Caf%C3%A9.mp3`,
    );
  });
});
