// Sign-in flows against the real emulator (OAuth request token → authorise → access token) with
// the real API client and a real keychain (run under scripts/with-keyring.sh; without one the
// vault refuses to persist and sign-in holds the tokens for the run only).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.js';
import { demoConsumer, demoListener } from '../../../shared/demo.js';
import type { SessionView } from '../../../shared/ipc/contract.js';
import { createApiClient } from '../api/client.js';
import { createLocalSigner } from '../api/oauth.js';
import { createLogger } from '../logger.js';
import { createSettingsStore, type SettingsStore } from '../settings/settings-store.js';
import { createSecretVault, type SecretVault } from '../vault/secret-vault.js';
import { createSessionService, type SessionApi } from './session-service.js';

const logger = createLogger('test', { level: 'silent' });

describe('session service against the emulator', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let vault: SecretVault;
  let store: SettingsStore;
  let api: SessionApi;
  const service = `Septet-test-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-session-'));
    emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    vault = await createSecretVault({ service, probeTimeoutMs: 5_000 });
    store = createSettingsStore({ dataDir: join(dir, 'app'), logger });
    const client = createApiClient({
      baseUrl: emulator.url,
      signer: createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret }),
      logger,
    });
    api = {
      requestToken: (args) => client.requestToken(args?.callback ? { callback: args.callback } : {}),
      authoriseUrl: (token, callback) => client.authoriseUrl(token, callback),
      authoriseWithPassword: (args) => client.authoriseWithPassword(args),
      accessToken: (args) => client.accessToken(args),
    };
  });
  afterAll(async () => {
    await Promise.all([vault.delete('accessToken'), vault.delete('accessTokenSecret')]);
    store.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  const persists = () => vault.backend !== 'none';

  function makeService(openExternal: (url: string) => Promise<void> = async () => undefined) {
    const changes: SessionView[] = [];
    const session = createSessionService({
      api,
      vault,
      store,
      openExternal,
      onChange: (view) => changes.push(view),
      defaultCountry: 'GB',
      logger,
      browserTimeoutMs: 20_000,
    });
    return { session, changes };
  }

  it('signs in the demo listener through the password exchange and restores the session after a restart', async () => {
    const { session, changes } = makeService();
    const view = await session.signInDemo(true);
    expect(view).toMatchObject({
      state: 'signedIn',
      userId: demoListener.userId,
      country: 'GB',
      method: 'demo',
    });
    expect(changes.at(-1)).toEqual(view);
    expect(JSON.stringify(view)).not.toMatch(/token|secret/i);
    const token = session.require().token;
    expect(token.key).not.toBe('');

    if (persists()) {
      expect(await vault.get('accessToken')).toBe(token.key);
      const { session: restarted } = makeService();
      expect(await restarted.restore()).toMatchObject({ state: 'signedIn', userId: demoListener.userId });
      expect(restarted.require().token).toEqual(token);
    }
  });

  it('refuses a wrong password with unauthorized', async () => {
    const { session } = makeService();
    await expect(session.signInWithPassword(demoListener.email, 'wrong-password')).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('signs in three-legged: the authorise page in a "browser", the callback on the one-shot loopback listener', async () => {
    const opened: string[] = [];
    // Plays the user in the system browser: submit the emulator's sign-in form, follow the redirect.
    const browser = async (url: string): Promise<void> => {
      opened.push(url);
      const page = new URL(url);
      const form = new URLSearchParams({
        oauth_token: page.searchParams.get('oauth_token') ?? '',
        oauth_callback: page.searchParams.get('oauth_callback') ?? '',
        email: demoListener.email,
        password: demoListener.password,
      });
      const response = await fetch(new URL('/oauth/authorise', page), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`authorise answered ${response.status}`);
      // A forged callback (wrong state) is refused and does not end the sign-in.
      const forged = new URL(location);
      forged.searchParams.set('state', 'forged');
      expect((await fetch(forged)).status).toBe(400);
      expect((await fetch(location)).status).toBe(200);
    };
    const { session } = makeService(browser);
    const view = await session.signInWithBrowser();
    expect(view).toMatchObject({ state: 'signedIn', userId: demoListener.userId, method: 'browser' });
    expect(opened[0]).toMatch(new RegExp(`^${emulator.url}/oauth/authorise\\?oauth_token=`));
    expect(decodeURIComponent(opened[0] ?? '')).toMatch(
      /oauth_callback=http:\/\/127\.0\.0\.1:\d+\/callback\?state=/,
    );
  });

  it('cancels a browser sign-in that is still waiting', async () => {
    let opened = false;
    const { session } = makeService(async () => {
      opened = true;
    });
    const pending = session.signInWithBrowser();
    await expect.poll(() => opened).toBe(true);
    session.cancelSignIn();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('signs out and forgets the tokens; a rejected token mid-session signs out as expired', async () => {
    const { session, changes } = makeService();
    await session.signInDemo(true);
    expect(await session.signOut()).toEqual({ state: 'signedOut', reason: 'signedOut' });
    expect(await vault.get('accessToken')).toBeNull();
    expect(store.getSessionRecord()).toBeNull();

    await session.signInDemo(true);
    await session.expire();
    expect(changes.at(-1)).toEqual({ state: 'signedOut', reason: 'expired' });
    expect(() => session.require()).toThrow(/Sign in/);
  });
});
