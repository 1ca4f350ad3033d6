// A loaded-on-demand value with its loading/error state, shared by the page stores.
export type Resource<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; message: string; code: string };

export const idle: Resource<never> = { status: 'idle' };
export const loading: Resource<never> = { status: 'loading' };

export function failed(err: unknown): Resource<never> {
  if (err && typeof err === 'object' && 'message' in err) {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : 'internal';
    return { status: 'error', message: String(err.message), code };
  }
  return { status: 'error', message: String(err), code: 'internal' };
}

export function dataOf<T>(r: Resource<T>): T | undefined {
  return r.status === 'ready' ? r.data : undefined;
}
