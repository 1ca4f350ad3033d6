// Demo data (issue 2): the partner consumer and the two listeners; the listener's subscription,
// locker and playlists are seeded once, when the listener is first created. Ids and the order
// of inserts are fixed: the demo data is the same on every machine.
import type { DemoUser } from '../config.js';
import type { AccountStore } from './accounts.js';
import { addMonths, dayMs, isoDate } from './clock.js';
import type { PlaylistStore, PlaylistTrackInputRow } from './playlists.js';
import type { SalesStore } from './sales.js';
import type { StoreContext } from './store-context.js';
import type { SubscriptionStore } from './subscriptions.js';

/** What seeding needs of the emulator state: its context and the stores it writes to. */
type SeedTarget = StoreContext & AccountStore & SubscriptionStore & SalesStore & PlaylistStore;

export function seedDemo(state: SeedTarget): void {
  const { config } = state;
  const demo = config.demo;
  state.upsertConsumer({
    key: demo.consumerKey,
    secret: demo.consumerSecret,
    userManagement: true,
    live: config.demoKeyLive,
  });

  const ensureUser = (user: DemoUser): boolean => {
    if (state.getUser(user.userId)) return false;
    if (state.emailExists(user.email)) return false;
    state.createUser({
      id: user.userId,
      email: user.email,
      password: user.password,
      country: user.country,
      ownerKey: demo.consumerKey,
    });
    return true;
  };

  state.db.transaction(() => {
    ensureUser(demo.noSubscription);
    if (!ensureUser(demo.listener)) return;
    const userId = demo.listener.userId;
    const at = state.now();
    const start = isoDate(at - dayMs);
    state.createSubscription({
      userId,
      productId: 'unlimited-streaming-monthly',
      country: demo.listener.country,
      startDate: start,
      endDate: addMonths(start, 1),
      autoRenew: true,
    });
    seedDemoLocker(state, userId, at);
    seedDemoPlaylists(state, userId);
  })();
}

/** Four whole releases (three from the demo set) and one single track, bought over four months. */
function seedDemoLocker(state: SeedTarget, userId: string, at: number): void {
  const { config, catalogue } = state;
  const demoReleases = [...new Set(catalogue.demoSetTracks().map((t) => t.releaseId))];
  const [firstLight, nightSignals, glassHarbour, lowTide] = demoReleases as [string, string, string, string];
  const generatedRelease = [...catalogue.releases.values()].find(
    (r) => !r.demo && r.type === 'album' && r.unavailableIn.length === 0 && r.releaseDate < '2026',
  ) as { id: string; price: number };
  const credit = (releaseId: string, trackId: string | null, daysAgo: number) => {
    const release = catalogue.releases.get(releaseId);
    const track = trackId ? catalogue.tracks.get(trackId) : undefined;
    state.creditItem({
      userId,
      releaseId,
      trackId,
      price: track?.price ?? release?.price ?? 0,
      currency: config.priceCurrency,
      transactionId: `demo-${releaseId}-${trackId ?? 'all'}`,
      at: at - daysAgo * dayMs,
    });
  };
  credit(firstLight, null, 120);
  credit(glassHarbour, null, 2);
  credit(lowTide, null, 1);
  credit(generatedRelease.id, null, 45);
  const nightTrack = catalogue.tracksOfRelease(nightSignals)[0];
  if (nightTrack) credit(nightSignals, nightTrack.id, 0);
}

/** "Septet Favourites" (every demo-set track) and "Morning Mix" (demo and popular catalogue tracks). */
function seedDemoPlaylists(state: SeedTarget, userId: string): void {
  const { config, catalogue } = state;
  const toInput = (trackId: string): PlaylistTrackInputRow => {
    const track = catalogue.tracks.get(trackId);
    return {
      trackId,
      title: track?.title ?? '',
      artist: track ? (catalogue.artistOf(track.artistId)?.name ?? '') : '',
      source: '7digital',
      audioUrl: null,
      image: null,
    };
  };
  const audio = catalogue.demoSetTracks().map((t) => t.trackId);
  state.createPlaylist({
    ownerKey: config.demo.consumerKey,
    userId,
    name: 'Septet Favourites',
    description: 'Every track of the demo artists.',
    visibility: 'private',
    tracks: audio.map(toInput),
  });
  const popular = [...catalogue.tracks.values()]
    .filter((t) => !t.demo && t.popularity >= 90)
    .slice(0, 8)
    .map((t) => t.id);
  state.createPlaylist({
    ownerKey: config.demo.consumerKey,
    userId,
    name: 'Morning Mix',
    description: 'A mix of demo tracks and catalogue favourites.',
    visibility: 'public',
    tracks: [
      audio[0],
      audio[12],
      audio[17],
      audio[25],
      popular[0],
      audio[31],
      popular[1],
      audio[35],
      popular[2],
      audio[40],
      popular[3],
      audio[5],
    ]
      .filter((id): id is string => typeof id === 'string')
      .map(toInput),
  });
}
