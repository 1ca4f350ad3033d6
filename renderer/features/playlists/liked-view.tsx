// "Liked songs": the listener's private playlist of liked tracks, shown like any playlist once it
// exists; until the first like, a word on how to like a track.
import type { ReactElement } from 'react';
import { Empty } from '../../components/states.js';
import { useLikedPlaylistId } from '../../stores/liked.js';
import { PlaylistView } from './playlist-view.js';

export function LikedView(): ReactElement {
  const playlistId = useLikedPlaylistId();
  if (playlistId) return <PlaylistView playlistId={playlistId} />;
  return (
    <section className="view" aria-labelledby="liked-title">
      <header className="view-header">
        <h1 id="liked-title">Liked songs</h1>
      </header>
      <Empty title="No liked songs yet">
        Press the heart in the player, or open a track’s menu (right-click, or Shift+F10) and choose “Add to
        Liked songs”. They are kept as a private playlist, on every device you sign in to.
      </Empty>
    </section>
  );
}
