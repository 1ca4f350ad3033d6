// The browser host's transport for the same SeptetBridge the Electron preload exposes:
// invoke → POST /api/{channel} with the per-run token, on → the /events WebSocket.
// Installed only when no bridge exists (i.e. not inside Electron).
import type { AppErrorData } from '../../shared/errors.js';
import type {
  Channel,
  ChannelArg,
  ChannelValue,
  EventName,
  EventPayload,
  Result,
  SeptetBridge,
} from '../../shared/ipc/contract.js';

const tokenMetaName = 'septet-token';
const tokenHeader = 'X-Septet-Token';

type Listener = (payload: unknown) => void;

/** Installs `window.septet` over HTTP + WebSocket when the page is served by the browser host. */
export function installBrowserBridge(
  target: { septet?: SeptetBridge } = globalThis,
): SeptetBridge | undefined {
  if (target.septet) return target.septet;
  const token = document.querySelector<HTMLMetaElement>(`meta[name="${tokenMetaName}"]`)?.content;
  if (!token) return undefined;
  const bridge = createBrowserBridge({ token, origin: window.location.origin });
  target.septet = bridge;
  return bridge;
}

export function createBrowserBridge(options: { token: string; origin: string }): SeptetBridge {
  const { token, origin } = options;
  const listeners = new Map<string, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retryDelayMs = 500;

  const connect = (): void => {
    const wsUrl = `${origin.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(wsUrl);
    socket = ws;
    ws.addEventListener('open', () => {
      retryDelayMs = 500;
    });
    ws.addEventListener('message', (message: MessageEvent<string>) => {
      let parsed: { event?: unknown; payload?: unknown };
      try {
        parsed = JSON.parse(message.data) as { event?: unknown; payload?: unknown };
      } catch {
        return;
      }
      if (typeof parsed.event !== 'string') return;
      for (const listener of [...(listeners.get(parsed.event) ?? [])]) listener(parsed.payload);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      // The host restarts with the app; keep trying while anyone listens.
      setTimeout(connect, retryDelayMs);
      retryDelayMs = Math.min(retryDelayMs * 2, 10_000);
    });
  };

  return {
    async invoke<C extends Channel>(channel: C, arg: ChannelArg<C>): Promise<Result<ChannelValue<C>>> {
      let response: Response;
      try {
        response = await fetch(`${origin}/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [tokenHeader]: token },
          body: JSON.stringify(arg ?? {}),
          credentials: 'same-origin',
        });
      } catch (error) {
        return failure({ code: 'network', message: `Septet's core did not answer: ${String(error)}` });
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        const code = response.status === 403 || response.status === 421 ? 'forbidden' : 'internal';
        return failure({ code, message: text || `HTTP ${response.status}`, status: response.status });
      }
      return (await response.json()) as Result<ChannelValue<C>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as Listener;
      set.add(entry);
      if (!socket) connect();
      return () => {
        set.delete(entry);
      };
    },
  };
}

function failure(error: AppErrorData): Result<never> {
  return { ok: false, error };
}
