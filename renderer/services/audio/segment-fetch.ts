// Fetching a stream's playlist, key and segments from the media gateway, with the retries a
// listener needs on a bad network: transient failures (no answer, a timeout, 408, 429, 5xx, a
// truncated body) are retried with backoff; other statuses are final. AES-128 segments are
// decrypted with WebCrypto.
import type { MediaPlaylist, PlaylistSegment } from './media-playlist.js';
import { segmentIv } from './media-playlist.js';
import { demuxAdts } from './ts-demux.js';

export type FetchFailure = Error & { status?: number; retryable: boolean };

export type FetchPolicy = { attempts: number; timeoutMs: number; minDelayMs: number; maxDelayMs: number };

/** ~10 s of retries, at most 2 s apart, so a stream resumes within about 2 s of the network returning. */
export const segmentPolicy: FetchPolicy = {
  attempts: 7,
  timeoutMs: 15_000,
  minDelayMs: 250,
  maxDelayMs: 2_000,
};

function failure(message: string, status: number | undefined, retryable: boolean): FetchFailure {
  return Object.assign(new Error(message), { retryable, ...(status !== undefined ? { status } : {}) });
}

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** One GET, whole body: rejects with a FetchFailure (an AbortError when `signal` aborts). */
async function fetchOnce(url: string, signal: AbortSignal, timeoutMs: number): Promise<ArrayBuffer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  let response: Response;
  try {
    response = await fetch(url, { signal: both, cache: 'no-store' });
  } catch (err) {
    if (signal.aborted) throw err;
    throw failure(`No answer (${err instanceof Error ? err.message : String(err)})`, undefined, true);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw failure(
      `Stream failed (HTTP ${response.status})`,
      response.status,
      retryableStatus(response.status),
    );
  }
  try {
    return await response.arrayBuffer();
  } catch (err) {
    if (signal.aborted) throw err;
    throw failure('The answer was cut short', undefined, true);
  }
}

/** GET with retries (transient failures only); `check` may reject a body (e.g. truncated) as transient. */
export async function fetchWithRetry<T = ArrayBuffer>(
  url: string,
  signal: AbortSignal,
  policy: FetchPolicy = segmentPolicy,
  check: (body: ArrayBuffer) => Promise<T> | T = (b) => b as T,
): Promise<T> {
  let delay = policy.minDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await check(await fetchOnce(url, signal, policy.timeoutMs));
    } catch (err) {
      const retryable = (err as Partial<FetchFailure>).retryable === true;
      if (signal.aborted || !retryable || attempt >= policy.attempts) throw err;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** The segment's audio as ADTS (decrypted when the playlist has a key, then demuxed). */
export function fetchSegment(
  playlist: MediaPlaylist,
  segment: PlaylistSegment,
  key: CryptoKey | null,
  signal: AbortSignal,
): Promise<Uint8Array> {
  return fetchWithRetry(segment.url, signal, segmentPolicy, async (bytes) => {
    try {
      const iv = segmentIv(playlist, segment);
      const plain = key
        ? await crypto.subtle.decrypt({ name: 'AES-CBC', iv: iv as Uint8Array<ArrayBuffer> }, key, bytes)
        : bytes;
      return demuxAdts(new Uint8Array(plain));
    } catch {
      // A body cut short does not decrypt (its padding is gone) or demux (a partial packet).
      throw failure('The segment was cut short', undefined, true);
    }
  });
}

export async function fetchKey(url: string, signal: AbortSignal): Promise<CryptoKey> {
  const raw = await fetchWithRetry(url, signal);
  return crypto.subtle.importKey('raw', raw, 'AES-CBC', false, ['decrypt']);
}
