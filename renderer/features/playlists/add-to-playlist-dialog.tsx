import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Icon } from '../../components/icons.js';
import { Loading } from '../../components/states.js';
import { usePlaylistList, usePlaylistsActions } from '../../stores/playlists.js';
import { useAddToPlaylistTracks, useUiActions } from '../../stores/ui.js';

/** Modal dialog: pick a playlist (or create one) for the tracks in ui.addToPlaylist. */
export function AddToPlaylistDialog(): ReactElement | null {
  const ui = useUiActions();
  const playlists = usePlaylistsActions();
  const tracks = useAddToPlaylistTracks();
  const [name, setName] = useState('');
  const ref = useRef<HTMLDialogElement>(null);
  const open = tracks !== null;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      void playlists.loadList();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, playlists]);

  const close = () => ui.closeAddToPlaylist();
  const add = async (playlistId: string) => {
    if (!tracks) return;
    close();
    await playlists.addTracks(playlistId, tracks);
  };
  const createWith = async () => {
    if (!tracks || !name.trim()) return;
    close();
    await playlists.create({ name: name.trim(), tracks });
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
          <PlaylistChoices onPick={(playlistId) => void add(playlistId)} />
          <NewPlaylistForm name={name} onNameChange={setName} onCreate={() => void createWith()} />
        </>
      ) : null}
    </dialog>
  );
}

function PlaylistChoices({ onPick }: { onPick: (playlistId: string) => void }): ReactElement {
  const list = usePlaylistList();
  if (list.status !== 'ready') return <Loading />;
  return (
    <ul className="dialog-list" aria-label="Playlists">
      {list.data.map((p) => (
        <li key={p.id}>
          <button type="button" className="dialog-item" onClick={() => onPick(p.id)}>
            <Icon name="playlist" size={18} /> {p.name} <span className="muted">· {p.trackCount}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function NewPlaylistForm(props: {
  name: string;
  onNameChange: (name: string) => void;
  onCreate: () => void;
}): ReactElement {
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onCreate();
      }}
    >
      <label className="visually-hidden" htmlFor="dialog-new-playlist">
        New playlist name
      </label>
      <input
        id="dialog-new-playlist"
        placeholder="New playlist name"
        value={props.name}
        maxLength={200}
        onChange={(e) => props.onNameChange(e.currentTarget.value)}
      />
      <button type="submit" className="btn" disabled={!props.name.trim()}>
        Create and add
      </button>
    </form>
  );
}
