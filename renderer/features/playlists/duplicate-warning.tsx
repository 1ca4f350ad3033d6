// Before tracks a playlist already holds are added again: the listener chooses to add them
// anyway, add only the new ones, or cancel. A modal alert dialog (focus stays inside it).
import { useEffect, useRef, type ReactElement } from 'react';
import { useDuplicatePrompt, usePlaylistsActions } from '../../stores/playlists.js';

export function DuplicateWarning(): ReactElement {
  const playlists = usePlaylistsActions();
  const prompt = useDuplicatePrompt();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (prompt && dialog && !dialog.open) dialog.showModal();
    if (!prompt && dialog?.open) dialog.close();
  }, [prompt]);
  const some = prompt !== null && prompt.duplicates.length < prompt.tracks.length;
  const what =
    prompt?.duplicates.length === 1
      ? `“${prompt.duplicates[0]?.title}” is`
      : `${prompt?.duplicates.length ?? 0} of these tracks are`;
  return (
    <dialog
      ref={ref}
      className="dialog"
      role="alertdialog"
      aria-labelledby="duplicate-title"
      aria-describedby="duplicate-text"
      onClose={() => void playlists.resolveDuplicates('cancel')}
    >
      {prompt ? (
        <div className="dialog-body">
          <h2 id="duplicate-title">Already in “{prompt.playlistName}”</h2>
          <p id="duplicate-text">
            {what} already in this playlist. Add {prompt.duplicates.length === 1 ? 'it' : 'them'} again?
          </p>
          <div className="hero-actions">
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void playlists.resolveDuplicates('addAll')}
            >
              Add anyway
            </button>
            {some ? (
              <button
                type="button"
                className="btn"
                onClick={() => void playlists.resolveDuplicates('addNew')}
              >
                Add only new tracks
              </button>
            ) : null}
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => void playlists.resolveDuplicates('cancel')}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
