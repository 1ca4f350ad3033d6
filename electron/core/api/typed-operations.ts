// A typed function per operation (searchTracks({ q, page }) …): named arguments sorted into the
// path, the query and the call options, then sent through the client's generic call().
import { operations } from '../../../shared/api/operations.js';
import type { OAuthToken } from './oauth.js';
import type { OperationFunctions, PlaylistExtensionFunctions } from './operation-types.js';
import { lookupOperation, type CallOptions, type QueryValue } from './prepare-request.js';

const reserved = new Set(['body', 'userId', 'token', 'extraQuery', 'signal', 'timeoutMs']);

export function createTypedOperations(call: (operationId: string, options: CallOptions) => Promise<unknown>) {
  function typedCall(operationId: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const op = lookupOperation(operationId);
    const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const path: Record<string, string | number> = {};
    const query: Record<string, QueryValue> = {};
    for (const [name, value] of Object.entries(args)) {
      if (pathNames.includes(name)) path[name] = value as string | number;
      if (name === 'userId' && op.query.some((q) => q.name === 'userId')) query.userId = value as string;
      if (reserved.has(name) || pathNames.includes(name)) continue;
      query[name] = value as QueryValue;
    }
    Object.assign(query, args.extraQuery as Record<string, QueryValue> | undefined);
    const callOptions: CallOptions = { path, query };
    if ('body' in args) callOptions.body = args.body;
    if (typeof args.userId === 'string') callOptions.userId = args.userId;
    if (args.token !== undefined) callOptions.token = args.token as OAuthToken | null;
    if (args.signal) callOptions.signal = args.signal as AbortSignal;
    if (typeof args.timeoutMs === 'number') callOptions.timeoutMs = args.timeoutMs;
    return call(operationId, callOptions);
  }

  const ops = Object.fromEntries(
    operations.map((op) => [
      op.operationId,
      (args?: Record<string, unknown>) => typedCall(op.operationId, args),
    ]),
  ) as unknown as OperationFunctions;

  const playlistExtensions: PlaylistExtensionFunctions = {
    getPlaylist: (args) =>
      typedCall('getPlaylist', args) as ReturnType<PlaylistExtensionFunctions['getPlaylist']>,
    deletePlaylist: (args) => typedCall('deletePlaylist', args),
    removePlaylistTrack: (args) =>
      typedCall('removePlaylistTrack', args) as ReturnType<PlaylistExtensionFunctions['removePlaylistTrack']>,
    movePlaylistTrack: ({ after, ...rest }) =>
      typedCall('movePlaylistTrack', { ...rest, body: { pos: after } }) as ReturnType<
        PlaylistExtensionFunctions['movePlaylistTrack']
      >,
  };

  return { typedCall, ops, playlistExtensions };
}
