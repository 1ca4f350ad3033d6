// The station's skip budget as the listener sees it: skips left, or when the next one comes
// back (a countdown). When the countdown runs out, Skip is offered again (main still decides).
import { useEffect, useState, type ReactElement } from 'react';
import { formatTime } from '../../components/format.js';
import { useNextSkipAt, useRadioActions, useSkipAllowed, useSkipsRemaining } from '../../stores/radio.js';

/** "3 skips left", "Next skip in 12:34", or "No skips left right now" when the service did not say when. */
export function SkipsLeft({
  id,
  suffix = '',
  className = 'skips-left',
}: {
  id?: string;
  suffix?: string;
  className?: string;
}): ReactElement {
  const radio = useRadioActions();
  const skipAllowed = useSkipAllowed();
  const skipsRemaining = useSkipsRemaining();
  const nextSkipAt = useNextSkipAt();
  const waitSec = useSecondsUntil(skipAllowed ? null : nextSkipAt);
  useEffect(() => {
    if (waitSec === 0) radio.skipCameBack();
  }, [waitSec, radio]);
  let text: string;
  if (skipAllowed) text = `${skipsRemaining} skip${skipsRemaining === 1 ? '' : 's'} left${suffix}`;
  else if (waitSec !== null && waitSec > 0) text = `No skips left — next skip in ${formatTime(waitSec)}`;
  else text = 'No skips left right now';
  return (
    <p className={className} {...(id ? { id } : {})} aria-live="polite">
      {text}
    </p>
  );
}

/** Whole seconds until `iso`, ticking once a second; null without a time. */
function useSecondsUntil(iso: string | null): number | null {
  const target = iso ? Date.parse(iso) : NaN;
  const [seconds, setSeconds] = useState(() => secondsUntil(target));
  useEffect(() => {
    setSeconds(secondsUntil(target));
    if (!Number.isFinite(target)) return undefined;
    const timer = setInterval(() => setSeconds(secondsUntil(target)), 1000);
    return () => clearInterval(timer);
  }, [target]);
  return seconds;
}

function secondsUntil(target: number): number | null {
  return Number.isFinite(target) ? Math.max(0, Math.ceil((target - Date.now()) / 1000)) : null;
}
