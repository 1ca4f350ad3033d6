import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { Artwork } from '../../components/artwork.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { usePlaylistList, usePlaylistsActions } from '../../stores/playlists.js';
import { useUiActions } from '../../stores/ui.js';

export function PlaylistsView(): ReactElement {
  const playlists = usePlaylistsActions();
  const ui = useUiActions();
  const list = usePlaylistList();
  const [name, setName] = useState('');
  useEffect(() => {
    void playlists.loadList();
  }, [playlists]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    const view = await playlists.create({ name: trimmed });
    if (view) {
      setName('');
      ui.navigate({ name: 'playlist', playlistId: view.id });
    }
  };

  return (
    <section className="view" aria-labelledby="playlists-title">
      <header className="view-header">
        <h1 id="playlists-title">Playlists</h1>
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <label className="visually-hidden" htmlFor="new-playlist-name">
            New playlist name
          </label>
          <input
            id="new-playlist-name"
            placeholder="New playlist name"
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" className="btn btn-primary" disabled={!name.trim()}>
            <Icon name="plus" size={16} /> Create playlist
          </button>
        </form>
      </header>
      {list.status === 'error' ? (
        <ErrorState message={list.message} onRetry={() => void playlists.loadList()} />
      ) : list.status !== 'ready' ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <Empty title="No playlists yet">
          Create one above, then add tracks from anywhere with “Add to playlist”.
        </Empty>
      ) : (
        <ul className="grid" aria-label="Your playlists">
          {list.data.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="card"
                onClick={() => ui.navigate({ name: 'playlist', playlistId: p.id })}
              >
                <Artwork title={p.name} size={168} />
                <span className="card-title">{p.name}</span>
                <span className="card-sub">
                  {p.trackCount} track{p.trackCount === 1 ? '' : 's'} · {p.visibility}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
