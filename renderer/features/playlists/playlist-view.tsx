import { useEffect, useMemo, useState, type ReactElement } from 'react';
import {
  playlistDescriptionMaxLength,
  type PlaylistTrackView,
  type PlaylistView as Playlist,
  type TrackView,
} from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { countOf, formatTime, formatTotal } from '../../components/format.js';
import type { ListReorder } from '../../components/list-reorder.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { VirtualList } from '../../components/virtual-list.js';
import { useCurrentTrackId } from '../../stores/player.js';
import { useOpenPlaylist, usePlaylistSaving, usePlaylistsActions } from '../../stores/playlists.js';
import { useUiActions } from '../../stores/ui.js';
import { MakeAvailableOffline } from '../offline/make-available-offline.js';
import { useUnavailableOffline } from '../../stores/offline.js';

export function PlaylistView({ playlistId }: { playlistId: string }): ReactElement {
  const playlists = usePlaylistsActions();
  const current = useOpenPlaylist();
  useEffect(() => {
    if (!playlists.isOpen(playlistId)) {
      void playlists.open(playlistId);
      return;
    }
    // Already loaded: paint it first, then refresh it (the fetch of a big playlist would
    // otherwise compete with the first frame for the CPU).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => void playlists.open(playlistId), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [playlistId, playlists]);
  if (current.status === 'error')
    return <ErrorState message={current.message} onRetry={() => void playlists.open(playlistId)} />;
  if (current.status !== 'ready' || current.data.id !== playlistId) return <Loading />;
  return <PlaylistEditor key={current.data.id} playlist={current.data} />;
}

function PlaylistEditor({ playlist }: { playlist: Playlist }): ReactElement {
  return (
    <section className="view view-fill" aria-labelledby="playlist-title">
      <PlaylistHeader playlist={playlist} />
      <div className="view-body">
        {playlist.tracks.length === 0 ? (
          <Empty title="This playlist is empty">
            Add tracks from search, a release or your locker with “Add to playlist”.
          </Empty>
        ) : (
          <PlaylistTracks playlist={playlist} />
        )}
      </div>
    </section>
  );
}

/** Name, description and actions, or the form that edits name and description. */
function PlaylistHeader({ playlist }: { playlist: Playlist }): ReactElement {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(playlist.name);
  const [description, setDescription] = useState(playlist.description ?? '');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const cancelEditing = () => {
    setEditing(false);
    setName(playlist.name);
    setDescription(playlist.description ?? '');
  };
  return (
    <header className="hero hero-compact">
      <Artwork title={playlist.name} size={132} />
      <div className="hero-text">
        <p className="eyebrow">
          {playlist.visibility === 'public' ? 'Public playlist' : 'Private playlist'} ·{' '}
          {countOf(playlist.tracks.length, 'track')}
          <TotalTime tracks={playlist.tracks} />
        </p>
        {editing ? (
          <PlaylistDetailsForm
            playlistId={playlist.id}
            name={name}
            description={description}
            onNameChange={setName}
            onDescriptionChange={setDescription}
            onSaved={() => setEditing(false)}
            onCancel={cancelEditing}
          />
        ) : (
          <>
            <h1 id="playlist-title">{playlist.name}</h1>
            {playlist.description ? <p className="hero-sub">{playlist.description}</p> : null}
            <PlaylistActions
              playlist={playlist}
              onEdit={() => setEditing(true)}
              confirmDelete={confirmDelete}
              onConfirmDeleteChange={setConfirmDelete}
            />
          </>
        )}
      </div>
    </header>
  );
}

/** ", 3 h 12 min" — the playlist's length (of the tracks the catalogue gave a duration for). */
function TotalTime({ tracks }: { tracks: PlaylistTrackView[] }): ReactElement | null {
  const total = useMemo(() => tracks.reduce((sum, t) => sum + (t.durationSec ?? 0), 0), [tracks]);
  return total > 0 ? <span className="total-time">, {formatTotal(total)}</span> : null;
}

function PlaylistDetailsForm(props: {
  playlistId: string;
  name: string;
  description: string;
  onNameChange: (name: string) => void;
  onDescriptionChange: (description: string) => void;
  onSaved: () => void;
  onCancel: () => void;
}): ReactElement {
  const { name, description } = props;
  const playlists = usePlaylistsActions();
  const saving = usePlaylistSaving();
  const tooLong = description.length > playlistDescriptionMaxLength;
  const save = async () => {
    if (tooLong || !name.trim()) return;
    if (await playlists.update(props.playlistId, { name: name.trim(), description })) props.onSaved();
  };
  return (
    <form
      className="form playlist-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="field">
        <span>Name</span>
        <input
          value={name}
          maxLength={200}
          onChange={(e) => props.onNameChange(e.currentTarget.value)}
          required
        />
      </label>
      <label className="field">
        <span>Description</span>
        <textarea
          value={description}
          rows={3}
          aria-describedby="description-count"
          aria-invalid={tooLong}
          onChange={(e) => props.onDescriptionChange(e.currentTarget.value)}
        />
      </label>
      <p id="description-count" className={`char-count${tooLong ? ' is-over' : ''}`} aria-live="polite">
        {description.length}/{playlistDescriptionMaxLength} characters
        {tooLong ? ` — ${description.length - playlistDescriptionMaxLength} too many` : ''}
      </p>
      <div className="hero-actions">
        <button type="submit" className="btn btn-primary" disabled={saving || tooLong || !name.trim()}>
          Save
        </button>
        <button type="button" className="btn btn-ghost" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Play all, edit, visibility, radio, offline, delete (with a confirmation). */
function PlaylistActions(props: {
  playlist: Playlist;
  onEdit: () => void;
  confirmDelete: boolean;
  onConfirmDeleteChange: (confirm: boolean) => void;
}): ReactElement {
  const { playlist } = props;
  const playlists = usePlaylistsActions();
  const ui = useUiActions();
  return (
    <div className="hero-actions">
      <button
        type="button"
        className="btn btn-primary"
        disabled={playlist.tracks.length === 0}
        onClick={() => void playlists.play(playlist, 0)}
      >
        <Icon name="play" size={16} /> Play all
      </button>
      <button type="button" className="btn" onClick={props.onEdit}>
        <Icon name="edit" size={16} /> Edit details
      </button>
      <label className="select-field">
        <span>Visibility</span>
        <select
          value={playlist.visibility}
          onChange={(e) =>
            void playlists.update(playlist.id, {
              visibility: e.currentTarget.value === 'public' ? 'public' : 'private',
            })
          }
        >
          <option value="private">Private</option>
          <option value="public">Public</option>
        </select>
      </label>
      <button
        type="button"
        className="btn"
        onClick={() => ui.navigate({ name: 'radio', playlistId: playlist.id })}
      >
        <Icon name="radio" size={16} /> Radio
      </button>
      <MakeAvailableOffline target={{ playlistId: playlist.id }} />
      {props.confirmDelete ? (
        <span className="confirm">
          Delete “{playlist.name}”?{' '}
          <button
            type="button"
            className="btn btn-danger btn-small"
            onClick={() => {
              void playlists.remove(playlist.id);
              ui.navigate({ name: 'playlists' });
            }}
          >
            Delete
          </button>{' '}
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => props.onConfirmDeleteChange(false)}
          >
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="btn btn-ghost" onClick={() => props.onConfirmDeleteChange(true)}>
          Delete playlist
        </button>
      )}
    </div>
  );
}

/** The tracks, virtualised: a playlist may hold 10,000 of them. Reorder by drag or Shift+Alt+↑/↓. */
function PlaylistTracks({ playlist }: { playlist: Playlist }): ReactElement {
  const playlists = usePlaylistsActions();
  const ui = useUiActions();
  const currentTrackId = useCurrentTrackId();
  const last = playlist.tracks.length - 1;
  const reorder = useMemo<ListReorder<PlaylistTrackView>>(
    () => ({
      move: (from, to) => {
        const t = playlist.tracks[from];
        if (t) void playlists.moveTrack(playlist.id, t.playlistTrackId, to + 1);
      },
      describe: (t, to, count) => `Moved ${t.title} to position ${to + 1} of ${count}`,
    }),
    [playlist, playlists],
  );
  return (
    <VirtualList<PlaylistTrackView>
      items={playlist.tracks}
      rowHeight={60}
      label="Playlist tracks"
      getKey={(t) => t.playlistTrackId}
      rowDeps={currentTrackId}
      reorder={reorder}
      onRowContextMenu={(t, _index, at) =>
        ui.openContextMenu(
          {
            kind: 'track',
            track: entryAsTrack(t),
            playlist: { playlistId: playlist.id, playlistTrackId: t.playlistTrackId, name: playlist.name },
          },
          at,
        )
      }
      renderRow={(t, index, scrolling) => (
        <PlaylistTrackRow
          track={t}
          index={index}
          current={t.trackId === currentTrackId}
          canMoveDown={index !== last}
          scrolling={scrolling}
          onPlay={() => void playlists.play(playlist, index)}
          onMove={(delta) => void playlists.moveTrack(playlist.id, t.playlistTrackId, index + 1 + delta)}
          onRemove={() => void playlists.removeTrack(playlist.id, t.playlistTrackId)}
        />
      )}
    />
  );
}

/** A playlist entry as a track for the menu (the catalogue fills in artist and release ids when asked). */
function entryAsTrack(t: PlaylistTrackView): TrackView {
  const track: TrackView = {
    id: t.trackId,
    title: t.title,
    artist: { id: `name:${t.artist || 'unknown'}`, name: t.artist },
  };
  if (t.durationSec !== undefined) track.durationSec = t.durationSec;
  return track;
}

/**
 * One entry: play, title and artist, duration, move up/down, remove. The move buttons stay
 * enabled while a change is saved (a disabled button drops the keyboard focus to the page);
 * moves wait their turn in the store.
 */
function PlaylistTrackRow(props: {
  track: PlaylistTrackView;
  index: number;
  current: boolean;
  canMoveDown: boolean;
  scrolling: boolean;
  onPlay: () => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}): ReactElement {
  const { track: t, index } = props;
  const unavailable = useUnavailableOffline(t.trackId);
  return (
    <div
      className={`track-row${props.current ? ' is-current' : ''}${unavailable ? ' is-unavailable' : ''}`}
      aria-disabled={unavailable || undefined}
    >
      <button
        type="button"
        className="icon-btn track-play"
        aria-label={`Play ${t.title}`}
        disabled={unavailable}
        onClick={props.onPlay}
      >
        <span className="track-number" aria-hidden="true">
          {index + 1}
        </span>
        <Icon name="play" size={16} />
      </button>
      {/* Artwork loads once scrolling pauses: each image is a document to load and decode. */}
      <Artwork src={props.scrolling ? undefined : t.image} title={t.title} size={40} />
      <div className="track-text">
        <span className="track-title">{t.title}</span>
        <span className="track-artist-static">{t.artist}</span>
      </div>
      {unavailable ? <span className="track-unavailable">Not available offline</span> : null}
      <div className="track-actions always">
        <button
          type="button"
          className="icon-btn"
          aria-label={`Move ${t.title} up`}
          disabled={index === 0}
          onClick={() => props.onMove(-1)}
        >
          <Icon name="up" size={16} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={`Move ${t.title} down`}
          disabled={!props.canMoveDown}
          onClick={() => props.onMove(1)}
        >
          <Icon name="down" size={16} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={`Remove ${t.title} from playlist`}
          onClick={props.onRemove}
        >
          <Icon name="trash" size={16} />
        </button>
      </div>
      <span className="track-duration">{t.durationSec !== undefined ? formatTime(t.durationSec) : ''}</span>
    </div>
  );
}
