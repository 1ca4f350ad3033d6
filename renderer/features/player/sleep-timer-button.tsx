// The sleep timer in the player bar: a menu button (minutes, or the end of this track, or off).
// A WAI-ARIA menu button: Enter/Space/↓ open it, ↑/↓ move, Escape closes, focus returns.
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
  type RefObject,
} from 'react';
import { Icon } from '../../components/icons.js';
import {
  sleepMinuteChoices,
  sleepTimerLabel,
  useSleepTimer,
  useSleepTimerActions,
} from '../../stores/sleep-timer.js';

export function SleepTimerButton(): ReactElement {
  const timer = useSleepTimer();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const label = sleepTimerLabel(timer, Date.now());
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);
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
      {open ? <SleepTimerMenu button={buttonRef} onClose={close} /> : null}
    </div>
  );
}

/** The choices: a number of minutes, the end of this track, or off (the one set is checked). */
function SleepTimerMenu(props: {
  button: RefObject<HTMLButtonElement | null>;
  onClose: (refocus: boolean) => void;
}): ReactElement {
  const { onClose } = props;
  const timer = useSleepTimer();
  const actions = useSleepTimerActions();
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menuRef.current?.querySelector<HTMLElement>('[role="menuitemradio"]')?.focus();
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !props.button.current?.contains(target)) onClose(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [onClose, props.button]);

  const choose = (run: () => void) => {
    run();
    onClose(true);
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      onClose(true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const delta = e.key === 'ArrowDown' ? 1 : -1;
      items[(at + delta + items.length) % items.length]?.focus();
    }
  };
  const item = (key: string, label: string, checked: boolean, run: () => void) => (
    <button
      key={key}
      type="button"
      role="menuitemradio"
      aria-checked={checked}
      tabIndex={-1}
      className="context-menu-item"
      onClick={() => choose(run)}
    >
      {label}
    </button>
  );
  return (
    <div
      ref={menuRef}
      className="context-menu menu-up"
      role="menu"
      aria-label="Sleep timer"
      onKeyDown={onMenuKey}
    >
      {sleepMinuteChoices.map((m) =>
        item(String(m), `${m} minutes`, timer.mode === 'minutes' && timer.minutes === m, () =>
          actions.setMinutes(m),
        ),
      )}
      {item('end', 'End of this track', timer.mode === 'endOfTrack', () => actions.setEndOfTrack())}
      {item('off', 'Off', timer.mode === 'off', () => actions.cancel())}
    </div>
  );
}
