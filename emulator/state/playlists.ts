// Playlists (owned by a consumer key, optionally for one listener) and their ordered tracks.
import { randomToken, type StoreContext } from './store-context.js';

export type PlaylistRow = {
  id: string;
  ownerKey: string;
  userId: string | null;
  name: string;
  description: string | null;
  visibility: 'private' | 'public';
  createdAt: number;
  modifiedAt: number;
};
/** What a caller gives for a track it adds (title and artist filled from the catalogue). */
export type PlaylistTrackInputRow = {
  trackId: string;
  title: string;
  artist: string;
  source: string | null;
  audioUrl: string | null;
  image: string | null;
};
export type PlaylistTrackRow = PlaylistTrackInputRow & {
  /** The playlistTrackId. */
  id: number;
  playlistId: string;
  position: number;
  addedAt: number;
};

const playlistColumns =
  'id, owner_key AS ownerKey, user_id AS userId, name, description, visibility, created_at AS createdAt, modified_at AS modifiedAt';

export type PlaylistStore = ReturnType<typeof createPlaylistStore>;

export function createPlaylistStore({ db, now }: StoreContext) {
  // Long by design (over 80 lines): a createX factory whose closure holds the prepared statements; each inner function is short.
  const q = {
    playlist: db.prepare(`SELECT ${playlistColumns} FROM playlists WHERE id = ?`),
    playlistsForUser: db.prepare(
      `SELECT ${playlistColumns} FROM playlists WHERE owner_key = ? AND user_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?`,
    ),
    countPlaylistsForUser: db.prepare(
      'SELECT COUNT(*) AS n FROM playlists WHERE owner_key = ? AND user_id = ?',
    ),
    playlistsForPartner: db.prepare(
      `SELECT ${playlistColumns} FROM playlists WHERE owner_key = ? AND user_id IS NULL ORDER BY created_at, id LIMIT ? OFFSET ?`,
    ),
    countPlaylistsForPartner: db.prepare(
      'SELECT COUNT(*) AS n FROM playlists WHERE owner_key = ? AND user_id IS NULL',
    ),
    insertPlaylist: db.prepare(
      'INSERT INTO playlists (id, owner_key, user_id, name, description, visibility, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updatePlaylist: db.prepare(
      'UPDATE playlists SET name = ?, description = ?, visibility = ?, modified_at = ? WHERE id = ?',
    ),
    touchPlaylist: db.prepare('UPDATE playlists SET modified_at = ? WHERE id = ?'),
    deletePlaylist: db.prepare('DELETE FROM playlists WHERE id = ?'),
    deletePlaylistTracks: db.prepare('DELETE FROM playlist_tracks WHERE playlist_id = ?'),
    playlistTracks: db.prepare(
      'SELECT id, playlist_id AS playlistId, position, track_id AS trackId, title, artist, source, audio_url AS audioUrl, image, added_at AS addedAt FROM playlist_tracks WHERE playlist_id = ? ORDER BY position',
    ),
    insertPlaylistTrack: db.prepare(
      'INSERT INTO playlist_tracks (playlist_id, position, track_id, title, artist, source, audio_url, image, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    deletePlaylistTrack: db.prepare('DELETE FROM playlist_tracks WHERE id = ? AND playlist_id = ?'),
    setTrackPosition: db.prepare('UPDATE playlist_tracks SET position = ? WHERE id = ?'),
  };

  function getPlaylist(playlistId: string): PlaylistRow | null {
    return (q.playlist.get(playlistId) as PlaylistRow | undefined) ?? null;
  }
  function playlistTracks(playlistId: string): PlaylistTrackRow[] {
    return q.playlistTracks.all(playlistId) as PlaylistTrackRow[];
  }
  function insertTrack(playlistId: string, position: number, t: PlaylistTrackInputRow, at: number) {
    q.insertPlaylistTrack.run(
      playlistId,
      position,
      t.trackId,
      t.title,
      t.artist,
      t.source,
      t.audioUrl,
      t.image,
      at,
    );
  }

  return {
    getPlaylist,
    playlistTracks,
    listPlaylists(
      ownerKey: string,
      userId: string | null,
      page: number,
      pageSize: number,
    ): { rows: PlaylistRow[]; total: number } {
      const offset = (page - 1) * pageSize;
      if (userId !== null) {
        return {
          rows: q.playlistsForUser.all(ownerKey, userId, pageSize, offset) as PlaylistRow[],
          total: (q.countPlaylistsForUser.get(ownerKey, userId) as { n: number }).n,
        };
      }
      return {
        rows: q.playlistsForPartner.all(ownerKey, pageSize, offset) as PlaylistRow[],
        total: (q.countPlaylistsForPartner.get(ownerKey) as { n: number }).n,
      };
    },
    createPlaylist: db.transaction(
      (input: {
        ownerKey: string;
        userId: string | null;
        name: string;
        description: string | null;
        visibility: 'private' | 'public';
        tracks: PlaylistTrackInputRow[];
      }): PlaylistRow => {
        const id = randomToken(12);
        const at = now();
        q.insertPlaylist.run(
          id,
          input.ownerKey,
          input.userId,
          input.name,
          input.description,
          input.visibility,
          at,
          at,
        );
        input.tracks.forEach((t, i) => insertTrack(id, i + 1, t, at));
        return getPlaylist(id) as PlaylistRow;
      },
    ),
    updatePlaylist(
      playlistId: string,
      patch: { name: string; description: string | null; visibility: 'private' | 'public' },
    ) {
      q.updatePlaylist.run(patch.name, patch.description, patch.visibility, now(), playlistId);
    },
    addPlaylistTracks: db.transaction((playlistId: string, tracks: PlaylistTrackInputRow[]) => {
      const at = now();
      const start = playlistTracks(playlistId).length;
      tracks.forEach((t, i) => insertTrack(playlistId, start + i + 1, t, at));
      q.touchPlaylist.run(at, playlistId);
    }),
    removePlaylistTrack: db.transaction((playlistId: string, playlistTrackId: number): boolean => {
      if (q.deletePlaylistTrack.run(playlistTrackId, playlistId).changes !== 1) return false;
      playlistTracks(playlistId).forEach((t, i) => q.setTrackPosition.run(i + 1, t.id));
      q.touchPlaylist.run(now(), playlistId);
      return true;
    }),
    /** Moves a track so it sits right after `afterId` (0 = to the front). */
    movePlaylistTrack: db.transaction(
      (playlistId: string, playlistTrackId: number, afterId: number): boolean => {
        const rows = playlistTracks(playlistId);
        const moving = rows.find((t) => t.id === playlistTrackId);
        if (!moving) return false;
        const rest = rows.filter((t) => t.id !== playlistTrackId);
        const index = afterId === 0 ? 0 : rest.findIndex((t) => t.id === afterId) + 1;
        if (afterId !== 0 && index === 0) return false;
        rest.splice(index, 0, moving);
        rest.forEach((t, i) => q.setTrackPosition.run(i + 1, t.id));
        q.touchPlaylist.run(now(), playlistId);
        return true;
      },
    ),
    deletePlaylist: db.transaction((playlistId: string) => {
      q.deletePlaylistTracks.run(playlistId);
      q.deletePlaylist.run(playlistId);
    }),
  };
}
