import { useEffect, useRef, useState, type ReactElement } from 'react';
import { useSlice, useStores } from '../../app/stores-context.js';
import { Icon } from '../../components/icons.js';
import { Loading } from '../../components/states.js';

/** Modal dialog: pick a playlist (or create one) for the tracks in ui.addToPlaylist. */
export function AddToPlaylistDialog(): ReactElement | null {
  const stores = useStores();
  const tracks = useSlice(
    (s) => s.ui,
    (s) => s.addToPlaylist,
  );
  const list = useSlice(
    (s) => s.playlists,
    (s) => s.list,
  );
  const [name, setName] = useState('');
  const ref = useRef<HTMLDialogElement>(null);
  const open = tracks !== null;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      void stores.playlists.getState().loadList();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, stores]);

  const close = () => stores.ui.getState().closeAddToPlaylist();
  const add = async (playlistId: string) => {
    if (!tracks) return;
    close();
    await stores.playlists.getState().addTracks(playlistId, tracks);
  };
  const createWith = async () => {
    if (!tracks || !name.trim()) return;
    close();
    await stores.playlists.getState().create({ name: name.trim(), tracks });
    setName('');
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="add-to-playlist-title" onClose={close}>
      {open ? (
        <>
          <header className="panel-header">
            <h2 id="add-to-playlist-title">
              Add {tracks?.length === 1 ? `“${tracks[0]?.title}”` : `${tracks?.length ?? 0} tracks`} to a
              playlist
            </h2>
            <div className="spacer" />
            <button type="button" className="icon-btn" aria-label="Close" onClick={close}>
              <Icon name="close" size={18} />
            </button>
          </header>
          {list.status === 'ready' ? (
            <ul className="dialog-list" aria-label="Playlists">
              {list.data.map((p) => (
                <li key={p.id}>
                  <button type="button" className="dialog-item" onClick={() => void add(p.id)}>
                    <Icon name="playlist" size={18} /> {p.name}{' '}
                    <span className="muted">· {p.trackCount}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <Loading />
          )}
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void createWith();
            }}
          >
            <label className="visually-hidden" htmlFor="dialog-new-playlist">
              New playlist name
            </label>
            <input
              id="dialog-new-playlist"
              placeholder="New playlist name"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <button type="submit" className="btn" disabled={!name.trim()}>
              Create and add
            </button>
          </form>
        </>
      ) : null}
    </dialog>
  );
}
