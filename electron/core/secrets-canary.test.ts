// Secrets canary (issue 6). Septet's real core behind the real browser host, against the real
// emulator, with the real keychain (run under scripts/with-keyring.sh, as npm test does): sign in
// with the password exchange, sign out, sign in three-legged, play through the media gateway,
// cache a release offline and play it from the cache, report plays, sign out. The actual secret
// values are read from the keychain while they exist: both access tokens and token secrets, the
// consumer secret and the offline cache master key. None of them, in any encoding, may appear in
//  - any file under the app's data dir (raw bytes: SQLite databases, WAL and SHM files, JSON…),
//    while the app runs and after it stopped;
//  - the log (every record of every logger, at debug level, as the sink receives it);
//  - anything the renderer received (every /api response body and /events WebSocket message);
//  - any other browser host or media gateway response the page can fetch.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEmulator, type RunningEmulator } from '../../emulator/server.js';
import { demoConsumer, demoListener } from '../../shared/demo.js';
import type { Channel, ChannelArg, ChannelValue, Result } from '../../shared/ipc/contract.js';
import { startBrowserApp, type BrowserApp } from '../host/browser-app.js';
import { tokenHeader } from '../host/browser-host.js';
import { loadConfig } from './config/config.js';
import { configureLogging, createLogger, type LogRecord } from './logger.js';
import { createSecretVault, type SecretName } from './vault/secret-vault.js';

describe('secrets canary', () => {
  let dir: string;
  let dataDir: string;
  let emulator: RunningEmulator;
  let app: BrowserApp;
  let ws: WebSocket;
  const vaultService = `Septet-canary-${randomBytes(6).toString('hex')}`;
  const logLines: string[] = [];
  /** Every byte the page could receive: /api bodies, /events messages, pages and gateway bodies. */
  const received: Buffer[] = [];
  /** Secret values seen in the keychain during the run, by name. */
  const secrets = new Map<string, string>();

  const sink = (record: LogRecord): void => {
    logLines.push(JSON.stringify(record));
  };

  async function call<C extends Channel>(channel: C, arg: ChannelArg<C>): Promise<ChannelValue<C>> {
    const response = await fetch(`${app.origin}/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [tokenHeader]: app.host.token, Origin: app.origin },
      body: JSON.stringify(arg),
    });
    const body = Buffer.from(await response.arrayBuffer());
    received.push(body);
    const result = JSON.parse(body.toString('utf8')) as Result<ChannelValue<C>>;
    if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.message}`), result.error);
    return result.value;
  }

  async function fetchAsPage(url: string): Promise<Response> {
    const response = await fetch(url, { headers: { Origin: app.origin } });
    const body = Buffer.from(await response.arrayBuffer());
    received.push(body, Buffer.from(JSON.stringify([...response.headers.entries()])));
    return new Response(body, { status: response.status, headers: response.headers });
  }

  async function rememberSecrets(): Promise<void> {
    const vault = await createSecretVault({
      service: vaultService,
      logger: createLogger('canary', { level: 'silent' }),
    });
    expect(vault.backend, 'the canary needs a real keychain: run under scripts/with-keyring.sh').toBe(
      'keytar',
    );
    for (const name of [
      'accessToken',
      'accessTokenSecret',
      'cacheMasterKey',
      'consumerSecret',
    ] as SecretName[]) {
      const value = await vault.get(name);
      if (value) secrets.set(`${name}#${secrets.size}`, value);
    }
  }

  async function filesUnder(root: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(root, { withFileTypes: true })) {
      const path = join(root, entry.name);
      if (entry.isDirectory()) out.push(...(await filesUnder(path)));
      else if (entry.isFile()) out.push(path);
    }
    return out;
  }

  /** The byte patterns a leaked value could take: raw, URL-encoded, base64, hex, raw key bytes. */
  function needles(): Array<{ name: string; bytes: Buffer }> {
    const out: Array<{ name: string; bytes: Buffer }> = [];
    for (const [name, value] of secrets) {
      const forms = new Set([
        value,
        encodeURIComponent(value),
        encodeURIComponent(encodeURIComponent(value)),
        Buffer.from(value).toString('base64'),
      ]);
      for (const form of forms)
        out.push({ name: `${name} (${form === value ? 'raw' : 'encoded'})`, bytes: Buffer.from(form) });
      out.push({ name: `${name} (utf-16)`, bytes: Buffer.from(value, 'utf16le') });
      if (name.startsWith('cacheMasterKey')) {
        const key = Buffer.from(value, 'base64');
        out.push(
          { name: `${name} (key bytes)`, bytes: key },
          { name: `${name} (hex)`, bytes: Buffer.from(key.toString('hex')) },
        );
        out.push({ name: `${name} (base64url)`, bytes: Buffer.from(key.toString('base64url')) });
      }
    }
    return out;
  }

  function leaksIn(haystacks: Array<{ where: string; bytes: Buffer }>): string[] {
    const found: string[] = [];
    for (const needle of needles()) {
      for (const { where, bytes } of haystacks)
        if (bytes.includes(needle.bytes)) found.push(`${needle.name} in ${where}`);
    }
    return found;
  }

  async function dataDirLeaks(): Promise<string[]> {
    const files = await filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    return leaksIn(
      await Promise.all(
        files.map(async (f) => ({ where: f.slice(dataDir.length), bytes: await readFile(f) })),
      ),
    );
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-canary-'));
    dataDir = join(dir, 'app');
    const rendererDir = join(dir, 'renderer');
    await mkdir(rendererDir);
    await writeFile(
      join(rendererDir, 'index.html'),
      '<!doctype html><html><head><title>Septet</title></head><body></body></html>',
    );
    await writeFile(join(rendererDir, 'app.js'), 'export {};\n');
    emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    // Every logger: the ones the core creates from the one passed in and any module-level ones.
    configureLogging({ level: 'debug', sink });
    const logger = createLogger('septet', { level: 'debug', sink });
    // Plays the listener in the system browser: the emulator's sign-in form, then the loopback callback.
    const browser = async (url: string): Promise<void> => {
      const page = new URL(url);
      const response = await fetch(new URL('/oauth/authorise', page), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          oauth_token: page.searchParams.get('oauth_token') ?? '',
          oauth_callback: page.searchParams.get('oauth_callback') ?? '',
          email: demoListener.email,
          password: demoListener.password,
        }),
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`authorise answered ${response.status}`);
      expect((await fetch(location)).status).toBe(200);
    };
    app = await startBrowserApp({
      config: loadConfig({
        flags: { baseUrl: emulator.url, dataDir, logLevel: 'debug' },
        env: {},
        readFile: () => null,
      }),
      rendererDir,
      version: '0.0.0-canary',
      logger,
      vaultService,
      defaultDownloadFolder: join(dir, 'downloads'),
      openExternal: browser,
    });
    secrets.set('consumerSecret', demoConsumer.secret);
    ws = new WebSocket(`ws://127.0.0.1:${app.host.port}/events?token=${app.host.token}`, {
      origin: app.origin,
    });
    ws.on('message', (data: Buffer) => received.push(Buffer.from(data)));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
  }, 120_000);

  afterAll(async () => {
    ws?.close();
    await app?.close().catch(() => undefined);
    // Leave nothing in the test keychain.
    const vault = await createSecretVault({
      service: vaultService,
      logger: createLogger('canary', { level: 'silent' }),
    });
    for (const name of [
      'accessToken',
      'accessTokenSecret',
      'cacheMasterKey',
      'consumerSecret',
    ] as SecretName[])
      await vault.delete(name);
    configureLogging({ level: 'silent' });
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every token, token secret, consumer secret and master key out of files, logs, the renderer and responses', async () => {
    // The page itself (the browser host trades the URL token for a cookie).
    const first = await fetch(app.url, { redirect: 'manual' });
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(`${app.origin}/`, { headers: { Cookie: cookie } });
    received.push(Buffer.from(await page.text()), Buffer.from(JSON.stringify([...page.headers.entries()])));

    // 1. Password exchange.
    expect(
      await call('session:signInWithPassword', {
        email: demoListener.email,
        password: demoListener.password,
      }),
    ).toMatchObject({ state: 'signedIn' });
    await rememberSecrets();
    await call('session:signOut', {});

    // 2. Three-legged, through the "system browser".
    expect(await call('session:signInWithBrowser', {})).toMatchObject({
      state: 'signedIn',
      method: 'browser',
    });
    await rememberSecrets();
    const tokens = [...secrets.entries()].filter(([name]) => name.startsWith('accessToken'));
    expect(tokens.length).toBe(4); // two sign-ins × token + token secret
    expect(new Set(tokens.map(([, v]) => v)).size).toBe(4);
    await call('session:getSession', {});
    await call('app:getInfo', {});

    // 3. Playback through the gateway (manifest, key, segments), and a reported play.
    const [track] = (await call('catalogue:searchTracks', { q: 'Morning Signal' })).items;
    const stream = await call('playback:resolveStream', { trackId: track!.id, context: 'subscription' });
    const manifest = await (await fetchAsPage(stream.url)).text();
    expect(manifest).toMatch(/^#EXTM3U/);
    const uris = [
      ...manifest.split('\n').filter((l) => l && !l.startsWith('#')),
      ...[...manifest.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]!),
    ];
    for (const uri of uris.slice(0, 4))
      expect((await fetchAsPage(new URL(uri, stream.url).toString())).status).toBe(200);
    await call('playback:reportPlay', { streamId: stream.streamId, listened: 0, endReason: 'naturalEnd' });

    // 4. Offline: authorise the device, cache a release, play it from the encrypted cache.
    const [release] = (await call('catalogue:searchReleases', { q: 'Paper Satellites' })).items;
    await call('offline:makeAvailable', { releaseId: release!.id });
    let status = await call('offline:getStatus', {});
    for (
      let i = 0;
      i < 600 && status.items.some((item) => item.state === 'queued' || item.state === 'downloading');
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await call('offline:getStatus', {});
    }
    expect(status.items.map((item) => item.state)).toEqual(['ready']);
    expect(status.cachedTrackIds.length).toBeGreaterThan(0);
    await rememberSecrets();
    expect([...secrets.keys()].some((name) => name.startsWith('cacheMasterKey'))).toBe(true);
    const cachedId = status.cachedTrackIds[0]!;
    const offline = await call('playback:resolveStream', {
      trackId: cachedId,
      releaseId: release!.id,
      context: 'subscription',
    });
    const cachedBody = await (await fetchAsPage(offline.url)).text();
    expect(cachedBody.length).toBeGreaterThan(0);
    await call('offline:listDevices', {});
    await call('playlog:getStatus', {});

    // While the app runs (WAL files still open): nothing in the data dir.
    expect(await dataDirLeaks()).toEqual([]);

    // 5. Sign out; the keychain entries go, the rest of the app stays.
    expect(await call('session:signOut', {})).toMatchObject({ state: 'signedOut' });
    await call('session:getSession', {});
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the last events reach the socket
    ws.close();
    await app.close();

    // The secrets were real and are now gone from the keychain.
    expect(secrets.size).toBeGreaterThanOrEqual(6);
    expect(await dataDirLeaks()).toEqual([]);
    // Positive control: the same search finds the tokens where they belong (the emulator's state).
    const emulatorDir = join(dir, 'emulator');
    const serverSide = leaksIn(
      await Promise.all(
        (await filesUnder(emulatorDir)).map(async (f) => ({ where: f, bytes: await readFile(f) })),
      ),
    );
    expect(serverSide.some((hit) => hit.startsWith('accessTokenSecret'))).toBe(true);
    expect(logLines.length).toBeGreaterThan(10);
    expect(
      leaksIn(
        logLines.map((line, i) => ({
          where: `log line ${i}: ${line.slice(0, 120)}`,
          bytes: Buffer.from(line),
        })),
      ),
    ).toEqual([]);
    expect(received.length).toBeGreaterThan(20);
    expect(
      leaksIn(
        received.map((bytes, i) => ({
          where: `renderer/browser-host payload ${i}: ${bytes.subarray(0, 120).toString()}`,
          bytes,
        })),
      ),
    ).toEqual([]);
  }, 180_000);
});
