// The channel handler table: every domain slice (handlers/<domain>-handlers.ts) joined into one
// table, connectivity applied once, and the offline library answering reads while offline.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type ChannelHandlers } from '../../shared/ipc/handlers.js';
import { withConnectivity } from './connectivity.js';
import { createDownloadNames } from './downloads/download-names.js';
import { localChannels, selfManagedChannels } from './handlers/channel-kinds.js';
import { appHandlers, playLogHandlers, settingsHandlers } from './handlers/app-handlers.js';
import { artistStationHandlers } from './handlers/artist-station-handlers.js';
import { catalogueHandlers } from './handlers/catalogue-handlers.js';
import { homeHandlers } from './handlers/home-handlers.js';
import { createTrackDurations, withTrackDurations } from './catalogue/track-durations.js';
import { createPlayHistory } from './play-log/play-history.js';
import { createArtistStations } from './radio/artist-station.js';
import { downloadHandlers } from './handlers/download-handlers.js';
import { lockerHandlers, salesHandlers, type Pricing } from './handlers/locker-handlers.js';
import { offlineHandlers } from './handlers/offline-handlers.js';
import { playbackHandlers, queueHandlers } from './handlers/playback-handlers.js';
import { playlistHandlers } from './handlers/playlist-handlers.js';
import { radioHandlers } from './handlers/radio-handlers.js';
import { sessionHandlers } from './handlers/session-handlers.js';
import { createOwnedReleases } from './locker/owned-releases.js';
import { createOfflineItems } from './offline-cache/offline-items.js';
import { withOfflineLibrary } from './handlers/offline-first.js';

import type { Account } from './account.js';
import type { MediaServices } from './media-services.js';

/** Every channel's handler, from the domain slices, with connectivity applied once. */
export type HandlerTableOptions = {
  version: string;
  /** Electron: the folder dialog. Absent in the browser host (the configured folder is used). */
  chooseFolder?: () => Promise<string | null>;
  /** Shows a saved download in the file manager (Electron shell.showItemInFolder, xdg-open, a test function). */
  showItemInFolder?: (path: string) => Promise<void>;
  /** Where downloads go when the listener has not chosen a folder. */
  defaultDownloadFolder?: string;
  /** Currency and prices of sales:buy (the emulator prices in USD). */
  pricing?: Pricing;
};

export function createHandlerTable(
  options: HandlerTableOptions,
  account: Account,
  media: MediaServices,
): { handlers: ChannelHandlers; abortDownloads: () => void } {
  const { config, log, events, settings, clientId, vault, api, session, country } = account;
  const { connectivity, playLog, offlineCache, radio, downloadService, streams, library } = media;
  const owned = createOwnedReleases({ api, session });
  // Home and artist radio read the listener's own plays from the play log.
  const history = createPlayHistory(media.playLogDb);
  const { abortAll: abortDownloads, ...downloadChannels } = downloadHandlers({
    downloadService,
    session,
    settings,
    events,
    log,
    ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
    ...(options.showItemInFolder ? { showItemInFolder: options.showItemInFolder } : {}),
    describe: createDownloadNames({ api, session, country }),
    defaultFolder: options.defaultDownloadFolder ?? join(homedir(), 'Downloads', 'Septet'),
  });
  const pricing = options.pricing ?? { currency: 'USD', release: 9.99, track: 0.99 };
  const lockerDeps = { api, session, owned, pricing };
  const items = createOfflineItems({ settings, log });
  const beforeSignOut = async (): Promise<void> => {
    // The listener's open plays are recorded for them while their token is still here.
    const current = session.current();
    if (current) media.plays.accounting.closeAll(current.userId);
    owned.forget();
    await radio.stopAll();
  };
  const plays = media.plays.accounting;
  const connected = withConnectivity(
    {
      ...sessionHandlers({ session, beforeSignOut }),
      ...catalogueHandlers({ api, session, owned, connectivity, country, log }),
      ...playbackHandlers({ streams, plays, session, settings }),
      ...queueHandlers({ settings, session }),
      ...radioHandlers({ radio, streams, plays, session }),
      ...lockerHandlers(lockerDeps),
      ...salesHandlers(lockerDeps),
      ...downloadChannels,
      ...withTrackDurations(playlistHandlers({ api, session }), createTrackDurations({ api, country, log })),
      ...offlineHandlers({
        api,
        session,
        settings,
        offlineCache,
        items,
        events,
        log,
        clientId,
        country,
        library,
        snapshot: { api, country, log },
        offlineRefusal: media.offlineRefusal,
        artworkUrl: media.artworkUrl,
      }),
      ...settingsHandlers({ settings, offlineCache }),
      ...appHandlers({ config, version: options.version, vault, clientId, online: connectivity.online }),
      ...playLogHandlers(playLog),
      ...homeHandlers({ api, session, history, country }),
      ...artistStationHandlers({
        stations: createArtistStations({ api, history, country }),
        radio,
        session,
      }),
    },
    connectivity,
    { local: localChannels, selfManaged: selfManagedChannels },
  );
  const handlers = withOfflineLibrary(connected, {
    library,
    items,
    userId: () => session.current()?.userId,
    online: connectivity.online,
    artworkUrl: media.artworkUrl,
    log,
  });
  return { handlers, abortDownloads };
}
