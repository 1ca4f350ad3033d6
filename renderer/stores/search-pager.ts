// Debounced, paged search for one result list. The first keystroke after a pause fetches at
// once (leading edge); keystrokes that follow within debounceMs of each other wait for the
// typing to pause (trailing edge), so the last query is fetched debounceMs after its keystroke.
// Stale responses (an older query, or a page that arrives after the query changed) are dropped
// by a generation counter, and the superseded request's AbortSignal is aborted.
export type PageResult<T> = { items: T[]; totalItems: number };
export type PagerState<T> = {
  query: string;
  items: T[];
  totalItems: number;
  page: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: { code: string; message: string } | null;
};

export type PagerTimers = {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

export type SearchPager<T> = {
  setQuery(query: string): void;
  loadMore(): void;
  retry(): void;
  getState(): PagerState<T>;
  dispose(): void;
};

export function initialPagerState<T>(): PagerState<T> {
  return { query: '', items: [], totalItems: 0, page: 0, status: 'idle', error: null };
}

function errorData(err: unknown): { code: string; message: string } {
  if (err && typeof err === 'object' && 'message' in err) {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : 'internal';
    return { code, message: String(err.message) };
  }
  return { code: 'internal', message: String(err) };
}

/** Tells a keystroke that follows another within `quietMs` (still typing) from the first after a pause. */
function createTypingClock(timers: PagerTimers, quietMs: number): { keystroke(): boolean; dispose(): void } {
  let quietTimer: unknown = null;
  return {
    /** Records a keystroke; true when the previous one came less than quietMs ago. */
    keystroke() {
      const typing = quietTimer !== null;
      if (quietTimer !== null) timers.clearTimeout(quietTimer);
      quietTimer = timers.setTimeout(() => {
        quietTimer = null;
      }, quietMs);
      return typing;
    },
    dispose() {
      if (quietTimer !== null) timers.clearTimeout(quietTimer);
      quietTimer = null;
    },
  };
}

// One closure on purpose (over 80 lines): setQuery, loadMore, retry and the fetch in flight share
// the generation counter, the debounce timer and the abort controller, and the order of their
// steps is what keeps stale pages out; split apart, that order would be spread over several places.
export function createSearchPager<T>(options: {
  fetchPage: (query: string, page: number, pageSize: number, signal: AbortSignal) => Promise<PageResult<T>>;
  onChange: (state: PagerState<T>) => void;
  debounceMs?: number;
  pageSize?: number;
  minLength?: number;
  timers?: PagerTimers;
}): SearchPager<T> {
  const debounceMs = options.debounceMs ?? 60;
  const pageSize = options.pageSize ?? 50;
  const minLength = options.minLength ?? 1;
  const timers: PagerTimers = options.timers ?? {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  let state: PagerState<T> = initialPagerState<T>();
  let generation = 0;
  let timer: unknown = null;
  let inFlight = false;
  let controller: AbortController | null = null;
  const typingClock = createTypingClock(timers, debounceMs);

  const abortInFlight = () => {
    controller?.abort();
    controller = null;
  };

  const update = (patch: Partial<PagerState<T>>) => {
    state = { ...state, ...patch };
    options.onChange(state);
  };

  const fetchPage = (page: number) => {
    const gen = generation;
    const query = state.query;
    inFlight = true;
    const own = new AbortController();
    controller = own;
    update({ status: 'loading', error: null });
    options.fetchPage(query, page, pageSize, own.signal).then(
      (result) => {
        if (gen !== generation) return;
        inFlight = false;
        controller = null;
        const items = page === 1 ? result.items : [...state.items, ...result.items];
        update({ items, totalItems: result.totalItems, page, status: 'ready' });
      },
      (err: unknown) => {
        if (gen !== generation) return;
        inFlight = false;
        controller = null;
        update({ status: 'error', error: errorData(err) });
      },
    );
  };

  return {
    setQuery(query) {
      const trimmed = query.trim();
      if (trimmed === state.query && state.status !== 'error') return;
      generation += 1;
      inFlight = false;
      abortInFlight();
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      const typing = typingClock.keystroke();
      if (trimmed.length < minLength) {
        update({ ...initialPagerState<T>(), query: trimmed });
        return;
      }
      update({ query: trimmed, items: [], totalItems: 0, page: 0, status: 'loading', error: null });
      if (!typing) {
        fetchPage(1);
        return;
      }
      timer = timers.setTimeout(() => {
        timer = null;
        fetchPage(1);
      }, debounceMs);
    },
    loadMore() {
      if (inFlight || timer !== null || state.status !== 'ready') return;
      if (state.items.length >= state.totalItems) return;
      fetchPage(state.page + 1);
    },
    retry() {
      if (state.status !== 'error') return;
      fetchPage(state.page + 1);
    },
    getState: () => state,
    dispose() {
      generation += 1;
      abortInFlight();
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      typingClock.dispose();
    },
  };
}
