// The sleep timer in the player bar: a menu button (minutes, or the end of this track, or off).
// A WAI-ARIA menu button: Enter/Space/↓ open it, ↑/↓ move, Escape closes, focus returns.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { Icon } from '../../components/icons.js';
import {
  sleepMinuteChoices,
  sleepTimerLabel,
  useSleepTimer,
  useSleepTimerActions,
} from '../../stores/sleep-timer.js';

export function SleepTimerButton(): ReactElement {
  const timer = useSleepTimer();
  const actions = useSleepTimerActions();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const label = sleepTimerLabel(timer, Date.now());

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitemradio"]')?.focus();
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const choose = (run: () => void) => {
    run();
    close();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const delta = e.key === 'ArrowDown' ? 1 : -1;
      items[(at + delta + items.length) % items.length]?.focus();
    }
  };
  const isMinutes = (m: number) => timer.mode === 'minutes' && timer.minutes === m;
  return (
    <div className="menu-anchor">
      <button
        ref={buttonRef}
        type="button"
        className={`icon-btn toggle${timer.mode !== 'off' ? ' is-on' : ''}`}
        aria-label="Sleep timer"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-description={label ?? 'Off'}
        title={label ?? 'Sleep timer'}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <Icon name="moon" size={18} />
      </button>
      {open ? (
        <div
          ref={menuRef}
          className="context-menu menu-up"
          role="menu"
          aria-label="Sleep timer"
          onKeyDown={onMenuKey}
        >
          {sleepMinuteChoices.map((m) => (
            <button
              key={m}
              type="button"
              role="menuitemradio"
              aria-checked={isMinutes(m)}
              tabIndex={-1}
              className="context-menu-item"
              onClick={() => choose(() => actions.setMinutes(m))}
            >
              {m} minutes
            </button>
          ))}
          <button
            type="button"
            role="menuitemradio"
            aria-checked={timer.mode === 'endOfTrack'}
            tabIndex={-1}
            className="context-menu-item"
            onClick={() => choose(() => actions.setEndOfTrack())}
          >
            End of this track
          </button>
          <button
            type="button"
            role="menuitemradio"
            aria-checked={timer.mode === 'off'}
            tabIndex={-1}
            className="context-menu-item"
            onClick={() => choose(() => actions.cancel())}
          >
            Off
          </button>
        </div>
      ) : null}
    </div>
  );
}
