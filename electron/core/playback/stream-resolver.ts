// Resolves a track to a playable URL on the media gateway, per play context: a preview clip, a
// radio or locker stream, or a subscription stream — from the offline cache when the track is
// kept there (online-cached or offline), else from the service, falling back to a preview when
// the listener has no subscription. Every stream it resolves opens a play (play-accounting.ts):
// the view carries its streamId, and what the play log will say was decided here, not by the
// renderer.
import { AppError } from '../../../shared/errors.js';
import type { PlayContext } from '../../../shared/domain/play.js';
import { previewSeconds, streamFormatIds, type StreamFormat } from '../../../shared/domain/stream.js';
import type { StreamView } from '../../../shared/ipc/contract.js';
import type { AppEventBus } from '../../../shared/ipc/handlers.js';
import { isStreamTakenOver, isSubscriptionRequired } from '../api/service-failures.js';
import type { Connectivity } from '../connectivity.js';
import type { MediaGateway, StreamRequest } from '../media-gateway/media-gateway.js';
import type { StreamSource } from '../../../shared/domain/stream.js';
import type { PlayAccounting } from './play-accounting.js';
import type { SessionService } from '../session/session-service.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { announceStreamTakenOver } from './stream-taken-over.js';
import type { SubscriptionCheck } from './subscription-check.js';

export type StreamTarget = {
  trackId: string;
  releaseId?: string;
  context: PlayContext;
  /** Radio streams (main only): the station's session and the track's length. */
  radio?: { sessionId: string; durationSec?: number };
};

/** A resolved stream before its play is opened. */
type Resolved = Omit<StreamView, 'streamId'> & { source: StreamSource };

export type StreamResolverDeps = {
  session: Pick<SessionService, 'require' | 'view' | 'setSubscription'>;
  settings: Pick<SettingsStore, 'get' | 'getOfflineItems'>;
  gateway: () => MediaGateway;
  connectivity: Pick<Connectivity, 'remote' | 'probe'>;
  offlineCache: { formatOf(trackId: string): StreamFormat | null };
  subscription: SubscriptionCheck;
  events: AppEventBus;
  plays: Pick<PlayAccounting, 'open'>;
  clientId: string;
};

export type StreamResolver = {
  /** `warm`: fetch an HLS manifest now (and so learn at once whether the listener may stream). */
  resolve(target: StreamTarget, warm: boolean): Promise<StreamView>;
};

export function createStreamResolver(deps: StreamResolverDeps): StreamResolver {
  // Long by design (over 80 lines): a createX factory whose closure is the service's private state; each inner function is short.
  const { session } = deps;

  const preview = (target: StreamTarget): Resolved => ({
    source: 'preview',
    trackId: target.trackId,
    context: target.context,
    url: deps.gateway().urlFor({ trackId: target.trackId, source: 'preview', format: 'progressive' }),
    kind: 'progressive',
    playMode: 'online',
    logKind: 'preview',
    durationSec: previewSeconds,
  });

  /** The gateway URL of a request; for HLS when warming, after the manifest has been fetched. */
  const urlFor = (request: StreamRequest, warm: boolean): Promise<string> | string =>
    warm && request.format === 'hls'
      ? deps.connectivity.remote(() => deps.gateway().prefetch(request))
      : deps.gateway().urlFor(request);

  const radioOrLocker = async (target: StreamTarget, warm: boolean): Promise<Resolved> => {
    const format = deps.settings.get().streamFormat;
    const radio = target.context === 'radio';
    const request: StreamRequest = {
      trackId: target.trackId,
      source: radio ? 'catalogue' : 'locker',
      format,
    };
    return {
      source: request.source,
      trackId: target.trackId,
      context: target.context,
      url: await urlFor(request, warm),
      kind: format,
      playMode: 'online',
      logKind: radio ? 'catalogue' : 'subscriber',
      ...(target.radio?.durationSec !== undefined ? { durationSec: target.radio.durationSec } : {}),
    };
  };

  /** A track kept offline: the cache plays it, online-cached when the service is reachable. */
  const cached = async (target: StreamTarget, format: StreamFormat, userId: string): Promise<Resolved> => {
    const reachable = await deps.connectivity.probe();
    // Online, the service still decides: a lapsed subscription stops cached tracks too.
    if (reachable) await deps.subscription.check(target.trackId, userId);
    const request: StreamRequest = {
      trackId: target.trackId,
      source: reachable ? 'subscription' : 'offline',
      format,
    };
    return {
      source: request.source,
      trackId: target.trackId,
      context: target.context,
      url: deps.gateway().urlFor(request),
      kind: format,
      playMode: reachable ? 'online-cached' : 'offline',
      logKind: 'subscriber',
      formatId: streamFormatIds[deps.settings.get().streamQuality],
    };
  };

  const subscription = async (target: StreamTarget): Promise<Resolved> => {
    const view = session.view();
    if (view.state === 'signedIn' && (view.subscription === 'none' || view.subscription === 'expired'))
      return preview(target);
    const prefs = deps.settings.get();
    const format = prefs.streamFormat;
    const request: StreamRequest = { trackId: target.trackId, source: 'subscription', format };
    let url: string;
    try {
      // Fetching the manifest now (HLS) also tells whether the listener may stream at all.
      url = await urlFor(request, true);
    } catch (error) {
      if (isSubscriptionRequired(error)) {
        deps.subscription.lapsed();
        return preview(target);
      }
      if (isStreamTakenOver(error)) announceStreamTakenOver(deps.events, target.trackId);
      throw error;
    }
    if (format === 'hls') session.setSubscription('active');
    return {
      source: 'subscription',
      trackId: target.trackId,
      context: target.context,
      url,
      kind: format,
      playMode: 'online',
      logKind: 'subscriber',
      formatId: streamFormatIds[prefs.streamQuality],
    };
  };

  /** A track kept offline for this listener (another account's offline copies are not theirs to play). */
  const ownsCached = (userId: string, trackId: string): boolean =>
    deps.settings
      .getOfflineItems()
      .some(
        (item) => (item.userId === undefined || item.userId === userId) && item.trackIds.includes(trackId),
      );

  const resolveOnly = (target: StreamTarget, warm: boolean, userId: string): Promise<Resolved> | Resolved => {
    switch (target.context) {
      case 'preview':
        return preview(target);
      case 'radio':
      case 'locker':
        return radioOrLocker(target, warm);
      case 'subscription': {
        const cachedFormat = ownsCached(userId, target.trackId)
          ? deps.offlineCache.formatOf(target.trackId)
          : null;
        return cachedFormat ? cached(target, cachedFormat, userId) : subscription(target);
      }
    }
    throw new AppError({ code: 'invalid_input', message: 'Unknown play context.' });
  };

  return {
    async resolve(target, warm) {
      const current = session.require();
      const { source, ...view } = await resolveOnly(target, warm, current.userId);
      const streamId = deps.plays.open(current.userId, view.logKind, {
        trackId: view.trackId,
        ...(target.releaseId ? { releaseId: target.releaseId } : {}),
        ...(view.formatId !== undefined ? { formatId: view.formatId } : {}),
        playMode: view.playMode,
        country: current.country,
        clientId: deps.clientId,
        context: view.context,
        source,
        format: view.kind,
        ...(view.durationSec !== undefined ? { durationSec: view.durationSec } : {}),
        ...(target.radio ? { radioSessionId: target.radio.sessionId } : {}),
      });
      return { streamId, ...view };
    },
  };
}
