import type { KeyboardEvent, ReactElement } from 'react';
import { Artwork } from '../../components/artwork.js';
import { formatTime } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty } from '../../components/states.js';
import { trackTitle } from '../../components/track-row.js';
import { VirtualList } from '../../components/virtual-list.js';
import { useUnavailableOffline } from '../../stores/offline.js';
import { usePlayerActions, useQueue } from '../../stores/player.js';
import type { QueueItem } from '../../stores/queue-ops.js';
import { useStation } from '../../stores/radio.js';
import { useUiActions } from '../../stores/ui.js';

export function QueuePanel(): ReactElement {
  const player = usePlayerActions();
  const ui = useUiActions();
  const queue = useQueue();
  const station = useStation();
  const count = queue.items.length;
  return (
    <aside className="queue-panel" id="queue-panel" aria-label="Queue">
      <header className="panel-header">
        <h2>Queue</h2>
        <span className="muted">
          {count} track{count === 1 ? '' : 's'}
        </span>
        <div className="spacer" />
        {count > 0 ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => player.clearQueue()}>
            Clear
          </button>
        ) : null}
        <button
          type="button"
          className="icon-btn"
          aria-label="Close queue"
          onClick={() => ui.toggleQueue(false)}
        >
          <Icon name="close" size={18} />
        </button>
      </header>
      {station ? (
        <p className="panel-note">
          A radio station is playing; the queue continues when you stop it (a station cannot be left for a
          track of the queue).
        </p>
      ) : null}
      <p className="panel-hint muted">
        Drag a track, or press Shift+Alt+↑/↓, to move it; Delete removes it; Shift+F10 opens its menu.
      </p>
      {count === 0 ? (
        <Empty title="Your queue is empty">Play something, or add tracks with “Add to queue”.</Empty>
      ) : (
        <VirtualList<QueueItem>
          items={queue.items}
          rowHeight={60}
          label="Queue tracks"
          getKey={(item) => item.uid}
          rowClassName={(_item, index) => (index === queue.index ? 'is-current' : '')}
          rowDeps={queue.index}
          reorder={{
            move: (from, to) => player.moveInQueue(from, to),
            describe: (item, to, total) =>
              `Moved ${trackTitle(item.track)} to position ${to + 1} of ${total}`,
          }}
          onRowContextMenu={(item, _index, at) =>
            ui.openContextMenu({ kind: 'track', track: item.track, queueUid: item.uid }, at)
          }
          renderRow={(item, index) => (
            <QueueRow
              item={item}
              index={index}
              count={count}
              current={index === queue.index}
              onAir={station !== null}
            />
          )}
        />
      )}
    </aside>
  );
}

/** One queued track: play it, move it up or down (also Shift+Alt+↑/↓ on the list), remove it (also Delete). */
function QueueRow(props: {
  item: QueueItem;
  index: number;
  count: number;
  current: boolean;
  /** A station plays: no jumping to a queued track meanwhile. */
  onAir: boolean;
}): ReactElement {
  const { item, index, count } = props;
  const player = usePlayerActions();
  const title = trackTitle(item.track);
  const unavailable = useUnavailableOffline(item.track.id);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Delete') {
      e.preventDefault();
      player.removeFromQueue(item.uid);
    }
  };
  return (
    <div
      className={`queue-row${unavailable ? ' is-unavailable' : ''}`}
      onKeyDown={onKeyDown}
      aria-current={props.current ? 'true' : undefined}
    >
      <button
        type="button"
        className="icon-btn track-play"
        aria-label={`Play ${title}`}
        disabled={props.onAir || unavailable}
        onClick={() => void player.playAt(index)}
      >
        <Icon name="play" size={14} />
      </button>
      <Artwork src={item.track.release?.image} title={item.track.release?.title ?? title} size={36} />
      <div className="track-text">
        <span className="track-title">{title}</span>
        <span className="track-artist-static">
          {item.track.artist.name}
          {item.track.durationSec ? ` · ${formatTime(item.track.durationSec)}` : ''}
        </span>
      </div>
      {unavailable ? <span className="track-unavailable">Not available offline</span> : null}
      <div className="queue-actions">
        <button
          type="button"
          className="icon-btn"
          aria-label={`Move ${title} up`}
          disabled={index === 0}
          onClick={() => player.moveInQueue(index, index - 1)}
        >
          <Icon name="up" size={16} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={`Move ${title} down`}
          disabled={index === count - 1}
          onClick={() => player.moveInQueue(index, index + 1)}
        >
          <Icon name="down" size={16} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={`Remove ${title} from queue`}
          onClick={() => player.removeFromQueue(item.uid)}
        >
          <Icon name="close" size={16} />
        </button>
      </div>
    </div>
  );
}
