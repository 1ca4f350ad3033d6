// What a failed call means to the app, decided from the service's error codes
// (shared/service-errors.ts) on the AppError the one HTTP→error path (response.ts) made.
// Nothing else in the core reads an error's message.
import { isAppError, type AppError } from '../../../shared/errors.js';
import {
  noSubscriptionText,
  oauthErrorPrefix,
  oauthUserTokenRejection,
  serviceErrorCodes,
} from '../../../shared/service-errors.js';

/** No answer at all: the network or the host is down (or too slow). */
export function isConnectionFailure(error: AppError): boolean {
  return error.code === 'network' || error.code === 'timeout';
}

/** Network trouble of any kind, including the app already knowing it is offline. */
export function isUnreachable(error: unknown): boolean {
  return isAppError(error) && (isConnectionFailure(error) || error.code === 'offline');
}

/** An OAuth failure (no service code) about the listener's access token: the session is over. */
export function isUserTokenRejected(error: unknown): boolean {
  if (!isAppError(error) || error.code !== 'unauthorized' || error.serviceCode !== undefined) return false;
  const at = error.message.indexOf(oauthErrorPrefix.trim());
  return at >= 0 && oauthUserTokenRejection.test(error.message.slice(at + oauthErrorPrefix.length));
}

/** 3201: another device of the account took the subscription stream. */
export function isStreamTakenOver(error: unknown): boolean {
  return (
    isAppError(error) &&
    (error.serviceCode === serviceErrorCodes.concurrentStream || error.code === 'concurrent_stream')
  );
}

/** 2002 on a subscription stream because the listener has no valid subscription (not "no media"). */
export function isSubscriptionRequired(error: unknown): boolean {
  return (
    isAppError(error) &&
    (error.serviceCode ?? codeOf(error)) === serviceErrorCodes.notAvailable &&
    noSubscriptionText.test(error.message)
  );
}

/** The service code an AppError stands for when it was made without one (not_available ↔ 2002). */
function codeOf(error: AppError): number | undefined {
  return error.code === 'not_available' ? serviceErrorCodes.notAvailable : undefined;
}
