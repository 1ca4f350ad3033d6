// The media operations (notes §5, §7.6, §7.8; rules 22–27, 34, 36): streams and previews
// (stream-routes.ts), the locker's downloads (download-routes.ts) and content delivery
// (media-transfer.ts), over the media engine. Every catalogue track has media: it is generated
// when first asked for (media-engine.ts).
import type { Router } from '../http.js';
import type { RouteContext } from '../routes/context.js';
import { registerDownloadRoutes } from './download-routes.js';
import type { EmulatorMedia } from './emulator-media.js';
import { registerMediaTransferRoute } from './media-transfer.js';
import { createRequestChecks } from './request-checks.js';
import { defaultMediaRouteConfig, mediaRouteDeps, type MediaRouteDeps } from './route-deps.js';
import { createStreamClaims } from './stream-claims.js';
import { registerStreamRoutes } from './stream-routes.js';

export { mediaTransferUrl } from './media-transfer.js';

export type MediaRoutes = {
  /** The concurrency state, for tests and the test API. */
  activeClient(userId: string): string | undefined;
};

/** Registers the media operations over the emulator's state and catalogue (the route context). */
export function registerMediaRoutes(router: Router, ctx: RouteContext, media: EmulatorMedia): MediaRoutes {
  return registerMediaRoutesWithDeps(router, mediaRouteDeps(ctx, media));
}

/** The media operations over a small deps object (the route tests give them fakes). */
export function registerMediaRoutesWithDeps(router: Router, deps: MediaRouteDeps): MediaRoutes {
  const config = { ...defaultMediaRouteConfig, ...deps.config };
  const checks = createRequestChecks(deps, config);
  const claims = createStreamClaims();
  registerStreamRoutes(router, { deps, config, checks, claims });
  registerDownloadRoutes(router, { deps, checks });
  registerMediaTransferRoute(router, { deps, config, checks });
  return { activeClient: claims.activeClient };
}
