// Partner consumers (keys and secrets) and listeners (users), with their password hashes.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { StoreContext } from './store-context.js';

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
type Login = { id: string; passwordHash: string | null };

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

export type AccountStore = ReturnType<typeof createAccountStore>;

export function createAccountStore({ db, now }: StoreContext) {
  // Long by design (over 80 lines): a createX factory whose closure holds the prepared statements; each inner function is short.
  const consumerCache = new Map<string, Consumer | null>();
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
    loginById: db.prepare('SELECT id, password_hash AS passwordHash FROM users WHERE id = ?'),
    insertUser: db.prepare(
      'INSERT INTO users (id, email, password_hash, first_name, last_name, country, owner_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    maxNumericUser: db.prepare("SELECT MAX(CAST(id AS INTEGER)) AS maxId FROM users WHERE id GLOB '[0-9]*'"),
  };

  function getUser(userId: string): User | null {
    return (q.user.get(userId) as User | undefined) ?? null;
  }

  return {
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
    getUser,
    getUserCountry(userId: string): string | null {
      return getUser(userId)?.country ?? null;
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
      return getUser(id) as User;
    },
    /** Sign-in check for the OAuth pages: email (or user id) + password. */
    verifyCredentials(login: string, password: string): User | null {
      const row =
        (q.userByEmail.get(login) as Login | undefined) ?? (q.loginById.get(login) as Login | undefined);
      if (!row || !verifyPasswordHash(password, row.passwordHash)) return null;
      return getUser(row.id);
    },
    userOwnedBy(userId: string, consumerKey: string): boolean {
      return getUser(userId)?.ownerKey === consumerKey;
    },
  };
}
