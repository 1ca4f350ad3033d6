// The Electron window's hardening as data and pure functions, so electron/security.test.ts can
// assert it without an Electron binary: webPreferences, the app origin check (a URL parser, never
// startsWith), the navigation / new-window / webview / permission guards and the openExternal
// allowlist. main.ts only wires these into Electron. Type-only Electron imports: nothing here
// loads Electron at run time.
import type { Session, WebContents, WebPreferences } from 'electron';
import { contentSecurityPolicy, type CspOptions } from './host/csp.js';

export const appScheme = 'septet';
export const appHost = 'app';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/** The window's webPreferences: an isolated, sandboxed renderer without Node, with web security on. */
export function windowWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** The renderer's CSP in the Electron host (the same builder as the browser host's). */
export function appContentSecurityPolicy(gatewayOrigin: string | undefined): string {
  const options: CspOptions = gatewayOrigin ? { gatewayOrigin } : {};
  return contentSecurityPolicy(options);
}

/**
 * True only for a URL of the app's own origin (septet://app/…), judged by the URL parser:
 * `septet://app.attacker.com/`, `septet://app@evil/`, `septet://APP:80/` and friends are foreign.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${appScheme}:` &&
    parsed.hostname === appHost &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export type NavigationEvent = { preventDefault(): void };

/** will-navigate / will-redirect / will-frame-navigate: anything but the app itself is stopped. */
export function guardNavigation(event: NavigationEvent, url: string): void {
  if (!isAppUrl(url)) event.preventDefault();
}

/** setWindowOpenHandler: the app never opens windows (external links go through openExternal). */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** will-attach-webview: no <webview> ever (webviewTag is off too). */
export function refuseWebview(event: NavigationEvent): void {
  event.preventDefault();
}

/**
 * Electron grants every permission by default. Septet needs one: notifications (the track-change
 * notification, a setting the listener turns on), and only for its own pages; everything else is
 * denied (audio playback needs no permission).
 */
export function appPermissionRequest(
  _contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: { requestingUrl?: string },
): void {
  callback(permission === 'notifications' && isAppUrl(details?.requestingUrl ?? ''));
}

export function appPermissionCheck(
  _contents: unknown,
  permission: string,
  requestingOrigin: string,
): boolean {
  return permission === 'notifications' && isAppUrl(requestingOrigin);
}

/** Installs the guards on every WebContents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', guardNavigation);
  contents.on('will-frame-navigate', (event) => guardNavigation(event, event.url));
  contents.on('will-redirect', guardNavigation);
  contents.on('will-attach-webview', refuseWebview);
  contents.setWindowOpenHandler(denyWindowOpen);
}

/** Installs the permission handlers on a session (the default session, before the window loads). */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler(appPermissionRequest);
  session.setPermissionCheckHandler(appPermissionCheck);
}

/**
 * The only URLs handed to shell.openExternal: http(s) pages without credentials in the URL
 * (the service's sign-in page). Returns the normalised URL, or throws.
 */
export function externalUrlOrThrow(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('refused to open an invalid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error('refused to open a non-web URL');
  if (parsed.username !== '' || parsed.password !== '')
    throw new Error('refused to open a URL with credentials');
  return parsed.toString();
}
