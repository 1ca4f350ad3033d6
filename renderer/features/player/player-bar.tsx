import type { ReactElement } from 'react';
import { Artwork } from '../../components/artwork.js';
import { Icon } from '../../components/icons.js';
import { trackTitle } from '../../components/track-row.js';
import {
  useIsPreview,
  useMuted,
  usePlayerActions,
  usePlayerTrack,
  usePlayMode,
  useQueueLength,
  useVolume,
} from '../../stores/player.js';
import { useStation } from '../../stores/radio.js';
import { useQueueOpen, useUiActions } from '../../stores/ui.js';
import { SleepTimerButton } from './sleep-timer-button.js';
import { Transport } from './transport.js';
import { useIsLiked, useLikedActions, useLikedBusy } from '../../stores/liked.js';

export function PlayerBar(): ReactElement {
  return (
    <footer className="player-bar" aria-label="Player">
      <NowPlaying />
      <Transport />
      <div className="bar-right">
        <SleepTimerButton />
        <VolumeControl />
        <QueueButton />
      </div>
    </footer>
  );
}

/** Artwork, title (a link to its release), artist and badges of what is playing. */
function NowPlaying(): ReactElement {
  const ui = useUiActions();
  const track = usePlayerTrack();
  const preview = useIsPreview();
  const playMode = usePlayMode();
  const station = useStation();
  if (!track) {
    return (
      <div className="now-playing">
        <div className="now-text now-empty">Nothing playing</div>
      </div>
    );
  }
  return (
    <div className="now-playing">
      <Artwork src={track.release?.image} title={track.release?.title ?? track.title} size={56} />
      <div className="now-text">
        <button
          type="button"
          className="link now-title"
          disabled={!track.release?.id}
          onClick={() => track.release?.id && ui.navigate({ name: 'release', releaseId: track.release.id })}
        >
          {trackTitle(track)}
        </button>
        <span className="now-artist">{track.artist.name}</span>
        <span className="now-badges">
          {preview ? <span className="badge badge-accent">Preview · 30 s</span> : null}
          {playMode === 'offline' ? <span className="badge badge-offline">Playing offline</span> : null}
          {station ? (
            <span className="badge badge-accent">Radio · {station.ruleset.toUpperCase()}</span>
          ) : null}
        </span>
      </div>
      <LikeButton />
    </div>
  );
}

/** Adds the track playing to "Liked songs", or takes it out (aria-pressed says which). */
function LikeButton(): ReactElement | null {
  const track = usePlayerTrack();
  const liked = useIsLiked(track?.id);
  const busy = useLikedBusy();
  const actions = useLikedActions();
  if (!track) return null;
  return (
    <button
      type="button"
      className={`icon-btn like-btn${liked ? ' is-on' : ''}`}
      aria-label="Like"
      aria-pressed={liked}
      title={liked ? 'Remove from Liked songs' : 'Add to Liked songs'}
      disabled={busy}
      onClick={() => void actions.toggle(track)}
    >
      <Icon name={liked ? 'heartFilled' : 'heart'} size={18} />
    </button>
  );
}

function VolumeControl(): ReactElement {
  const player = usePlayerActions();
  const volume = useVolume();
  const muted = useMuted();
  const silent = muted || volume === 0;
  return (
    <>
      <button
        type="button"
        className="icon-btn"
        aria-label={silent ? 'Unmute' : 'Mute'}
        aria-keyshortcuts="M"
        title={silent ? 'Unmute (M)' : 'Mute (M)'}
        onClick={() => player.toggleMute()}
      >
        <Icon name={silent ? 'mute' : 'volume'} size={20} />
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
    </>
  );
}

/** Opens and closes the queue panel; shows how many tracks are queued. */
function QueueButton(): ReactElement {
  const ui = useUiActions();
  const queueOpen = useQueueOpen();
  const queueLength = useQueueLength();
  return (
    <button
      type="button"
      className={`icon-btn toggle${queueOpen ? ' is-on' : ''}`}
      aria-label="Queue"
      aria-expanded={queueOpen}
      aria-controls="queue-panel"
      onClick={() => ui.toggleQueue()}
    >
      <Icon name="queue" size={20} />
      {queueLength > 0 ? (
        <span className="count-dot" aria-hidden="true">
          {queueLength > 999 ? '999+' : queueLength}
        </span>
      ) : null}
    </button>
  );
}
