import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/icons.js';
import { useSlice, useStores } from './stores-context.js';

/** The offline banner and the stream-takeover notice. */
export function Banners(): ReactElement {
  const stores = useStores();
  const online = useSlice(
    (s) => s.ui,
    (s) => s.online,
  );
  const takeover = useSlice(
    (s) => s.ui,
    (s) => s.takeover,
  );
  return (
    <>
      {!online ? (
        <div className="banner banner-offline" role="status">
          <Icon name="cloudOff" size={18} /> You’re offline. Music you keep offline still plays; everything
          else is greyed out until the connection returns.
        </div>
      ) : null}
      {takeover ? (
        <div className="banner banner-takeover" role="alert">
          <span className="banner-text">
            <strong>Playback moved to another device</strong>
            {takeover.message && takeover.message !== 'Playback moved to another device' ? (
              <span className="banner-detail">{takeover.message}</span>
            ) : null}
          </span>
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={() => void stores.player.getState().reclaimStream()}
          >
            Play here
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss"
            onClick={() => stores.ui.getState().setTakeover(null)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
    </>
  );
}

function AutoDismiss({ id, ms }: { id: number; ms: number }): null {
  const stores = useStores();
  useEffect(() => {
    const t = setTimeout(() => stores.ui.getState().dismiss(id), ms);
    return () => clearTimeout(t);
  }, [id, ms, stores]);
  return null;
}

export function Toasts(): ReactElement {
  const stores = useStores();
  const toasts = useSlice(
    (s) => s.ui,
    (s) => s.toasts,
  );
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          {t.kind === 'info' ? <AutoDismiss id={t.id} ms={4000} /> : null}
          <span className="toast-text">{t.message}</span>
          {t.retry ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                stores.ui.getState().dismiss(t.id);
                t.retry?.();
              }}
            >
              Retry
            </button>
          ) : null}
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss"
            onClick={() => stores.ui.getState().dismiss(t.id)}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
