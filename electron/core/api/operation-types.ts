// Argument and result types of the typed operation functions, derived from the generated
// OpenAPI types, so a spec change surfaces as a type error here and not as a runtime surprise.
import type { components, operations as SpecOperations } from '../../../shared/api/types.gen.js';
import type { OperationId } from '../../../shared/api/operations.js';
import type { OAuthToken } from './oauth.js';

type Spec<K extends OperationId> = SpecOperations[K];
type Params<K extends OperationId> = Spec<K>['parameters'];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Empty = {};

export type PathArgs<K extends OperationId> =
  Params<K> extends { path: infer P } ? NonEmptyOr<NonNullable<P>> : Empty;
type NonEmptyOr<T> = [T] extends [never] ? Empty : T extends object ? T : Empty;
export type QueryArgs<K extends OperationId> =
  Params<K> extends { query?: infer Q } ? NonEmptyOr<NonNullable<Q>> : Empty;
export type RequestBody<K extends OperationId> =
  Spec<K> extends { requestBody: { content: infer C } } ? C[keyof C] : never;
type BodyArgs<K extends OperationId> = [RequestBody<K>] extends [never] ? Empty : { body: RequestBody<K> };

/** Options every operation accepts besides its own parameters. */
export type CommonArgs = {
  /**
   * The listener the call acts for. On 3-legged operations without an access token the call is
   * signed 2-legged with userId in the query (managed users, notes §1.2).
   */
  userId?: string;
  /** Access token to sign with (3-legged), overriding the client's getUserToken. null forces 2-legged. */
  token?: OAuthToken | null;
  /** Query parameters the spec does not list but the service accepts (country, formatId, clientId…). */
  extraQuery?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
};

export type OperationArgs<K extends OperationId> = PathArgs<K> & QueryArgs<K> & BodyArgs<K> & CommonArgs;

type Responses<K extends OperationId> = Spec<K>['responses'];
type OkStatus<K extends OperationId> = Extract<keyof Responses<K>, 200 | 201 | 202 | 204>;
type OkContent<K extends OperationId> = Responses<K>[OkStatus<K>] extends { content: infer C }
  ? C
  : undefined;

/** Parsed credit-item (sale) XML: `<response status="ok"><purchase id="…">…` */
export type XmlDocument = Record<string, unknown>;

/**
 * JSON → the schema type; XML → the parsed document; an HLS manifest → its text; audio/zip →
 * the Response (stream its body, or cancel it); no content → whatever JSON the service sent, if any.
 */
export type OperationResult<K extends OperationId> =
  OkContent<K> extends { 'application/json': infer J }
    ? J
    : OkContent<K> extends { 'application/xml': unknown }
      ? XmlDocument
      : OkContent<K> extends { 'application/vnd.apple.mpegurl': unknown }
        ? string
        : OkContent<K> extends object
          ? Response
          : unknown;

type ArgsTuple<A> = Empty extends A ? [args?: A] : [args: A];

export type OperationFunctions = {
  [K in OperationId]: (...args: ArgsTuple<OperationArgs<K>>) => Promise<OperationResult<K>>;
};

type Playlist = components['schemas']['Playlist'];

/** The playlist routes of the real service that the spec lacks (shared/api/operations.ts). */
export type PlaylistExtensionFunctions = {
  getPlaylist(args: { playlistId: string } & CommonArgs): Promise<Playlist>;
  deletePlaylist(args: { playlistId: string } & CommonArgs): Promise<unknown>;
  removePlaylistTrack(args: { playlistId: string; playlistTrackId: string } & CommonArgs): Promise<Playlist>;
  /** Places the track after `after` (a playlistTrackId; "0" = first). */
  movePlaylistTrack(
    args: { playlistId: string; playlistTrackId: string; after: string } & CommonArgs,
  ): Promise<Playlist>;
};
