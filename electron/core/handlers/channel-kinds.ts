// Which channels call the music service, for connectivity (connectivity.ts withConnectivity).
import type { Channel } from '../../../shared/ipc/contract.js';

/** Channels that never call the service: their success says nothing about connectivity. */
export const localChannels: readonly Channel[] = [
  'session:getSession',
  'session:cancelSignIn',
  'session:signOut',
  'queue:getSaved',
  'queue:save',
  'downloads:chooseFolder',
  'downloads:start',
  'downloads:cancel',
  'downloads:list',
  'offline:remove',
  'offline:getStatus',
  'settings:get',
  'settings:update',
  'app:getInfo',
  'playlog:getStatus',
  'playback:getLoudness',
  'playback:saveLoudness',
];
/** Stream resolution chooses between the network and the offline cache itself. */
export const selfManagedChannels: readonly Channel[] = [
  'playback:resolveStream',
  'playback:prefetch',
  'playback:reportPlay',
  'playback:reportPlayEvent',
  'playback:reclaimStream',
];
