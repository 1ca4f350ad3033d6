// This device's offline authorisation (POST /users/{id}/unlimitedStreaming/offline): asked once
// per run and account (the service keeps it), asked again after the service refused it (2002).
import { AppError } from '../../../shared/errors.js';
import { toNetworkError } from '../api/response.js';
import type { ApiCall, SessionInfo } from '../media-gateway/upstream.js';

type Platform = 'ios' | 'android' | 'web' | 'windows' | 'macos';

export function createDeviceAuthorisation(deps: { call: ApiCall; deviceName: string; platform?: Platform }): {
  ensure(session: SessionInfo): Promise<void>;
  forget(): void;
} {
  let authorisation: Promise<void> | undefined;
  let authorisedFor = '';

  async function authorise(session: SessionInfo): Promise<void> {
    const body = (await deps
      .call('authorizeOfflineDevice', {
        path: { userId: session.userId },
        body: {
          deviceId: session.clientId,
          deviceName: deps.deviceName,
          platform: deps.platform ?? platformName(),
        },
      })
      .catch((error: unknown) => {
        throw toNetworkError(error, 'authorise offline device');
      })) as { status?: unknown } | undefined;
    if (body?.status !== undefined && body.status !== 'authorised') {
      throw new AppError({
        code: 'not_available',
        message: `offline device authorisation answered ${String(body.status)}`,
      });
    }
  }

  return {
    ensure(session) {
      const who = `${session.userId}\u0000${session.clientId}`;
      if (!authorisation || authorisedFor !== who) {
        authorisedFor = who;
        const attempt: Promise<void> = authorise(session).catch((error: unknown) => {
          if (authorisation === attempt) authorisation = undefined;
          throw error;
        });
        authorisation = attempt;
      }
      return authorisation;
    },
    forget() {
      authorisation = undefined;
    },
  };
}

function platformName(): 'windows' | 'macos' | 'web' {
  if (process.platform === 'win32') return 'windows';
  if (process.platform === 'darwin') return 'macos';
  // The spec's platform enum has no Linux: 'web' is the closest desktop-neutral value.
  return 'web';
}
