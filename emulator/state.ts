// Emulator state over SQLite, put together from one store per domain (emulator/state/):
// accounts, subscriptions, sales and the locker, offline devices, playlists, OAuth tokens and
// received play logs, all over one database, one clock, the catalogue and the settings.
// Callers see one flat object (`state.getUser(…)`, `state.isTrackInLocker(…)`).
import type { Catalogue } from './catalogue.js';
import type { EmulatorConfig } from './config.js';
import type { Db } from './db.js';
import { createAccountStore } from './state/accounts.js';
import { createClock } from './state/clock.js';
import { createDeviceStore } from './state/devices.js';
import { createOAuthTokenStore } from './state/oauth-tokens.js';
import { createPlayLogStore } from './state/play-logs.js';
import { createPlaylistStore } from './state/playlists.js';
import { createSalesStore } from './state/sales.js';
import type { StoreContext } from './state/store-context.js';
import { createSubscriptionStore } from './state/subscriptions.js';

export { seedDemo } from './state/seed-demo.js';

export type EmulatorState = ReturnType<typeof createState>;

export function createState(db: Db, catalogue: Catalogue, config: EmulatorConfig) {
  const clock = createClock();
  const ctx: StoreContext = { db, now: clock.now, catalogue, config };
  return {
    db,
    catalogue,
    config,
    ...clock,
    ...createAccountStore(ctx),
    ...createSubscriptionStore(ctx),
    ...createSalesStore(ctx),
    ...createDeviceStore(ctx),
    ...createPlaylistStore(ctx),
    ...createOAuthTokenStore(ctx),
    ...createPlayLogStore(ctx),
  };
}
