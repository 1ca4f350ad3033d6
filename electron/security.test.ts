// Electron hardening asserted as data (issue 6, Security). Electron cannot run here, so the
// window options, CSP and guards are the real exported values from window-options.ts; WebContents,
// Session, ipcMain and the preload's `electron` module are small fakes with only the members the
// code under test touches. The last block checks that main.ts really wires these values in.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { IpcMain, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { channels } from '../shared/ipc/contract.js';
import { createAppEventBus } from '../shared/ipc/handlers.js';
import { createLogger } from './core/logger.js';
import { registerElectronIpc } from './host/electron-ipc.js';
import { handlersWith } from './host/testing/test-handlers.js';
import {
  appContentSecurityPolicy,
  appEntryUrl,
  appOrigin,
  denyWindowOpen,
  externalUrlOrThrow,
  guardNavigation,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  windowWebPreferences,
} from './window-options.js';

const here = dirname(fileURLToPath(import.meta.url));

// URLs an attacker (or a compromised page) may try to reach; none is the app.
const foreignUrls = [
  'https://example.com/',
  'http://127.0.0.1:8787/',
  'file:///etc/passwd',
  'septet://app.attacker.com/index.html',
  'septet://app.evil/',
  'septet://app@evil.example/',
  'septet://user:pw@app/index.html',
  'septet://evil.example/?septet://app/',
  'septet://app:444/index.html',
  'septet://appx/',
  'https://app/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'not a url',
  '',
];

describe('window webPreferences', () => {
  const prefs = windowWebPreferences('/app/preload.cjs');

  it('isolates and sandboxes the renderer, without Node, with web security on', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  it('enables nothing insecure or experimental', () => {
    expect(prefs.allowRunningInsecureContent ?? false).toBe(false);
    expect(prefs.experimentalFeatures ?? false).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.navigateOnDragDrop ?? false).toBe(false);
    // Every boolean that weakens the renderer when true is false or absent.
    const weakeningWhenTrue = [
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webviewTag',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'plugins',
    ] as const;
    for (const key of weakeningWhenTrue) expect(prefs[key] ?? false, key).toBe(false);
    const weakeningWhenFalse = ['contextIsolation', 'sandbox', 'webSecurity'] as const;
    for (const key of weakeningWhenFalse) expect(prefs[key], key).toBe(true);
  });
});

describe('content security policy', () => {
  const gateway = 'http://127.0.0.1:41234';
  const csp = appContentSecurityPolicy(gateway);
  const directives = new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('allows scripts only from the app itself: no eval, no inline script, no remote script', () => {
    expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    // A missing script-src would fall back to default-src; neither may carry unsafe-inline.
    for (const name of ['script-src', 'default-src', 'script-src-elem', 'script-src-attr']) {
      expect(directives.get(name) ?? [], name).not.toContain("'unsafe-inline'");
    }
  });

  it('forbids plugins, framing, base and form hijacking; media only from self and the gateway', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('media-src')).toEqual(["'self'", 'blob:', gateway]);
    for (const values of directives.values()) expect(values).not.toContain('*');
  });
});

describe('navigation, new windows, webviews and permissions', () => {
  it('recognises only the app origin, by URL parser (lookalikes are foreign)', () => {
    expect(isAppUrl(appEntryUrl)).toBe(true);
    expect(isAppUrl(`${appOrigin}/album/123?x=1#y`)).toBe(true);
    for (const url of foreignUrls) expect(isAppUrl(url), url).toBe(false);
  });

  type Listener = (...args: unknown[]) => void;
  function fakeContents() {
    const listeners = new Map<string, Listener[]>();
    let openHandler: ((details: { url: string }) => unknown) | undefined;
    const contents = {
      on(event: string, listener: Listener) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
        return contents;
      },
      setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
        openHandler = handler;
      },
    };
    const fire = (event: string, url: string): boolean => {
      let prevented = false;
      const ev = { url, preventDefault: () => (prevented = true) };
      const registered = listeners.get(event) ?? [];
      expect(registered.length, event).toBeGreaterThan(0);
      for (const listener of registered) listener(ev, url);
      return prevented;
    };
    return { contents: contents as unknown as WebContents, fire, openHandler: () => openHandler };
  }

  it('blocks will-navigate, will-frame-navigate and will-redirect to every URL but the app', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(event, `${appOrigin}/library`), `${event} app`).toBe(false);
      for (const url of foreignUrls) expect(fire(event, url), `${event} ${url}`).toBe(true);
    }
  });

  it('guardNavigation prevents the https://example.com.attacker.com-style bypass of a prefix check', () => {
    // A startsWith('septet://app') check would let these through.
    for (const url of ['septet://app.attacker.com/', 'septet://app@attacker.com/', 'septet://appattacker/']) {
      const event = { preventDefault: vi.fn() };
      guardNavigation(event, url);
      expect(event.preventDefault, url).toHaveBeenCalledOnce();
    }
  });

  it('denies every new window and every <webview>', () => {
    const { contents, fire, openHandler } = fakeContents();
    hardenWebContents(contents);
    expect(openHandler()).toBe(denyWindowOpen);
    for (const url of [appEntryUrl, ...foreignUrls])
      expect(openHandler()?.({ url })).toEqual({ action: 'deny' });
    expect(fire('will-attach-webview', appEntryUrl)).toBe(true);
  });

  it('denies every permission request and check but notifications for the app’s own pages', () => {
    let request:
      | ((
          wc: unknown,
          permission: string,
          cb: (granted: boolean) => void,
          details?: { requestingUrl?: string },
        ) => void)
      | undefined;
    let check: ((...args: unknown[]) => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (handler: typeof request) => (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => (check = handler),
    } as unknown as Session;
    hardenSession(session);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'midiSysex',
      'hid',
      'serial',
      'unknown',
    ]) {
      const cb = vi.fn();
      request!({}, permission, cb, { requestingUrl: appEntryUrl });
      const granted = permission === 'notifications';
      expect(cb, permission).toHaveBeenCalledExactlyOnceWith(granted);
      expect(check!({}, permission, appOrigin, {}), permission).toBe(granted);
    }
    // Notifications for a page that is not the app's: denied.
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', '']) {
      const cb = vi.fn();
      request!({}, 'notifications', cb, { requestingUrl: url });
      expect(cb, url).toHaveBeenCalledExactlyOnceWith(false);
      expect(check!({}, 'notifications', url, {}), url).toBe(false);
    }
    const none = vi.fn();
    request!({}, 'notifications', none);
    expect(none).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('opens only http(s) URLs without credentials in the system browser', () => {
    expect(externalUrlOrThrow('https://account.example.com/oauth/authorise?oauth_token=x')).toBe(
      'https://account.example.com/oauth/authorise?oauth_token=x',
    );
    expect(externalUrlOrThrow('http://127.0.0.1:8787/oauth/authorise')).toBe(
      'http://127.0.0.1:8787/oauth/authorise',
    );
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://evil/share',
      'septet://app/',
      'ms-msdt:/id',
      'https://user:pw@example.com/',
      'nope',
      ' https://x',
    ]) {
      if (url === ' https://x') continue; // URL trims leading spaces: it is a valid https URL.
      expect(() => externalUrlOrThrow(url), url).toThrow(/refused/);
    }
  });
});

describe('IPC sender check (registerElectronIpc)', () => {
  const logger = createLogger('test', { level: 'silent' });
  const handlers = handlersWith({ 'session:getSession': async () => ({ state: 'signedOut' }) });

  function setUp() {
    const registered = new Map<string, (event: IpcMainInvokeEvent, arg: unknown) => Promise<unknown>>();
    const ipcMain = {
      handle: (channel: string, listener: (event: IpcMainInvokeEvent, arg: unknown) => Promise<unknown>) =>
        registered.set(channel, listener),
      removeHandler: (channel: string) => registered.delete(channel),
    } as unknown as IpcMain;
    const mainFrame = { url: appEntryUrl };
    const contents = { mainFrame, isDestroyed: () => false, send: () => undefined } as unknown as WebContents;
    registerElectronIpc({
      ipcMain,
      handlers,
      events: createAppEventBus(() => undefined),
      logger,
      getWebContents: () => contents,
      appOrigin,
    });
    return { registered, contents, mainFrame };
  }

  it('answers the app window top frame on every channel, and refuses a lookalike or missing frame on every channel', async () => {
    const { registered, contents, mainFrame } = setUp();
    expect(registered.size).toBe(channels.length);
    const ok = await registered.get('session:getSession')!(
      { sender: contents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent,
      {},
    );
    expect(ok).toEqual({ ok: true, value: { state: 'signedOut' } });

    // septet://user:pw@app is the app's own origin by the URL standard (userinfo is not part of
    // an origin); navigation refuses it, the sender check need not.
    for (const url of foreignUrls.filter((u) => !u.includes('@app/'))) {
      mainFrame.url = url;
      for (const [channel, call] of registered) {
        const result = await call(
          { sender: contents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent,
          {},
        );
        expect(result, `${channel} from ${url}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    mainFrame.url = appEntryUrl;
    // A frame that is gone (senderFrame null) is refused too.
    const gone = await registered.get('session:getSession')!(
      { sender: contents, senderFrame: null } as unknown as IpcMainInvokeEvent,
      {},
    );
    expect(gone).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('preload bridge', () => {
  it('exposes exactly window.septet {invoke, on}, refuses unknown channels and events, and never leaks the IPC event', async () => {
    const exposed = new Map<string, unknown>();
    const invoked: Array<[string, unknown]> = [];
    const rendererListeners = new Map<string, (event: unknown, payload: unknown) => void>();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: (channel: string, arg: unknown) => {
          invoked.push([channel, arg]);
          return Promise.resolve({ ok: true, value: null });
        },
        on: (event: string, listener: (event: unknown, payload: unknown) => void) =>
          rendererListeners.set(event, listener),
        removeListener: (event: string) => rendererListeners.delete(event),
      },
    }));
    try {
      await import('./preload.js');
    } finally {
      vi.doUnmock('electron');
    }
    expect([...exposed.keys()]).toEqual(['septet']);
    const bridge = exposed.get('septet') as {
      invoke: (c: string, a: unknown) => Promise<unknown>;
      on: (e: string, l: (p: unknown) => void) => () => void;
    };
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);

    expect(await bridge.invoke('session:getSession', {})).toEqual({ ok: true, value: null });
    for (const channel of ['evil:channel', 'ELECTRON_BROWSER_REQUIRE', '__proto__', 'session:getSession ']) {
      expect(await bridge.invoke(channel, {}), channel).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
    expect(invoked.map(([c]) => c)).toEqual(['session:getSession']);

    expect(() => bridge.on('ipc-message', () => undefined)).toThrow(/Unknown event/);
    const payloads: unknown[][] = [];
    const off = bridge.on('app:connectivityChanged', (...args) => payloads.push(args));
    const senderEvent = { sender: { send: () => undefined }, senderFrame: {} };
    rendererListeners.get('app:connectivityChanged')!(senderEvent, { online: true });
    expect(payloads).toEqual([[{ online: true }]]);
    off();
    expect(rendererListeners.has('app:connectivityChanged')).toBe(false);
  });
});

describe('main.ts wiring', () => {
  // The assertions above only protect the app if main.ts uses these values and adds no others.
  const source = readFileSync(join(here, 'main.ts'), 'utf8');

  it('builds the window from windowWebPreferences and hardens every WebContents and the session', () => {
    expect(source).toMatch(/webPreferences:\s*windowWebPreferences\(/);
    expect(source.match(/webPreferences:/g)).toHaveLength(1);
    expect(source).toMatch(/app\.on\('web-contents-created',[^\n]*hardenWebContents\(contents\)\)/);
    expect(source).toMatch(/hardenSession\(session\.defaultSession\)/);
    expect(source).toMatch(/appContentSecurityPolicy\(/);
    expect(source).toMatch(/shell\.openExternal\(externalUrlOrThrow\(/);
    expect(source).toMatch(/registerElectronIpc\(/);
    expect(source).not.toMatch(
      /new BrowserView|webviewTag|setPermissionRequestHandler\(\(|startsWith\(`\$\{appOrigin/,
    );
  });
});

describe('static security scan (scripts/security-scan.mjs)', () => {
  const script = join(here, '..', 'scripts', 'security-scan.mjs');
  const run = async (root: string): Promise<{ code: number; out: string }> => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [script, '--root', root]);
      return { code: 0, out: stdout };
    } catch (error) {
      const e = error as { code?: number; stdout?: string };
      return { code: e.code ?? -1, out: e.stdout ?? '' };
    }
  };

  it('passes on this repository', async () => {
    const { code, out } = await run(join(here, '..'));
    expect(out).toMatch(/0 high\/medium finding/);
    expect(code).toBe(0);
  });

  it('fails on each insecure option and pattern', async () => {
    const root = mkdtempSync(join(tmpdir(), 'septet-scan-'));
    try {
      mkdirSync(join(root, 'electron'));
      const bad: Record<string, string> = {
        NODEINTEGRATION_ENABLED:
          'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: true, sandbox: true, webSecurity: true } });',
        CONTEXTISOLATION_DISABLED:
          'new BrowserWindow({ webPreferences: { nodeIntegration: false, contextIsolation: false, sandbox: true, webSecurity: true } });',
        SANDBOX_DISABLED: 'const p = { sandbox: false };',
        WEBSECURITY_DISABLED: 'const p = { webSecurity: flag };',
        ALLOWRUNNINGINSECURECONTENT_ENABLED: 'const p = { allowRunningInsecureContent: true };',
        EXPERIMENTALFEATURES_ENABLED: 'const p = { experimentalFeatures: true };',
        BLINK_FEATURES: "const p = { enableBlinkFeatures: 'CSSVariables' };",
        WEBVIEWTAG_ENABLED: 'const p = { webviewTag: true };',
        ENABLEREMOTEMODULE_ENABLED: 'const p = { enableRemoteModule: true };',
        BYPASSCSP_ENABLED:
          "protocol.registerSchemesAsPrivileged([{ scheme: 'x', privileges: { bypassCSP: true } }]);",
        WEB_PREFERENCES_MISSING: 'new BrowserWindow({ width: 10 });',
        WEB_PREFERENCES_UNVETTED: 'new BrowserWindow({ webPreferences: prefs });',
        CSP_UNSAFE_EVAL: "const csp = \"default-src 'self'; script-src 'self' 'unsafe-eval'\";",
        CSP_UNSAFE_INLINE_SCRIPT: "const csp = \"script-src 'self' 'unsafe-inline'\";",
        CSP_UNSAFE_SCRIPT: "const d = { 'script-src': [\"'self'\", \"'unsafe-inline'\"] };",
        OPEN_EXTERNAL_UNVALIDATED: 'await shell.openExternal(url);',
        REMOTE_MODULE: "import { remote } from 'electron';",
        EVAL: 'eval(code);',
        NEW_FUNCTION: "new Function('return 1');",
        WINDOW_OPEN_ALLOWED: "contents.setWindowOpenHandler(() => ({ action: 'allow' }));",
        PERMISSION_HANDLER_UNVETTED: 'session.setPermissionRequestHandler((_w, _p, cb) => cb(true));',
        LISTEN_NOT_LOOPBACK: "server.listen(0, '0.0.0.0', () => undefined);",
      };
      for (const [rule, code] of Object.entries(bad))
        writeFileSync(join(root, 'electron', `${rule.toLowerCase()}.ts`), `${code}\n`);
      writeFileSync(join(root, 'electron', 'listen-any.ts'), 'server.listen(8080);\n');
      mkdirSync(join(root, 'build'));
      writeFileSync(
        join(root, 'build', 'electron-builder.yml'),
        'electronFuses:\n  runAsNode: true\n  onlyLoadAppFromAsar: true\n',
      );
      const { code, out } = await run(root);
      expect(code).toBe(1);
      for (const [rule] of Object.entries(bad))
        expect(out, rule).toMatch(new RegExp(`\\b${rule}\\b.*${rule.toLowerCase()}\\.ts`));
      expect(out).toMatch(/LISTEN_NOT_LOOPBACK electron\/listen-any\.ts/);
      expect(out).toMatch(
        /FUSE_INSECURE build\/electron-builder\.yml:0 electronFuses\.runAsNode must be false/,
      );
      expect(out).toMatch(/FUSE_INSECURE .*enableCookieEncryption must be true \(is undefined\)/);
      expect(out).not.toMatch(/onlyLoadAppFromAsar/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
