import type { ReactElement } from 'react';
import { useSlice, useStores } from '../../app/stores-context.js';
import { Artwork } from '../../components/artwork.js';
import { Icon } from '../../components/icons.js';
import { trackTitle } from '../../components/track-row.js';
import { currentItem } from '../../stores/queue-ops.js';
import { SeekBar } from './seek-bar.js';

export function PlayerBar(): ReactElement {
  const stores = useStores();
  const player = stores.player.getState();
  const track = useSlice(
    (s) => s.player,
    (s) => s.radioTrack ?? currentItem(s.queue)?.track ?? null,
  );
  const playing = useSlice(
    (s) => s.player,
    (s) => s.playing,
  );
  const loading = useSlice(
    (s) => s.player,
    (s) => s.loading,
  );
  const buffering = useSlice(
    (s) => s.playhead,
    (s) => s.buffering,
  );
  const preview = useSlice(
    (s) => s.player,
    (s) => s.stream?.logKind === 'preview',
  );
  const playMode = useSlice(
    (s) => s.player,
    (s) => s.stream?.playMode,
  );
  const shuffle = useSlice(
    (s) => s.player,
    (s) => s.queue.unshuffled !== null,
  );
  const repeat = useSlice(
    (s) => s.player,
    (s) => s.repeat,
  );
  const volume = useSlice(
    (s) => s.player,
    (s) => s.volume,
  );
  const muted = useSlice(
    (s) => s.player,
    (s) => s.muted,
  );
  const queueOpen = useSlice(
    (s) => s.ui,
    (s) => s.queueOpen,
  );
  const queueLength = useSlice(
    (s) => s.player,
    (s) => s.queue.items.length,
  );
  const station = useSlice(
    (s) => s.radio,
    (s) => s.station,
  );
  const skipAllowed = useSlice(
    (s) => s.radio,
    (s) => s.skipAllowed,
  );
  const skipsRemaining = useSlice(
    (s) => s.radio,
    (s) => s.skipsRemaining,
  );
  const radioBusy = useSlice(
    (s) => s.radio,
    (s) => s.busy,
  );
  const inRadio = station !== null;

  const repeatLabel =
    repeat === 'one' ? 'Repeat: one track' : repeat === 'all' ? 'Repeat: all' : 'Repeat: off';
  return (
    <footer className="player-bar" aria-label="Player">
      <div className="now-playing">
        {track ? (
          <>
            <Artwork src={track.release?.image} title={track.release?.title ?? track.title} size={56} />
            <div className="now-text">
              <button
                type="button"
                className="link now-title"
                disabled={!track.release?.id}
                onClick={() =>
                  track.release?.id &&
                  stores.ui.getState().navigate({ name: 'release', releaseId: track.release.id })
                }
              >
                {trackTitle(track)}
              </button>
              <span className="now-artist">{track.artist.name}</span>
              <span className="now-badges">
                {preview ? <span className="badge badge-accent">Preview · 30 s</span> : null}
                {playMode === 'offline' ? <span className="badge badge-offline">Playing offline</span> : null}
                {inRadio ? (
                  <span className="badge badge-accent">Radio · {station.ruleset.toUpperCase()}</span>
                ) : null}
              </span>
            </div>
          </>
        ) : (
          <div className="now-text now-empty">Nothing playing</div>
        )}
      </div>

      <div className="transport">
        <div className="transport-buttons">
          <button
            type="button"
            className={`icon-btn toggle${shuffle ? ' is-on' : ''}`}
            aria-label="Shuffle"
            aria-pressed={shuffle}
            disabled={inRadio}
            onClick={() => player.toggleShuffle()}
          >
            <Icon name="shuffle" size={18} />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Previous track"
            disabled={!track || inRadio}
            onClick={() => void player.previous()}
          >
            <Icon name="previous" size={22} />
          </button>
          <button
            type="button"
            className={`play-btn${loading || buffering ? ' is-busy' : ''}`}
            aria-label={playing ? 'Pause' : 'Play'}
            disabled={!track}
            onClick={() => player.togglePlay()}
          >
            <Icon name={playing ? 'pause' : 'play'} size={22} />
          </button>
          {inRadio ? (
            <button
              type="button"
              className="icon-btn skip-btn"
              aria-label="Skip"
              aria-describedby="skips-left"
              disabled={!skipAllowed || radioBusy !== null}
              onClick={() => void stores.radio.getState().skip()}
            >
              <Icon name="next" size={22} />
            </button>
          ) : (
            <button
              type="button"
              className="icon-btn"
              aria-label="Next track"
              disabled={!track}
              onClick={() => void player.next()}
            >
              <Icon name="next" size={22} />
            </button>
          )}
          <button
            type="button"
            className={`icon-btn toggle${repeat !== 'off' ? ' is-on' : ''}`}
            aria-label="Repeat"
            aria-pressed={repeat !== 'off'}
            aria-description={repeatLabel}
            title={repeatLabel}
            disabled={inRadio}
            onClick={() => player.cycleRepeat()}
          >
            <Icon name="repeat" size={18} />
            {repeat === 'one' ? (
              <span className="repeat-one" aria-hidden="true">
                1
              </span>
            ) : null}
          </button>
        </div>
        <SeekBar />
        {inRadio ? (
          <p className="skips-left" id="skips-left">
            {skipAllowed
              ? `${skipsRemaining} skip${skipsRemaining === 1 ? '' : 's'} left`
              : 'No skips left right now'}
          </p>
        ) : null}
      </div>

      <div className="bar-right">
        <button
          type="button"
          className="icon-btn"
          aria-label={muted ? 'Unmute' : 'Mute'}
          onClick={() => player.toggleMute()}
        >
          <Icon name={muted || volume === 0 ? 'mute' : 'volume'} size={20} />
        </button>
        <input
          type="range"
          className="slider volume-slider"
          aria-label="Volume"
          min={0}
          max={100}
          step={1}
          value={Math.round((muted ? 0 : volume) * 100)}
          aria-valuetext={muted ? 'Muted' : `${Math.round(volume * 100)}%`}
          style={{ '--fill': `${(muted ? 0 : volume) * 100}%` } as React.CSSProperties}
          onChange={(e) => player.setVolume(Number(e.currentTarget.value) / 100)}
        />
        <button
          type="button"
          className={`icon-btn toggle${queueOpen ? ' is-on' : ''}`}
          aria-label="Queue"
          aria-expanded={queueOpen}
          aria-controls="queue-panel"
          onClick={() => stores.ui.getState().toggleQueue()}
        >
          <Icon name="queue" size={20} />
          {queueLength > 0 ? (
            <span className="count-dot" aria-hidden="true">
              {queueLength > 999 ? '999+' : queueLength}
            </span>
          ) : null}
        </button>
      </div>
    </footer>
  );
}
