// The player bar's middle: shuffle, previous, play/pause, next (or Skip while a radio station
// plays, within its skip budget), repeat, the seek bar.
import type { ReactElement } from 'react';
import { Icon } from '../../components/icons.js';
import {
  useIsLoading,
  useHasTrack,
  useIsPlaying,
  usePlayerActions,
  useRepeat,
  useShuffle,
} from '../../stores/player.js';
import { useBuffering } from '../../stores/playhead.js';
import { useRadioActions, useRadioBusy, useSkipAllowed, useStation } from '../../stores/radio.js';
import { SkipsLeft } from '../radio/skips-left.js';
import { SeekBar } from './seek-bar.js';

export function Transport(): ReactElement {
  const inRadio = useStation() !== null;
  return (
    <div className="transport">
      <div className="transport-buttons">
        <ShuffleButton disabled={inRadio} />
        <StepButton step="previous" disabled={inRadio} />
        <PlayPauseButton />
        {inRadio ? <SkipButton /> : <StepButton step="next" />}
        <RepeatButton disabled={inRadio} />
      </div>
      <SeekBar locked={inRadio} />
      {inRadio ? <SkipsLeft id="skips-left" /> : null}
    </div>
  );
}

function ShuffleButton({ disabled }: { disabled: boolean }): ReactElement {
  const player = usePlayerActions();
  const shuffle = useShuffle();
  return (
    <button
      type="button"
      className={`icon-btn toggle${shuffle ? ' is-on' : ''}`}
      aria-label="Shuffle"
      aria-pressed={shuffle}
      disabled={disabled}
      onClick={() => player.toggleShuffle()}
    >
      <Icon name="shuffle" size={18} />
    </button>
  );
}

function PlayPauseButton(): ReactElement {
  const player = usePlayerActions();
  const hasTrack = useHasTrack();
  const playing = useIsPlaying();
  const loading = useIsLoading();
  const buffering = useBuffering();
  return (
    <button
      type="button"
      className={`play-btn${loading || buffering ? ' is-busy' : ''}`}
      aria-label={playing ? 'Pause' : 'Play'}
      disabled={!hasTrack}
      onClick={() => player.togglePlay()}
    >
      <Icon name={playing ? 'pause' : 'play'} size={22} />
    </button>
  );
}

/** Previous track / Next track in the queue. */
function StepButton({
  step,
  disabled = false,
}: {
  step: 'previous' | 'next';
  disabled?: boolean;
}): ReactElement {
  const player = usePlayerActions();
  const hasTrack = useHasTrack();
  return (
    <button
      type="button"
      className="icon-btn"
      aria-label={step === 'previous' ? 'Previous track' : 'Next track'}
      disabled={!hasTrack || disabled}
      onClick={() => void player[step]()}
    >
      <Icon name={step} size={22} />
    </button>
  );
}

function SkipButton(): ReactElement {
  const radio = useRadioActions();
  const skipAllowed = useSkipAllowed();
  const busy = useRadioBusy();
  return (
    <button
      type="button"
      className="icon-btn skip-btn"
      aria-label="Skip"
      aria-describedby="skips-left"
      disabled={!skipAllowed || busy !== null}
      onClick={() => void radio.skip()}
    >
      <Icon name="next" size={22} />
    </button>
  );
}

function RepeatButton({ disabled }: { disabled: boolean }): ReactElement {
  const player = usePlayerActions();
  const repeat = useRepeat();
  const label = repeat === 'one' ? 'Repeat: one track' : repeat === 'all' ? 'Repeat: all' : 'Repeat: off';
  return (
    <button
      type="button"
      className={`icon-btn toggle${repeat !== 'off' ? ' is-on' : ''}`}
      aria-label="Repeat"
      aria-pressed={repeat !== 'off'}
      aria-description={label}
      title={label}
      disabled={disabled}
      onClick={() => player.cycleRepeat()}
    >
      <Icon name="repeat" size={18} />
      {repeat === 'one' ? (
        <span className="repeat-one" aria-hidden="true">
          1
        </span>
      ) : null}
    </button>
  );
}
