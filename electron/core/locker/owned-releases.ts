// Which releases the signed-in listener owns (their locker), for release pages' "owned" flag.
// Read page by page and kept 30 s; a purchase or sign-out forgets it.
import type { ApiClient } from '../api/client.js';
import type { SessionService } from '../session/session-service.js';

export type OwnedReleases = {
  ids(): Promise<Set<string>>;
  forget(): void;
};

const pageSize = 100;
const maxPages = 20;
const keepMs = 30_000;

export function createOwnedReleases(deps: {
  api: Pick<ApiClient, 'getUserLocker'>;
  session: Pick<SessionService, 'require'>;
}): OwnedReleases {
  let cache: { userId: string; at: number; releaseIds: Set<string> } | undefined;
  return {
    async ids() {
      const current = deps.session.require();
      if (cache && cache.userId === current.userId && Date.now() - cache.at < keepMs) return cache.releaseIds;
      const ids = new Set<string>();
      for (let page = 1; page <= maxPages; page++) {
        const locker = await deps.api.getUserLocker({ userId: current.userId, page, pageSize });
        for (const release of locker.releases ?? []) if (release.id) ids.add(release.id);
        if ((locker.releases?.length ?? 0) + (locker.tracks?.length ?? 0) < pageSize) break;
      }
      cache = { userId: current.userId, at: Date.now(), releaseIds: ids };
      return ids;
    },
    forget() {
      cache = undefined;
    },
  };
}
