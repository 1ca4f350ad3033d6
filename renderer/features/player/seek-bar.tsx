import { useState, type ReactElement } from 'react';
import { formatTime, spokenTime } from '../../components/format.js';
import { useHasTrack, usePlayerActions } from '../../stores/player.js';
import { usePlayheadDuration, usePlayheadPosition } from '../../stores/playhead.js';

/**
 * Subscribes to the playhead store only, so time updates re-render just this. `locked`: a radio
 * station plays, which cannot be scrubbed (the bar shows the time, nothing more).
 */
export function SeekBar({ locked = false }: { locked?: boolean }): ReactElement {
  const player = usePlayerActions();
  const position = usePlayheadPosition();
  const duration = usePlayheadDuration();
  const hasTrack = useHasTrack();
  const [drag, setDrag] = useState<number | null>(null);
  const shown = drag ?? position;
  const max = Math.max(duration, 1);
  const commit = () => {
    if (drag !== null) player.seek(drag);
    setDrag(null);
  };
  return (
    <div className="seek">
      <span className="time" aria-hidden="true">
        {formatTime(shown)}
      </span>
      <input
        type="range"
        className="slider seek-slider"
        aria-label="Seek"
        min={0}
        max={max}
        step={1}
        value={Math.min(shown, max)}
        disabled={!hasTrack || locked}
        {...(locked ? { title: 'A radio station cannot be scrubbed' } : {})}
        aria-valuetext={`${spokenTime(shown)} of ${spokenTime(duration)}`}
        style={{ '--fill': `${(Math.min(shown, max) / max) * 100}%` } as React.CSSProperties}
        onChange={(e) => setDrag(Number(e.currentTarget.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
      <span className="time" aria-label="Remaining">
        -{formatTime(Math.max(0, duration - shown))}
      </span>
    </div>
  );
}
