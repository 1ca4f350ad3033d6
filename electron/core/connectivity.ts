// Whether the music service is reachable, learnt from what calls to it do: a connection failure
// flips the app offline (and starts probing the API host), any answer flips it back online. The
// handler table applies this once to every channel (withConnectivity); the stream resolver, which
// decides per track between the network and the offline cache, uses probe() and remote() itself.
import type { Channel } from '../../shared/ipc/contract.js';
import type { ChannelHandlers } from '../../shared/ipc/handlers.js';
import { AppError, isAppError } from '../../shared/errors.js';
import { isConnectionFailure, isUserTokenRejected } from './api/service-failures.js';
import type { Logger } from './logger.js';

export type Connectivity = {
  online(): boolean;
  setOnline(value: boolean): void;
  /** Any HTTP answer from the API's host means reachable; only a failed connection means offline. */
  probe(): Promise<boolean>;
  /** Runs a service call: its success means online, its failure is noticed (see notice()). */
  remote<T>(run: () => Promise<T>): Promise<T>;
  /**
   * What a failed service call says about the app: a connection failure means offline, a
   * rejected access token ends the session. Returns the error to throw ('offline' while offline).
   */
  notice(error: unknown): Promise<unknown>;
  stop(): void;
};

export type ConnectivityDeps = {
  baseUrl: string;
  log: Pick<Logger, 'info'>;
  /** Called on every change (the app:connectivityChanged event, a play-log flush on reconnect). */
  onChange(online: boolean): void;
  /** The service no longer accepts the listener's access token. */
  onTokenRejected(): Promise<void>;
  /** While offline the API host is probed this often. */
  probeIntervalMs?: number;
  fetch?: typeof fetch;
};

export function createConnectivity(deps: ConnectivityDeps): Connectivity {
  // 1 s, so playback resumes within ~2 s of the network returning (issue 6); a HEAD that fails
  // fast costs nothing while there is no network.
  const probeIntervalMs = deps.probeIntervalMs ?? 1_000;
  const doFetch = deps.fetch ?? fetch;
  let online = true;
  let stopped = false;
  let probeTimer: NodeJS.Timeout | undefined;

  const setOnline = (value: boolean): void => {
    if (value === online) return;
    online = value;
    deps.log.info(value ? 'back online' : 'offline', { apiBaseUrl: deps.baseUrl });
    deps.onChange(value);
    if (!value) scheduleProbe();
  };

  const probe = async (): Promise<boolean> => {
    try {
      const response = await doFetch(deps.baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      setOnline(true);
      return true;
    } catch {
      setOnline(false);
      return false;
    }
  };

  const scheduleProbe = (): void => {
    if (probeTimer || stopped) return;
    probeTimer = setTimeout(() => {
      probeTimer = undefined;
      void probe().then((ok) => {
        if (!ok) scheduleProbe();
      });
    }, probeIntervalMs);
    probeTimer.unref();
  };

  const notice = async (error: unknown): Promise<unknown> => {
    if (!isAppError(error)) return error;
    if (isConnectionFailure(error)) setOnline(false);
    if (isUserTokenRejected(error)) await deps.onTokenRejected();
    if (error.code === 'network' && !online) {
      return new AppError(
        { code: 'offline', message: 'Septet cannot reach the music service right now.' },
        { cause: error },
      );
    }
    return error;
  };

  return {
    online: () => online,
    setOnline,
    probe,
    async remote(run) {
      try {
        const value = await run();
        setOnline(true);
        return value;
      } catch (error) {
        throw await notice(error);
      }
    },
    notice,
    stop() {
      stopped = true;
      clearTimeout(probeTimer);
    },
  };
}

/**
 * Applies connectivity to the whole handler table: every handler's failure is noticed; the
 * success of a handler that calls the service marks the app online. `local` channels never call
 * it (their success says nothing), `selfManaged` ones (stream resolution) decide themselves.
 */
export function withConnectivity(
  handlers: ChannelHandlers,
  connectivity: Connectivity,
  kinds: { local: readonly Channel[]; selfManaged: readonly Channel[] },
): ChannelHandlers {
  const passive = new Set<Channel>([...kinds.local, ...kinds.selfManaged]);
  const wrapped: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(handlers) as Array<
    [Channel, (arg: unknown, context: unknown) => Promise<unknown>]
  >) {
    wrapped[channel] = passive.has(channel)
      ? async (arg: unknown, context: unknown) => {
          try {
            return await handler(arg, context);
          } catch (error) {
            throw await connectivity.notice(error);
          }
        }
      : (arg: unknown, context: unknown) => connectivity.remote(() => handler(arg, context));
  }
  return wrapped as ChannelHandlers;
}
