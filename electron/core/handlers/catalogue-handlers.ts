// catalogue:* — search, browse, artist and release pages, track details (in the listener's country).
import { AppError } from '../../../shared/errors.js';
import type { ReleaseView } from '../../../shared/ipc/contract.js';
import { compact, toArtistView, toPage, toReleaseView, toTrackView } from '../../../shared/ipc/views.js';
import type { ApiClient } from '../api/client.js';
import { artistTopTracks } from '../catalogue/top-tracks.js';
import type { Connectivity } from '../connectivity.js';
import type { OwnedReleases } from '../locker/owned-releases.js';
import type { Logger } from '../logger.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export type CatalogueHandlerDeps = {
  api: ApiClient;
  session: Pick<SessionService, 'current'>;
  owned: OwnedReleases;
  connectivity: Pick<Connectivity, 'notice'>;
  country: () => string;
  log: Pick<Logger, 'warn'>;
};

export function catalogueHandlers(deps: CatalogueHandlerDeps): HandlersOf<'catalogue'> {
  // Long by design (over 80 lines): a table of channel handlers, one short entry per channel.
  const { api } = deps;
  const inCountry = () => ({ extraQuery: { country: deps.country() } });

  /** Whether the listener owns the release; a locker that cannot be read shows it as not owned. */
  const owns = (releaseId: string): Promise<boolean> =>
    deps.owned
      .ids()
      .then((ids) => ids.has(releaseId))
      .catch(async (error: unknown) => {
        await deps.connectivity.notice(error);
        deps.log.warn('could not read the locker for ownership', { error });
        return false;
      });

  return {
    'catalogue:searchArtists': async (arg) => {
      const list = await api.searchArtists({
        q: arg.q,
        page: arg.page,
        pageSize: arg.pageSize,
        ...inCountry(),
      });
      return toPage(list, compact(list.artists, toArtistView), arg);
    },
    'catalogue:searchReleases': async (arg) => {
      const list = await api.searchReleases({
        q: arg.q,
        page: arg.page,
        pageSize: arg.pageSize,
        ...inCountry(),
      });
      return toPage(list, compact(list.releases, toReleaseView), arg);
    },
    'catalogue:searchTracks': async (arg) => {
      const list = await api.searchTracks({
        q: arg.q,
        page: arg.page,
        pageSize: arg.pageSize,
        ...inCountry(),
      });
      return toPage(list, compact(list.tracks, toTrackView), arg);
    },
    'catalogue:browseArtists': async (arg) => {
      const list = await api.browseArtistsByName({
        letter: arg.letter,
        page: arg.page,
        pageSize: arg.pageSize,
        ...inCountry(),
      });
      return toPage(list, compact(list.artists, toArtistView), arg);
    },
    'catalogue:getArtist': async ({ artistId }) => {
      const artist = toArtistView(await api.getArtistDetails({ artistId, ...inCountry() }));
      if (!artist) throw new AppError({ code: 'malformed_response', message: 'The artist has no id.' });
      return artist;
    },
    'catalogue:getArtistReleases': async (arg) => {
      const list = await api.getArtistReleases({
        artistId: arg.artistId,
        page: arg.page,
        pageSize: arg.pageSize,
        ...(arg.type ? { type: arg.type } : {}),
        ...inCountry(),
      });
      return toPage(list, compact(list.releases, toReleaseView), arg);
    },
    'catalogue:getRelease': async ({ releaseId }) => {
      const release: ReleaseView | null = toReleaseView(
        await api.getReleaseDetails({ releaseId, ...inCountry() }),
      );
      if (!release) throw new AppError({ code: 'malformed_response', message: 'The release has no id.' });
      if (deps.session.current()) release.owned = await owns(releaseId);
      return release;
    },
    'catalogue:getReleaseTracks': async ({ releaseId }) => {
      const listing = await api.getReleaseTrackListing({ releaseId, ...inCountry() });
      return compact(listing.tracks, toTrackView);
    },
    'catalogue:getTracks': async ({ trackIds }) => {
      const batch = await api.getTracksBatchDetails({ body: { trackIds }, ...inCountry() });
      return compact(batch.tracks, toTrackView);
    },
    'catalogue:getArtistTopTracks': async ({ artistId, limit }) => {
      const artist = toArtistView(await api.getArtistDetails({ artistId, ...inCountry() }));
      if (!artist) throw new AppError({ code: 'malformed_response', message: 'The artist has no id.' });
      return artistTopTracks(api, artist, deps.country(), limit);
    },
  };
}
