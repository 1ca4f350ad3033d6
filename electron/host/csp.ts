// The renderer's Content-Security-Policy, the same for both hosts: no eval, no inline script,
// no plugins, no framing; audio and manifests only from the media gateway.

export type CspOptions = {
  /** Origin of the media gateway, e.g. http://127.0.0.1:41234 (the audio engine's fetches, <audio> src). */
  gatewayOrigin?: string;
  /** Extra connect-src entries, e.g. the browser host's own ws:// origin. */
  connect?: string[];
};

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const gateway = options.gatewayOrigin ? [options.gatewayOrigin] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // React style attributes (virtualised rows are positioned with inline styles).
    'style-src': ["'self'", "'unsafe-inline'"],
    // Artwork: the catalogue's image URLs (https CDN, or the local emulator/gateway).
    'img-src': ["'self'", 'data:', 'blob:', 'https:', 'http://127.0.0.1:*'],
    // HLS plays through MediaSource (blob: URLs); progressive audio straight from the gateway.
    'media-src': ["'self'", 'blob:', ...gateway],
    'connect-src': ["'self'", ...gateway, ...(options.connect ?? [])],
    'worker-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers sent with every response of the browser host (and the Electron app protocol). */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
