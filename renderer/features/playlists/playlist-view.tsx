import { useEffect, useState, type ReactElement } from 'react';
import {
  playlistDescriptionMaxLength,
  type PlaylistTrackView,
  type PlaylistView as Playlist,
} from '../../../shared/ipc/contract.js';
import { useSlice, useStores } from '../../app/stores-context.js';
import { Artwork } from '../../components/artwork.js';
import { countOf } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { VirtualList } from '../../components/virtual-list.js';
import { playlistTracksAsTrackViews } from '../../stores/playlists.js';
import { MakeAvailableOffline } from '../offline/make-available-offline.js';

export function PlaylistView({ playlistId }: { playlistId: string }): ReactElement {
  const stores = useStores();
  const current = useSlice(
    (s) => s.playlists,
    (s) => s.current,
  );
  useEffect(() => {
    const { current: shown, open } = stores.playlists.getState();
    if (!(shown.status === 'ready' && shown.data.id === playlistId)) {
      void open(playlistId);
      return;
    }
    // Already loaded: paint it first, then refresh it (the fetch of a big playlist would
    // otherwise compete with the first frame for the CPU).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => void open(playlistId), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [playlistId, stores]);
  if (current.status === 'error')
    return (
      <ErrorState
        message={current.message}
        onRetry={() => void stores.playlists.getState().open(playlistId)}
      />
    );
  if (current.status !== 'ready' || current.data.id !== playlistId) return <Loading />;
  return <PlaylistEditor key={current.data.id} playlist={current.data} />;
}

function PlaylistEditor({ playlist }: { playlist: Playlist }): ReactElement {
  const stores = useStores();
  const actions = stores.playlists.getState();
  const saving = useSlice(
    (s) => s.playlists,
    (s) => s.saving,
  );
  const currentTrackId = useSlice(
    (s) => s.player,
    (s) => s.radioTrack?.id ?? s.queue.items[s.queue.index]?.track.id,
  );
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(playlist.name);
  const [description, setDescription] = useState(playlist.description ?? '');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const tooLong = description.length > playlistDescriptionMaxLength;

  const play = async (start: number) => {
    const tracks = await playlistTracksAsTrackViews(stores.ipc, playlist);
    await stores.player.getState().playTracks(tracks, start);
  };
  const save = async () => {
    if (tooLong || !name.trim()) return;
    if (await actions.update(playlist.id, { name: name.trim(), description })) setEditing(false);
  };
  const move = (t: PlaylistTrackView, index: number, delta: number) =>
    void actions.moveTrack(playlist.id, t.playlistTrackId, index + 1 + delta);

  return (
    <section className="view view-fill" aria-labelledby="playlist-title">
      <header className="hero hero-compact">
        <Artwork title={playlist.name} size={132} />
        <div className="hero-text">
          <p className="eyebrow">
            {playlist.visibility === 'public' ? 'Public playlist' : 'Private playlist'} ·{' '}
            {countOf(playlist.tracks.length, 'track')}
          </p>
          {editing ? (
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
                  onChange={(e) => setName(e.currentTarget.value)}
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
                  onChange={(e) => setDescription(e.currentTarget.value)}
                />
              </label>
              <p
                id="description-count"
                className={`char-count${tooLong ? ' is-over' : ''}`}
                aria-live="polite"
              >
                {description.length}/{playlistDescriptionMaxLength} characters
                {tooLong ? ` — ${description.length - playlistDescriptionMaxLength} too many` : ''}
              </p>
              <div className="hero-actions">
                <button
                  type="submit"
                  className="btn btn-primary"
                  disabled={saving || tooLong || !name.trim()}
                >
                  Save
                </button>
                <button
                  type="button"
                  className="btn btn-ghost"
                  onClick={() => {
                    setEditing(false);
                    setName(playlist.name);
                    setDescription(playlist.description ?? '');
                  }}
                >
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <>
              <h1 id="playlist-title">{playlist.name}</h1>
              {playlist.description ? <p className="hero-sub">{playlist.description}</p> : null}
              <div className="hero-actions">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={playlist.tracks.length === 0}
                  onClick={() => void play(0)}
                >
                  <Icon name="play" size={16} /> Play all
                </button>
                <button type="button" className="btn" onClick={() => setEditing(true)}>
                  <Icon name="edit" size={16} /> Edit details
                </button>
                <label className="select-field">
                  <span>Visibility</span>
                  <select
                    value={playlist.visibility}
                    onChange={(e) =>
                      void actions.update(playlist.id, {
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
                  onClick={() => stores.ui.getState().navigate({ name: 'radio', playlistId: playlist.id })}
                >
                  <Icon name="radio" size={16} /> Radio
                </button>
                <MakeAvailableOffline target={{ playlistId: playlist.id }} />
                {confirmDelete ? (
                  <span className="confirm">
                    Delete “{playlist.name}”?{' '}
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      onClick={() => {
                        void actions.remove(playlist.id);
                        stores.ui.getState().navigate({ name: 'playlists' });
                      }}
                    >
                      Delete
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      onClick={() => setConfirmDelete(false)}
                    >
                      Keep
                    </button>
                  </span>
                ) : (
                  <button type="button" className="btn btn-ghost" onClick={() => setConfirmDelete(true)}>
                    Delete playlist
                  </button>
                )}
              </div>
            </>
          )}
        </div>
      </header>
      <div className="view-body">
        {playlist.tracks.length === 0 ? (
          <Empty title="This playlist is empty">
            Add tracks from search, a release or your locker with “Add to playlist”.
          </Empty>
        ) : (
          <VirtualList<PlaylistTrackView>
            items={playlist.tracks}
            rowHeight={60}
            label="Playlist tracks"
            getKey={(t) => t.playlistTrackId}
            rowDeps={`${currentTrackId ?? ''}|${saving}`}
            renderRow={(t, index, scrolling) => (
              <div className={`track-row${t.trackId === currentTrackId ? ' is-current' : ''}`}>
                <button
                  type="button"
                  className="icon-btn track-play"
                  aria-label={`Play ${t.title}`}
                  onClick={() => void play(index)}
                >
                  <span className="track-number" aria-hidden="true">
                    {index + 1}
                  </span>
                  <Icon name="play" size={16} />
                </button>
                {/* Artwork loads once scrolling pauses: each image is a document to load and decode. */}
                <Artwork src={scrolling ? undefined : t.image} title={t.title} size={40} />
                <div className="track-text">
                  <span className="track-title">{t.title}</span>
                  <span className="track-artist-static">{t.artist}</span>
                </div>
                <div className="track-actions always">
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={`Move ${t.title} up`}
                    disabled={index === 0 || saving}
                    onClick={() => move(t, index, -1)}
                  >
                    <Icon name="up" size={16} />
                  </button>
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={`Move ${t.title} down`}
                    disabled={index === playlist.tracks.length - 1 || saving}
                    onClick={() => move(t, index, 1)}
                  >
                    <Icon name="down" size={16} />
                  </button>
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={`Remove ${t.title} from playlist`}
                    disabled={saving}
                    onClick={() => void actions.removeTrack(playlist.id, t.playlistTrackId)}
                  >
                    <Icon name="trash" size={16} />
                  </button>
                </div>
              </div>
            )}
          />
        )}
      </div>
    </section>
  );
}
