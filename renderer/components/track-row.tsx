import type { ReactElement, ReactNode } from 'react';
import type { TrackView } from '../../shared/ipc/contract.js';
import { useIsCached } from '../stores/offline.js';
import { useIsCurrentTrack, usePlayerActions } from '../stores/player.js';
import { useOnline, useUiActions } from '../stores/ui.js';
import { Artwork } from './artwork.js';
import { formatTime } from './format.js';
import { Icon } from './icons.js';

export function trackTitle(track: TrackView): string {
  return track.version ? `${track.title} (${track.version})` : track.title;
}

/** One track: a "Play <title>" button, title/artist, duration, and queue/playlist actions. */
export function TrackRow(props: {
  track: TrackView;
  onPlay: () => void;
  number?: number;
  showArtwork?: boolean;
  showArtist?: boolean;
  children?: ReactNode;
}): ReactElement {
  const { track } = props;
  const ui = useUiActions();
  const online = useOnline();
  const cached = useIsCached(track.id);
  const isCurrent = useIsCurrentTrack(track.id);
  const unavailable = !online && !cached;
  const title = trackTitle(track);
  return (
    <div
      className={`track-row${unavailable ? ' is-unavailable' : ''}${isCurrent ? ' is-current' : ''}`}
      aria-disabled={unavailable || undefined}
    >
      <button
        type="button"
        className={`icon-btn track-play${props.number === undefined ? ' no-number' : ''}`}
        aria-label={`Play ${title}`}
        onClick={props.onPlay}
        disabled={unavailable}
      >
        <span className="track-number" aria-hidden="true">
          {props.number ?? ''}
        </span>
        <Icon name="play" size={16} />
      </button>
      {props.showArtwork ? (
        <Artwork src={track.release?.image} title={track.release?.title ?? track.title} size={40} />
      ) : null}
      <div className="track-text">
        <span className="track-title">
          {title}
          {track.explicit ? (
            <span className="badge" title="Explicit">
              E
            </span>
          ) : null}
          {cached ? (
            <span className="badge badge-offline" title="Available offline">
              Offline
            </span>
          ) : null}
        </span>
        {props.showArtist !== false ? (
          <button
            type="button"
            className="link track-artist"
            onClick={() =>
              track.artist.id && !track.artist.id.startsWith('name:')
                ? ui.navigate({ name: 'artist', artistId: track.artist.id })
                : undefined
            }
          >
            {track.artist.name}
          </button>
        ) : null}
      </div>
      {unavailable ? <span className="track-unavailable">Not available offline</span> : null}
      <div className="track-actions">
        {props.children}
        <QueueActions track={track} title={title} />
      </div>
      <span className="track-duration">{track.durationSec ? formatTime(track.durationSec) : ''}</span>
    </div>
  );
}

/** Play next, add to queue, add to playlist. */
function QueueActions({ track, title }: { track: TrackView; title: string }): ReactElement {
  const player = usePlayerActions();
  const ui = useUiActions();
  return (
    <>
      <button
        type="button"
        className="icon-btn"
        aria-label={`Play ${title} next`}
        title="Play next"
        onClick={() => player.playNext([track])}
      >
        <Icon name="playNext" size={18} />
      </button>
      <button
        type="button"
        className="icon-btn"
        aria-label={`Add ${title} to queue`}
        title="Add to queue"
        onClick={() => player.addToQueue([track])}
      >
        <Icon name="addQueue" size={18} />
      </button>
      <button
        type="button"
        className="icon-btn"
        aria-label={`Add ${title} to playlist`}
        title="Add to playlist"
        onClick={() => ui.openAddToPlaylist([track])}
      >
        <Icon name="plus" size={18} />
      </button>
    </>
  );
}
