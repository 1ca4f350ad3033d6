import { describe, expect, it } from 'vitest';
import {
  fullJitterDelay,
  nextRetryDelay,
  parseRateLimitReset,
  parseRetryAfter,
  serverRetryDelay,
  sleep,
} from './retry.js';

const now = Date.parse('2026-11-27T04:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP-date (IMF-fixdate and obsolete forms)', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 04:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Friday, 27-Nov-26 04:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 03:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('parseRateLimitReset', () => {
  it('reads seconds until reset (7digital) and Unix timestamps', () => {
    expect(parseRateLimitReset('46968', now)).toBe(46_968_000);
    expect(parseRateLimitReset(String(now / 1000 + 30), now)).toBe(30_000);
    expect(parseRateLimitReset('x', now)).toBeUndefined();
  });
});

describe('serverRetryDelay', () => {
  it('prefers Retry-After; uses X-RateLimit-Reset only on 429', () => {
    expect(serverRetryDelay(new Headers({ 'retry-after': '5', 'x-ratelimit-reset': '100' }), 429, now)).toBe(
      5_000,
    );
    expect(serverRetryDelay(new Headers({ 'x-ratelimit-reset': '100' }), 429, now)).toBe(100_000);
    expect(serverRetryDelay(new Headers({ 'x-ratelimit-reset': '100' }), 200, now)).toBeUndefined();
    expect(serverRetryDelay({ 'Retry-After': '2' }, 503, now)).toBe(2_000);
  });
});

describe('full-jitter backoff', () => {
  it('stays within [0, min(cap, base·2^attempt))', () => {
    const options = { baseMs: 1000, capMs: 300_000 };
    expect(fullJitterDelay(0, options, () => 0.999)).toBe(999);
    expect(fullJitterDelay(3, options, () => 0.5)).toBe(4000);
    expect(fullJitterDelay(30, options, () => 0.999)).toBe(299_700);
    expect(fullJitterDelay(5, options, () => 0)).toBe(0);
  });
  it('never waits less than the server asked', () => {
    expect(nextRetryDelay(0, { baseMs: 1000, capMs: 300_000 }, 7000, () => 0.5)).toBe(7000);
    expect(nextRetryDelay(4, { baseMs: 1000, capMs: 300_000 }, 100, () => 0.5)).toBe(8000);
  });
  it('sleep is cancellable', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
  });
});
