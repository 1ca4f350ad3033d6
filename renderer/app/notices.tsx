import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/icons.js';
import { usePlayerActions } from '../stores/player.js';
import { useOnline, useTakeover, useToasts, useUiActions } from '../stores/ui.js';

/** The offline banner and the stream-takeover notice. */
export function Banners(): ReactElement {
  const ui = useUiActions();
  const player = usePlayerActions();
  const online = useOnline();
  const takeover = useTakeover();
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
            onClick={() => void player.reclaimStream()}
          >
            Play here
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss"
            onClick={() => ui.setTakeover(null)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
    </>
  );
}

function AutoDismiss({ id, ms }: { id: number; ms: number }): null {
  const { dismiss } = useUiActions();
  useEffect(() => {
    const t = setTimeout(() => dismiss(id), ms);
    return () => clearTimeout(t);
  }, [id, ms, dismiss]);
  return null;
}

export function Toasts(): ReactElement {
  const ui = useUiActions();
  const toasts = useToasts();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          {t.kind === 'info' ? <AutoDismiss id={t.id} ms={t.action ? 10_000 : 4000} /> : null}
          <span className="toast-text">{t.message}</span>
          {t.action ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                ui.dismiss(t.id);
                t.action?.run();
              }}
            >
              {t.action.label}
            </button>
          ) : null}
          {t.retry ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                ui.dismiss(t.id);
                t.retry?.();
              }}
            >
              Retry
            </button>
          ) : null}
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => ui.dismiss(t.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
