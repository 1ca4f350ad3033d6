// What a download is called on disk (issue 13): "Artist - Title" for a track, "Artist - Release"
// for a release ZIP or a purchase — asked of the service, since its own file names are ids.
import type { DownloadKind } from '../../../shared/ipc/contract.js';
import type { ApiClient } from '../api/client.js';
import type { SessionService } from '../session/session-service.js';

type NamingApi = Pick<ApiClient, 'getTrackDetails' | 'getReleaseDetails' | 'getUserLocker'>;

export function createDownloadNames(deps: {
  api: NamingApi;
  session: Pick<SessionService, 'require'>;
  country: () => string;
}): (kind: DownloadKind, id: string) => Promise<string | null> {
  const inCountry = () => ({ extraQuery: { country: deps.country() } });
  const named = (artist: string | undefined, title: string | undefined): string | null =>
    title ? (artist ? `${artist} - ${title}` : title) : null;

  const releaseName = async (releaseId: string): Promise<string | null> => {
    const release = await deps.api.getReleaseDetails({ releaseId, ...inCountry() });
    return named(release.artist?.name, release.title);
  };

  /** A purchase is named after what was bought: looked up in the locker, a page at a time. */
  const purchaseName = async (purchaseId: string): Promise<string | null> => {
    const { userId } = deps.session.require();
    for (let page = 1; page <= 20; page += 1) {
      const locker = await deps.api.getUserLocker({ userId, page, pageSize: 100 });
      type Bought = { purchaseId?: string; title?: string; artist?: { name?: string } };
      const items = [...(locker.releases ?? []), ...(locker.tracks ?? [])] as Bought[];
      const bought = items.find((item) => String(item.purchaseId ?? '') === purchaseId);
      if (bought) return named(bought.artist?.name, bought.title);
      if (items.length === 0 || page * 100 >= (locker.totalItems ?? 0)) return null;
    }
    return null;
  };

  return async (kind, id) => {
    switch (kind) {
      case 'track': {
        const track = await deps.api.getTrackDetails({ trackId: id, ...inCountry() });
        const title = track.version ? `${track.title ?? ''} (${track.version})` : track.title;
        return named(track.artist?.name, title);
      }
      case 'release':
        return releaseName(id);
      case 'purchase':
        return purchaseName(id);
    }
  };
}
