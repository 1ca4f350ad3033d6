// Playlists: the spec's four operations plus the real service's get/delete/remove/move
// extensions (notes §7.7, rule 35). Playlists belong to the consumer key that created them.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EmulatorRequest, Router } from '../http.js';
import {
  formObject,
  invalidValue,
  notFound,
  parseBody,
  readJsonBody,
  readPaging,
  sendJson,
  sendNoContent,
} from '../http.js';
import type { PlaylistTrackInputRow } from '../state/playlists.js';
import type { RouteContext } from './context.js';

const uri = z
  .string()
  .max(2048)
  .refine((v) => URL.canParse(v), 'expected an absolute URI');

const PlaylistTrackInput = z.object({
  trackId: z.string().min(1).max(64),
  title: z.string().max(500).optional(),
  artist: z.string().max(500).optional(),
  source: z.string().max(64).optional(),
  audioUrl: uri.optional(),
  image: uri.optional(),
});
type PlaylistTrackInput = z.infer<typeof PlaylistTrackInput>;

const visibility = z.enum(['private', 'public']);
const CreatePlaylistRequest = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(100_000).optional(),
  visibility: visibility.optional(),
  tracks: z.array(PlaylistTrackInput).max(1000).optional(),
});
const UpdatePlaylistRequest = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(100_000).optional(),
  visibility: visibility.optional(),
});
const AddTracksRequest = z.object({ tracks: z.array(PlaylistTrackInput).max(1000) });
const MoveRequest = z.object({ pos: z.union([z.string().regex(/^\d{1,12}$/), z.number().int().min(0)]) });

export function registerPlaylistRoutes(router: Router, ctx: RouteContext): void {
  // Long by design (over 80 lines): a table of routes, one short entry per route.
  const { state, config, catalogue, views } = ctx;
  const truncate = (description: string | undefined) =>
    description === undefined ? undefined : description.slice(0, config.playlistDescriptionMax);

  const ownPlaylist = (req: EmulatorRequest) => {
    const playlist = state.getPlaylist(req.params.playlistId ?? '');
    if (!playlist || playlist.ownerKey !== req.auth.consumerKey) throw notFound('Playlist');
    return playlist;
  };
  const resolveTracks = (tracks: PlaylistTrackInput[]): PlaylistTrackInputRow[] =>
    tracks.map((input) => {
      const source = input.source ?? '7digital';
      const track = catalogue.tracks.get(input.trackId);
      if (!track && source === '7digital') throw notFound(`Track ${input.trackId.slice(0, 64)}`);
      if (!track && (input.title === undefined || input.artist === undefined)) {
        throw invalidValue('tracks', 'title and artist are required for tracks from another source');
      }
      return {
        trackId: input.trackId,
        title: input.title ?? track?.title ?? '',
        artist: input.artist ?? (track ? (catalogue.artistOf(track.artistId)?.name ?? '') : ''),
        source,
        audioUrl: input.audioUrl ?? null,
        image: input.image ?? null,
      };
    });
  const sendPlaylist = (res: ServerResponse, status: number, playlistId: string) => {
    const row = state.getPlaylist(playlistId);
    if (!row) throw notFound('Playlist');
    sendJson(res, status, views.playlist(state, row));
  };

  router.add('GET', '/playlists', (req, res) => {
    const p = readPaging(req.query, config.maxPageSize, config.defaultPageSize);
    const userId = req.query.get('userId');
    const { rows, total } = state.listPlaylists(
      req.auth.consumerKey,
      userId === '' ? null : userId,
      p.page,
      p.pageSize,
    );
    sendJson(res, 200, {
      status: 'ok',
      page: p.page,
      pageSize: p.pageSize,
      totalItems: total,
      playlists: rows.map((row) => views.playlist(state, row)),
    });
  });
  router.add('POST', '/playlists', (req, res) => {
    const body = parseBody(CreatePlaylistRequest, readJsonBody(req));
    const userId = req.query.get('userId');
    if (userId !== null && userId !== '' && !state.getUser(userId)) throw notFound('User');
    const row = state.createPlaylist({
      ownerKey: req.auth.consumerKey,
      userId: userId === '' ? null : userId,
      name: body.name,
      description: truncate(body.description) ?? null,
      visibility: body.visibility ?? 'private',
      tracks: resolveTracks(body.tracks ?? []),
    });
    sendPlaylist(res, 201, row.id);
  });
  router.add('GET', '/playlists/{playlistId}', (req, res) => {
    sendPlaylist(res, 200, ownPlaylist(req).id);
  });
  router.add('PUT', '/playlists/{playlistId}', (req, res) => {
    const playlist = ownPlaylist(req);
    const body = parseBody(UpdatePlaylistRequest, readJsonBody(req));
    state.updatePlaylist(playlist.id, {
      name: body.name ?? playlist.name,
      description:
        body.description !== undefined ? (truncate(body.description) ?? null) : playlist.description,
      visibility: body.visibility ?? playlist.visibility,
    });
    sendPlaylist(res, 200, playlist.id);
  });
  router.add('DELETE', '/playlists/{playlistId}', (req, res) => {
    state.deletePlaylist(ownPlaylist(req).id);
    sendNoContent(res);
  });
  router.add('POST', '/playlists/{playlistId}/tracks', (req, res) => {
    const playlist = ownPlaylist(req);
    const body = parseBody(AddTracksRequest, readJsonBody(req));
    state.addPlaylistTracks(playlist.id, resolveTracks(body.tracks));
    sendPlaylist(res, 200, playlist.id);
  });
  const playlistTrackId = (req: EmulatorRequest) => {
    const raw = req.params.playlistTrackId ?? '';
    if (!/^\d{1,12}$/.test(raw)) throw notFound('Playlist track');
    return Number(raw);
  };
  router.add('DELETE', '/playlists/{playlistId}/tracks/{playlistTrackId}', (req, res) => {
    const playlist = ownPlaylist(req);
    if (!state.removePlaylistTrack(playlist.id, playlistTrackId(req))) throw notFound('Playlist track');
    sendPlaylist(res, 200, playlist.id);
  });
  router.add('POST', '/playlists/{playlistId}/tracks/{playlistTrackId}/move', (req, res) => {
    const playlist = ownPlaylist(req);
    const id = playlistTrackId(req);
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    const raw =
      type === 'application/x-www-form-urlencoded'
        ? formObject(new URLSearchParams(req.body.toString('utf8')))
        : readJsonBody(req);
    const after = Number(parseBody(MoveRequest, raw).pos);
    if (!state.movePlaylistTrack(playlist.id, id, after)) throw notFound('Playlist track');
    sendPlaylist(res, 200, playlist.id);
  });
}
