// Emulator state over SQLite: accounts, OAuth tokens, subscriptions, sales/locker, offline
// devices, playlists and received play logs. Every function is synchronous (better-sqlite3);
// multi-row writes run in one transaction so a rejected request never leaves a partial write.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Catalogue } from './catalogue.js';
import type { DemoUser, EmulatorConfig } from './config.js';
import type { Db } from './db.js';

export type Consumer = { key: string; secret: string; userManagement: boolean; live: boolean };
export type User = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  country: string;
  ownerKey: string | null;
  createdAt: number;
};
export type SubscriptionRow = {
  id: string;
  userId: string;
  productId: string;
  country: string | null;
  startDate: string;
  endDate: string;
  startMs: number;
  endMs: number;
  status: 'active' | 'cancelled' | 'expired';
  autoRenew: boolean;
};
export type Purchase = {
  id: string;
  userId: string;
  releaseId: string;
  trackId: string | null;
  price: number;
  currency: string;
  transactionId: string | null;
  purchasedAt: number;
  refundedAt: number | null;
};
export type Device = {
  userId: string;
  deviceId: string;
  deviceName: string | null;
  platform: string | null;
  status: 'authorised' | 'deauthorised';
  authorisedAt: number;
};
export type PlaylistRow = {
  id: string;
  ownerKey: string;
  userId: string | null;
  name: string;
  description: string | null;
  visibility: 'private' | 'public';
  createdAt: number;
  modifiedAt: number;
};
export type PlaylistTrackRow = {
  id: number;
  playlistId: string;
  position: number;
  trackId: string;
  title: string;
  artist: string;
  source: string | null;
  audioUrl: string | null;
  image: string | null;
  addedAt: number;
};
export type RequestToken = {
  token: string;
  secret: string;
  consumerKey: string;
  callback: string | null;
  verifier: string | null;
  userId: string | null;
  createdAt: number;
  used: boolean;
};
export type AccessToken = { token: string; secret: string; consumerKey: string; userId: string };
export type LogEndpoint = 'preview' | 'catalogue' | 'subscriber';
export type ReceivedLog = {
  endpoint: LogEndpoint;
  consumerKey: string;
  userId: string | null;
  clientId: string | null;
  trackId: string;
  timestamp: string;
  body: unknown;
};

export type EmulatorState = ReturnType<typeof createState>;

const dayMs = 86_400_000;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 4096 });
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

function verifyPasswordHash(password: string, stored: string | null): boolean {
  if (!stored) return false;
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length, { N: 4096 });
  return timingSafeEqual(expected, actual);
}

/** Adds calendar months to a YYYY-MM-DD date, clamping to the month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function createState(db: Db, catalogue: Catalogue, config: EmulatorConfig) {
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;

  const consumerCache = new Map<string, Consumer | null>();
  const accessTokenCache = new Map<string, AccessToken | null>();

  const q = {
    consumer: db.prepare(
      'SELECT key, secret, user_management AS userManagement, live FROM consumers WHERE key = ?',
    ),
    upsertConsumer: db.prepare(
      'INSERT INTO consumers (key, secret, user_management, live) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET secret = excluded.secret, user_management = excluded.user_management, live = excluded.live',
    ),
    user: db.prepare(
      'SELECT id, email, first_name AS firstName, last_name AS lastName, country, owner_key AS ownerKey, created_at AS createdAt FROM users WHERE id = ?',
    ),
    userByEmail: db.prepare('SELECT id, password_hash AS passwordHash FROM users WHERE email = ?'),
    insertUser: db.prepare(
      'INSERT INTO users (id, email, password_hash, first_name, last_name, country, owner_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    maxNumericUser: db.prepare("SELECT MAX(CAST(id AS INTEGER)) AS maxId FROM users WHERE id GLOB '[0-9]*'"),
    subsOfUser: db.prepare(
      'SELECT id, user_id AS userId, product_id AS productId, country, start_date AS startDate, end_date AS endDate, start_ms AS startMs, end_ms AS endMs, status, auto_renew AS autoRenew FROM subscriptions WHERE user_id = ? ORDER BY start_ms DESC',
    ),
    insertSub: db.prepare(
      'INSERT INTO subscriptions (id, user_id, product_id, country, start_date, end_date, start_ms, end_ms, status, auto_renew, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    expireSubs: db.prepare(
      "UPDATE subscriptions SET auto_renew = 0, end_ms = MIN(end_ms, ?), status = 'expired' WHERE user_id = ? AND status != 'cancelled'",
    ),
    insertPurchase: db.prepare(
      'INSERT INTO purchases (user_id, release_id, track_id, price, currency, transaction_id, purchased_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    purchase: db.prepare(
      'SELECT id, user_id AS userId, release_id AS releaseId, track_id AS trackId, price, currency, transaction_id AS transactionId, purchased_at AS purchasedAt, refunded_at AS refundedAt FROM purchases WHERE id = ?',
    ),
    refund: db.prepare('UPDATE purchases SET refunded_at = ? WHERE id = ? AND refunded_at IS NULL'),
    entitledPurchasesOfUser: db.prepare(
      'SELECT id, user_id AS userId, release_id AS releaseId, track_id AS trackId, price, currency, transaction_id AS transactionId, purchased_at AS purchasedAt, refunded_at AS refundedAt FROM purchases WHERE user_id = ? AND (refunded_at IS NULL OR ? = 0) ORDER BY purchased_at',
    ),
    device: db.prepare(
      'SELECT user_id AS userId, device_id AS deviceId, device_name AS deviceName, platform, status, authorised_at AS authorisedAt FROM devices WHERE user_id = ? AND device_id = ?',
    ),
    devices: db.prepare(
      'SELECT user_id AS userId, device_id AS deviceId, device_name AS deviceName, platform, status, authorised_at AS authorisedAt FROM devices WHERE user_id = ? ORDER BY authorised_at, device_id',
    ),
    countAuthorised: db.prepare(
      "SELECT COUNT(*) AS n FROM devices WHERE user_id = ? AND status = 'authorised'",
    ),
    upsertDevice: db.prepare(
      'INSERT INTO devices (user_id, device_id, device_name, platform, status, authorised_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id, device_id) DO UPDATE SET device_name = COALESCE(excluded.device_name, device_name), platform = COALESCE(excluded.platform, platform), status = excluded.status, authorised_at = CASE WHEN status = excluded.status THEN authorised_at ELSE excluded.authorised_at END, updated_at = excluded.updated_at',
    ),
    playlist: db.prepare(
      'SELECT id, owner_key AS ownerKey, user_id AS userId, name, description, visibility, created_at AS createdAt, modified_at AS modifiedAt FROM playlists WHERE id = ?',
    ),
    playlistsForUser: db.prepare(
      'SELECT id, owner_key AS ownerKey, user_id AS userId, name, description, visibility, created_at AS createdAt, modified_at AS modifiedAt FROM playlists WHERE owner_key = ? AND user_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?',
    ),
    countPlaylistsForUser: db.prepare(
      'SELECT COUNT(*) AS n FROM playlists WHERE owner_key = ? AND user_id = ?',
    ),
    playlistsForPartner: db.prepare(
      'SELECT id, owner_key AS ownerKey, user_id AS userId, name, description, visibility, created_at AS createdAt, modified_at AS modifiedAt FROM playlists WHERE owner_key = ? AND user_id IS NULL ORDER BY created_at, id LIMIT ? OFFSET ?',
    ),
    countPlaylistsForPartner: db.prepare(
      'SELECT COUNT(*) AS n FROM playlists WHERE owner_key = ? AND user_id IS NULL',
    ),
    insertPlaylist: db.prepare(
      'INSERT INTO playlists (id, owner_key, user_id, name, description, visibility, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updatePlaylist: db.prepare(
      'UPDATE playlists SET name = ?, description = ?, visibility = ?, modified_at = ? WHERE id = ?',
    ),
    touchPlaylist: db.prepare('UPDATE playlists SET modified_at = ? WHERE id = ?'),
    deletePlaylist: db.prepare('DELETE FROM playlists WHERE id = ?'),
    deletePlaylistTracks: db.prepare('DELETE FROM playlist_tracks WHERE playlist_id = ?'),
    playlistTracks: db.prepare(
      'SELECT id, playlist_id AS playlistId, position, track_id AS trackId, title, artist, source, audio_url AS audioUrl, image, added_at AS addedAt FROM playlist_tracks WHERE playlist_id = ? ORDER BY position',
    ),
    insertPlaylistTrack: db.prepare(
      'INSERT INTO playlist_tracks (playlist_id, position, track_id, title, artist, source, audio_url, image, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    deletePlaylistTrack: db.prepare('DELETE FROM playlist_tracks WHERE id = ? AND playlist_id = ?'),
    setTrackPosition: db.prepare('UPDATE playlist_tracks SET position = ? WHERE id = ?'),
    insertRequestToken: db.prepare(
      'INSERT INTO request_tokens (token, secret, consumer_key, callback, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    requestToken: db.prepare(
      'SELECT token, secret, consumer_key AS consumerKey, callback, verifier, user_id AS userId, created_at AS createdAt, used FROM request_tokens WHERE token = ?',
    ),
    authoriseRequestToken: db.prepare(
      'UPDATE request_tokens SET user_id = ?, verifier = ? WHERE token = ? AND used = 0 AND user_id IS NULL',
    ),
    useRequestToken: db.prepare('UPDATE request_tokens SET used = 1 WHERE token = ? AND used = 0'),
    insertAccessToken: db.prepare(
      'INSERT INTO access_tokens (token, secret, consumer_key, user_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    accessToken: db.prepare(
      'SELECT token, secret, consumer_key AS consumerKey, user_id AS userId FROM access_tokens WHERE token = ?',
    ),
    insertLog: db.prepare(
      'INSERT INTO play_logs (endpoint, consumer_key, user_id, client_id, track_id, timestamp, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    logs: db.prepare(
      'SELECT user_id AS userId, client_id AS clientId, track_id AS trackId, timestamp, body, received_at AS receivedAt FROM play_logs WHERE endpoint = ? ORDER BY id',
    ),
  };

  const token = (bytes = 16) => randomBytes(bytes).toString('hex');

  function subscriptionStatus(row: SubscriptionRow, at: number): SubscriptionRow['status'] {
    if (row.status === 'cancelled') return 'cancelled';
    if (row.status === 'expired') return 'expired';
    if (row.autoRenew) return 'active';
    return at >= row.endMs ? 'expired' : 'active';
  }

  function readSubs(userId: string): SubscriptionRow[] {
    return (q.subsOfUser.all(userId) as (Omit<SubscriptionRow, 'autoRenew'> & { autoRenew: number })[]).map(
      (r) => ({
        ...r,
        autoRenew: r.autoRenew === 1,
      }),
    );
  }

  const state = {
    db,
    catalogue,
    config,
    now,
    getClockOffset: () => clockOffsetMs,
    setClockOffset(offsetMs: number) {
      clockOffsetMs = offsetMs;
    },

    // Consumers ---------------------------------------------------------------------------
    getConsumer(key: string): Consumer | null {
      if (consumerCache.has(key)) return consumerCache.get(key) ?? null;
      const row = q.consumer.get(key) as
        { key: string; secret: string; userManagement: number; live: number } | undefined;
      const consumer = row
        ? { key: row.key, secret: row.secret, userManagement: row.userManagement === 1, live: row.live === 1 }
        : null;
      consumerCache.set(key, consumer);
      return consumer;
    },
    upsertConsumer(consumer: Consumer) {
      q.upsertConsumer.run(
        consumer.key,
        consumer.secret,
        consumer.userManagement ? 1 : 0,
        consumer.live ? 1 : 0,
      );
      consumerCache.delete(consumer.key);
    },

    // Users -------------------------------------------------------------------------------
    getUser(userId: string): User | null {
      return (q.user.get(userId) as User | undefined) ?? null;
    },
    getUserCountry(userId: string): string | null {
      return state.getUser(userId)?.country ?? null;
    },
    emailExists(email: string): boolean {
      return q.userByEmail.get(email) !== undefined;
    },
    createUser(input: {
      id?: string;
      email: string | null;
      password: string | null;
      firstName?: string | null;
      lastName?: string | null;
      country: string;
      ownerKey: string | null;
    }): User {
      const id =
        input.id ??
        String(Math.max(500000, ((q.maxNumericUser.get() as { maxId: number | null }).maxId ?? 0) + 1));
      q.insertUser.run(
        id,
        input.email,
        input.password ? hashPassword(input.password) : null,
        input.firstName ?? null,
        input.lastName ?? null,
        input.country,
        input.ownerKey,
        now(),
      );
      return state.getUser(id) as User;
    },
    /** Sign-in check for the OAuth pages: email (or user id) + password. */
    verifyCredentials(login: string, password: string): User | null {
      const byEmail = q.userByEmail.get(login) as { id: string; passwordHash: string | null } | undefined;
      const row =
        byEmail ??
        (db.prepare('SELECT id, password_hash AS passwordHash FROM users WHERE id = ?').get(login) as
          { id: string; passwordHash: string | null } | undefined);
      if (!row || !verifyPasswordHash(password, row.passwordHash)) return null;
      return state.getUser(row.id);
    },
    userOwnedBy(userId: string, consumerKey: string): boolean {
      return state.getUser(userId)?.ownerKey === consumerKey;
    },

    // Subscriptions -----------------------------------------------------------------------
    createSubscription(input: {
      userId: string;
      productId: string;
      country: string | null;
      startDate: string;
      endDate: string;
      autoRenew?: boolean;
    }): SubscriptionRow {
      const id = `sub-${token(8)}`;
      const startMs = Date.parse(`${input.startDate}T00:00:00Z`);
      const endMs = Date.parse(`${input.endDate}T00:00:00Z`) + dayMs;
      q.insertSub.run(
        id,
        input.userId,
        input.productId,
        input.country,
        input.startDate,
        input.endDate,
        startMs,
        endMs,
        'active',
        input.autoRenew ? 1 : 0,
        now(),
      );
      return {
        id,
        userId: input.userId,
        productId: input.productId,
        country: input.country,
        startDate: input.startDate,
        endDate: input.endDate,
        startMs,
        endMs,
        status: subscriptionStatus(
          { status: 'active', autoRenew: input.autoRenew ?? false, endMs } as SubscriptionRow,
          now(),
        ),
        autoRenew: input.autoRenew ?? false,
      };
    },
    subscriptionsOf(userId: string): SubscriptionRow[] {
      const at = now();
      return readSubs(userId).map((r) => ({ ...r, status: subscriptionStatus(r, at) }));
    },
    /** The subscription covering `at` (default now), or null. */
    getActiveSubscription(userId: string, at: number = now()): SubscriptionRow | null {
      for (const row of readSubs(userId)) {
        if (row.status !== 'active' || at < row.startMs) continue;
        if (row.autoRenew || at < row.endMs) return { ...row, status: 'active' };
      }
      return null;
    },
    hasActiveSubscription(userId: string, at: number = now()): boolean {
      return state.getActiveSubscription(userId, at) !== null;
    },
    hasEverHadSubscription(userId: string): boolean {
      return readSubs(userId).length > 0;
    },
    /** Test API: make every subscription of the user lapse now. */
    expireSubscriptions(userId: string): number {
      return q.expireSubs.run(now(), userId).changes;
    },

    // Sales and locker ----------------------------------------------------------------------
    creditItem(input: {
      userId: string;
      releaseId: string;
      trackId: string | null;
      price: number;
      currency: string;
      transactionId: string | null;
      at?: number;
    }): Purchase {
      const at = input.at ?? now();
      const result = q.insertPurchase.run(
        input.userId,
        input.releaseId,
        input.trackId,
        input.price,
        input.currency,
        input.transactionId,
        at,
      );
      return state.getPurchase(String(result.lastInsertRowid)) as Purchase;
    },
    getPurchase(purchaseId: string): Purchase | null {
      if (!/^\d{1,15}$/.test(purchaseId)) return null;
      const row = q.purchase.get(Number(purchaseId)) as (Omit<Purchase, 'id'> & { id: number }) | undefined;
      return row ? { ...row, id: String(row.id) } : null;
    },
    refundPurchase(purchaseId: string): boolean {
      if (!/^\d{1,15}$/.test(purchaseId)) return false;
      return q.refund.run(now(), Number(purchaseId)).changes === 1;
    },
    /** Purchases that still entitle the user (refunded ones excluded when config says so). */
    entitledPurchases(userId: string): Purchase[] {
      return (
        q.entitledPurchasesOfUser.all(userId, config.refundRemovesFromLocker ? 1 : 0) as (Omit<
          Purchase,
          'id'
        > & { id: number })[]
      ).map((r) => ({ ...r, id: String(r.id) }));
    },
    isReleaseInLocker(userId: string, releaseId: string): boolean {
      return state.entitledPurchases(userId).some((p) => p.releaseId === releaseId && p.trackId === null);
    },
    isTrackInLocker(userId: string, trackId: string): boolean {
      const track = catalogue.tracks.get(trackId);
      if (!track) return false;
      return state
        .entitledPurchases(userId)
        .some((p) => p.trackId === trackId || (p.trackId === null && p.releaseId === track.releaseId));
    },
    /** Locker contents: whole releases, then single tracks not covered by a release purchase. */
    lockerItems(userId: string): { releaseIds: string[]; trackIds: string[] } {
      const purchases = state.entitledPurchases(userId);
      const releaseIds = [...new Set(purchases.filter((p) => p.trackId === null).map((p) => p.releaseId))];
      const owned = new Set(releaseIds);
      const trackIds = [
        ...new Set(
          purchases
            .filter((p) => p.trackId !== null && !owned.has(p.releaseId))
            .map((p) => p.trackId as string),
        ),
      ];
      const title = (id: string) => catalogue.releases.get(id)?.title ?? '';
      releaseIds.sort((a, b) => title(a).localeCompare(title(b)) || a.localeCompare(b));
      trackIds.sort(
        (a, b) =>
          (catalogue.tracks.get(a)?.title ?? '').localeCompare(catalogue.tracks.get(b)?.title ?? '') ||
          a.localeCompare(b),
      );
      return { releaseIds, trackIds };
    },

    // Offline devices -----------------------------------------------------------------------
    getDevice(userId: string, deviceId: string): Device | null {
      return (q.device.get(userId, deviceId) as Device | undefined) ?? null;
    },
    listDevices(userId: string): Device[] {
      return q.devices.all(userId) as Device[];
    },
    countAuthorisedDevices(userId: string): number {
      return (q.countAuthorised.get(userId) as { n: number }).n;
    },
    setDevice(input: {
      userId: string;
      deviceId: string;
      deviceName: string | null;
      platform: string | null;
      status: Device['status'];
    }): Device {
      const at = now();
      q.upsertDevice.run(
        input.userId,
        input.deviceId,
        input.deviceName,
        input.platform,
        input.status,
        at,
        at,
      );
      return state.getDevice(input.userId, input.deviceId) as Device;
    },
    isDeviceAuthorised(userId: string, deviceId: string): boolean {
      return state.getDevice(userId, deviceId)?.status === 'authorised';
    },

    // Playlists ----------------------------------------------------------------------------
    getPlaylist(playlistId: string): PlaylistRow | null {
      return (q.playlist.get(playlistId) as PlaylistRow | undefined) ?? null;
    },
    playlistTracks(playlistId: string): PlaylistTrackRow[] {
      return q.playlistTracks.all(playlistId) as PlaylistTrackRow[];
    },
    listPlaylists(
      ownerKey: string,
      userId: string | null,
      page: number,
      pageSize: number,
    ): { rows: PlaylistRow[]; total: number } {
      const offset = (page - 1) * pageSize;
      if (userId !== null) {
        return {
          rows: q.playlistsForUser.all(ownerKey, userId, pageSize, offset) as PlaylistRow[],
          total: (q.countPlaylistsForUser.get(ownerKey, userId) as { n: number }).n,
        };
      }
      return {
        rows: q.playlistsForPartner.all(ownerKey, pageSize, offset) as PlaylistRow[],
        total: (q.countPlaylistsForPartner.get(ownerKey) as { n: number }).n,
      };
    },
    createPlaylist: db.transaction(
      (input: {
        ownerKey: string;
        userId: string | null;
        name: string;
        description: string | null;
        visibility: 'private' | 'public';
        tracks: PlaylistTrackInputRow[];
      }): PlaylistRow => {
        const id = token(12);
        const at = now();
        q.insertPlaylist.run(
          id,
          input.ownerKey,
          input.userId,
          input.name,
          input.description,
          input.visibility,
          at,
          at,
        );
        input.tracks.forEach((t, i) => insertTrack(id, i + 1, t, at));
        return state.getPlaylist(id) as PlaylistRow;
      },
    ),
    updatePlaylist(
      playlistId: string,
      patch: { name: string; description: string | null; visibility: 'private' | 'public' },
    ) {
      q.updatePlaylist.run(patch.name, patch.description, patch.visibility, now(), playlistId);
    },
    addPlaylistTracks: db.transaction((playlistId: string, tracks: PlaylistTrackInputRow[]) => {
      const at = now();
      const start = state.playlistTracks(playlistId).length;
      tracks.forEach((t, i) => insertTrack(playlistId, start + i + 1, t, at));
      q.touchPlaylist.run(at, playlistId);
    }),
    removePlaylistTrack: db.transaction((playlistId: string, playlistTrackId: number): boolean => {
      if (q.deletePlaylistTrack.run(playlistTrackId, playlistId).changes !== 1) return false;
      state.playlistTracks(playlistId).forEach((t, i) => q.setTrackPosition.run(i + 1, t.id));
      q.touchPlaylist.run(now(), playlistId);
      return true;
    }),
    /** Moves a track so it sits right after `afterId` (0 = to the front). */
    movePlaylistTrack: db.transaction(
      (playlistId: string, playlistTrackId: number, afterId: number): boolean => {
        const rows = state.playlistTracks(playlistId);
        const moving = rows.find((t) => t.id === playlistTrackId);
        if (!moving) return false;
        const rest = rows.filter((t) => t.id !== playlistTrackId);
        const index = afterId === 0 ? 0 : rest.findIndex((t) => t.id === afterId) + 1;
        if (afterId !== 0 && index === 0) return false;
        rest.splice(index, 0, moving);
        rest.forEach((t, i) => q.setTrackPosition.run(i + 1, t.id));
        q.touchPlaylist.run(now(), playlistId);
        return true;
      },
    ),
    deletePlaylist: db.transaction((playlistId: string) => {
      q.deletePlaylistTracks.run(playlistId);
      q.deletePlaylist.run(playlistId);
    }),

    // OAuth tokens --------------------------------------------------------------------------
    createRequestToken(consumerKey: string, callback: string | null): { token: string; secret: string } {
      const t = { token: token(), secret: token() };
      q.insertRequestToken.run(t.token, t.secret, consumerKey, callback, now());
      return t;
    },
    getRequestToken(tokenValue: string): RequestToken | null {
      const row = q.requestToken.get(tokenValue) as
        (Omit<RequestToken, 'used'> & { used: number }) | undefined;
      return row ? { ...row, used: row.used === 1 } : null;
    },
    /** Marks an unused request token as authorised by a user; returns the verifier. */
    authoriseRequestToken(tokenValue: string, userId: string, withVerifier: boolean): string | null {
      const verifier = withVerifier ? token(10) : null;
      return q.authoriseRequestToken.run(userId, verifier, tokenValue).changes === 1
        ? (verifier ?? '')
        : null;
    },
    /** Single use: exchanging a request token burns it (returns false if already used). */
    useRequestToken(tokenValue: string): boolean {
      return q.useRequestToken.run(tokenValue).changes === 1;
    },
    createAccessToken(consumerKey: string, userId: string): AccessToken {
      const t = { token: token(), secret: token(), consumerKey, userId };
      q.insertAccessToken.run(t.token, t.secret, consumerKey, userId, now());
      return t;
    },
    getAccessToken(tokenValue: string): AccessToken | null {
      if (accessTokenCache.has(tokenValue)) return accessTokenCache.get(tokenValue) ?? null;
      const row = (q.accessToken.get(tokenValue) as AccessToken | undefined) ?? null;
      if (row) accessTokenCache.set(tokenValue, row);
      return row;
    },

    // Play logs ----------------------------------------------------------------------------
    recordLogs: db.transaction((logs: ReceivedLog[]) => {
      const at = now();
      for (const log of logs) {
        q.insertLog.run(
          log.endpoint,
          log.consumerKey,
          log.userId,
          log.clientId,
          log.trackId,
          log.timestamp,
          JSON.stringify(log.body),
          at,
        );
      }
    }),
    receivedLogs(endpoint: LogEndpoint): { logs: Record<string, unknown>[]; duplicates: number } {
      const rows = q.logs.all(endpoint) as {
        userId: string | null;
        clientId: string | null;
        trackId: string;
        timestamp: string;
        body: string;
        receivedAt: number;
      }[];
      const keys = new Set<string>();
      let duplicates = 0;
      const logs = rows.map((row) => {
        const key = JSON.stringify([row.userId, row.clientId, row.trackId, row.timestamp]);
        if (keys.has(key)) duplicates += 1;
        keys.add(key);
        const body = JSON.parse(row.body) as unknown;
        const base =
          body !== null && typeof body === 'object' && !Array.isArray(body)
            ? (body as Record<string, unknown>)
            : { value: body };
        return { ...base, receivedAt: new Date(row.receivedAt).toISOString() };
      });
      return { logs, duplicates };
    },
  };

  function insertTrack(playlistId: string, position: number, t: PlaylistTrackInputRow, at: number) {
    q.insertPlaylistTrack.run(
      playlistId,
      position,
      t.trackId,
      t.title,
      t.artist,
      t.source,
      t.audioUrl,
      t.image,
      at,
    );
  }

  return state;
}

export type PlaylistTrackInputRow = {
  trackId: string;
  title: string;
  artist: string;
  source: string | null;
  audioUrl: string | null;
  image: string | null;
};

/** Demo data (issue 2): consumer, listeners; locker, playlists and subscription seeded once. */
export function seedDemo(state: EmulatorState): void {
  const { config, catalogue } = state;
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

    const demoReleases = [...new Set(catalogue.demoSetTracks().map((t) => t.releaseId))];
    const [firstLight, nightSignals, glassHarbour, lowTide] = demoReleases as [
      string,
      string,
      string,
      string,
    ];
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
      ownerKey: demo.consumerKey,
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
      ownerKey: demo.consumerKey,
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
  })();
}
