import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSearchPager, type PagerState } from './search-pager.js';

type Call = {
  query: string;
  page: number;
  signal: AbortSignal;
  resolve: (total: number) => void;
  reject: (err: Error) => void;
};

function setup() {
  const calls: Call[] = [];
  const states: PagerState<string>[] = [];
  const pager = createSearchPager<string>({
    pageSize: 2,
    fetchPage: (query, page, pageSize, signal) =>
      new Promise((resolve, reject) => {
        calls.push({
          query,
          page,
          signal,
          resolve: (totalItems) =>
            resolve({
              items: Array.from({ length: pageSize }, (_, i) => `${query}-${(page - 1) * pageSize + i}`),
              totalItems,
            }),
          reject,
        });
      }),
    onChange: (s) => states.push(s),
  });
  return { pager, calls, states };
}

describe('debounced search paging', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fetches the first keystroke after a pause at once', () => {
    const { pager, calls } = setup();
    pager.setQuery('b');
    expect(calls.map((c) => c.query)).toEqual(['b']);
    expect(pager.getState().status).toBe('loading');
  });

  it('while typing, waits for a 60 ms pause, then fetches only the last query and cancels the stale one', async () => {
    const { pager, calls } = setup();
    pager.setQuery('b');
    await vi.advanceTimersByTimeAsync(30);
    pager.setQuery('be');
    await vi.advanceTimersByTimeAsync(30);
    pager.setQuery('bea');
    expect(calls.map((c) => c.query)).toEqual(['b']);
    expect(calls[0]!.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(59);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.query)).toEqual(['b', 'bea']);
    expect(calls[1]!.signal.aborted).toBe(false);
    calls[0]!.resolve(9);
    calls[1]!.resolve(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(pager.getState()).toMatchObject({
      status: 'ready',
      query: 'bea',
      items: ['bea-0', 'bea-1'],
      totalItems: 5,
      page: 1,
    });
  });

  it('loads the next pages as the list scrolls, one request at a time, until all are loaded', async () => {
    const { pager, calls } = setup();
    pager.setQuery('x');
    calls[0]!.resolve(4);
    await vi.advanceTimersByTimeAsync(0);
    pager.loadMore();
    pager.loadMore();
    expect(calls.map((c) => c.page)).toEqual([1, 2]);
    calls[1]!.resolve(4);
    await vi.advanceTimersByTimeAsync(0);
    expect(pager.getState().items).toEqual(['x-0', 'x-1', 'x-2', 'x-3']);
    pager.loadMore();
    expect(calls).toHaveLength(2);
  });

  it('drops a response that arrives after the query changed', async () => {
    const { pager, calls } = setup();
    pager.setQuery('old');
    await vi.advanceTimersByTimeAsync(100);
    pager.setQuery('new');
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.map((c) => c.query)).toEqual(['old', 'new']);
    calls[1]!.resolve(2);
    calls[0]!.resolve(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(pager.getState().items).toEqual(['new-0', 'new-1']);
  });

  it('keeps loaded items on a failed page and retries that page', async () => {
    const { pager, calls } = setup();
    pager.setQuery('q');
    calls[0]!.resolve(6);
    await vi.advanceTimersByTimeAsync(0);
    pager.loadMore();
    calls[1]!.reject(Object.assign(new Error('Service unavailable'), { code: 'service_error' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(pager.getState()).toMatchObject({
      status: 'error',
      items: ['q-0', 'q-1'],
      error: { code: 'service_error', message: 'Service unavailable' },
    });
    pager.retry();
    expect(calls[2]).toMatchObject({ query: 'q', page: 2 });
  });

  it('clears the results for an empty query without fetching', async () => {
    const { pager, calls } = setup();
    pager.setQuery('   ');
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(0);
    expect(pager.getState().status).toBe('idle');
  });
});
