// playlists:* — the listener's playlists: list, read, create, edit, reorder, delete.
import { AppError } from '../../../shared/errors.js';
import {
  compact,
  toPage,
  toPlaylistSummary,
  toPlaylistTrackInput,
  toPlaylistView,
} from '../../../shared/ipc/views.js';
import type { ApiClient } from '../api/client.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export function playlistHandlers(deps: {
  api: ApiClient;
  session: Pick<SessionService, 'require'>;
}): HandlersOf<'playlists'> {
  const { api, session } = deps;
  return {
    'playlists:list': async ({ page, pageSize }) => {
      const current = session.require();
      const list = await api.listPlaylists({ userId: current.userId, page, pageSize });
      return toPage(list, compact(list.playlists, toPlaylistSummary), { page, pageSize });
    },
    'playlists:get': async ({ playlistId }) => playlistView(await api.getPlaylist({ playlistId })),
    'playlists:create': async (arg) => {
      const current = session.require();
      const created = await api.createPlaylist({
        userId: current.userId,
        body: {
          name: arg.name,
          visibility: arg.visibility,
          ...(arg.description !== undefined ? { description: arg.description } : {}),
          ...(arg.tracks ? { tracks: arg.tracks.map(toPlaylistTrackInput) } : {}),
        },
      });
      return playlistView(created);
    },
    'playlists:update': async ({ playlistId, ...changes }) => {
      session.require();
      const body = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      await api.updatePlaylistDetails({ playlistId, body });
      return playlistView(await api.getPlaylist({ playlistId }));
    },
    'playlists:addTracks': async ({ playlistId, tracks }) => {
      session.require();
      const updated = await api.addTracksToPlaylist({
        playlistId,
        body: { tracks: tracks.map(toPlaylistTrackInput) },
      });
      return playlistView(updated);
    },
    'playlists:removeTrack': async ({ playlistId, playlistTrackId }) => {
      session.require();
      return playlistView(await api.removePlaylistTrack({ playlistId, playlistTrackId }));
    },
    'playlists:moveTrack': async ({ playlistId, playlistTrackId, toPosition }) => {
      session.require();
      const playlist = playlistView(await api.getPlaylist({ playlistId }));
      const rest = playlist.tracks.filter((t) => t.playlistTrackId !== playlistTrackId);
      if (rest.length === playlist.tracks.length)
        throw new AppError({ code: 'not_found', message: 'That track is not in the playlist.' });
      const index = Math.min(Math.max(toPosition - 1, 0), rest.length);
      const after = index === 0 ? '0' : (rest[index - 1]?.playlistTrackId ?? '0');
      return playlistView(await api.movePlaylistTrack({ playlistId, playlistTrackId, after }));
    },
    'playlists:delete': async ({ playlistId }) => {
      session.require();
      await api.deletePlaylist({ playlistId });
      return null;
    },
  };
}

function playlistView(playlist: Parameters<typeof toPlaylistView>[0]) {
  const view = toPlaylistView(playlist);
  if (!view) throw new AppError({ code: 'malformed_response', message: 'The playlist has no id.' });
  return view;
}
