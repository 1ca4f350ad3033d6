import { operations } from './operations.gen.js';

export { operations };
export type Operation = (typeof operations)[number];
export type OperationId = Operation['operationId'];
export type AuthKind = Operation['auth'];

const byId = new Map<string, Operation>(operations.map((op) => [op.operationId, op]));

export function getOperation(operationId: string): Operation | undefined {
  return byId.get(operationId);
}

/**
 * The real service's playlist routes that the spec lacks (notes §7.7), served by the emulator
 * and called by the client as documented extensions. Not counted among the 46.
 */
export const playlistExtensionOperations = [
  { operationId: 'getPlaylist', method: 'GET', path: '/playlists/{playlistId}', auth: 'twoLegged' },
  { operationId: 'deletePlaylist', method: 'DELETE', path: '/playlists/{playlistId}', auth: 'twoLegged' },
  {
    operationId: 'removePlaylistTrack',
    method: 'DELETE',
    path: '/playlists/{playlistId}/tracks/{playlistTrackId}',
    auth: 'twoLegged',
  },
  {
    operationId: 'movePlaylistTrack',
    method: 'POST',
    path: '/playlists/{playlistId}/tracks/{playlistTrackId}/move',
    auth: 'twoLegged',
  },
] as const;
