// The MassiveMusic service's error codes and envelope (notes §2), shared by the emulator and the client.

export const serviceErrorCodes = {
  missingParameter: 1001,
  invalidValue: 1002,
  outOfRange: 1003,
  invalidEnumeration: 1006,
  batchHasErrors: 1008,
  notFound: 2001,
  notAvailable: 2002,
  alreadyExists: 2003,
  concurrentStream: 3201,
  unableToPerformAction: 7001,
} as const;

export type ServiceErrorCode = (typeof serviceErrorCodes)[keyof typeof serviceErrorCodes];

export type ServiceItemError = { code: number; message: string; index: number };

export type ServiceErrorEnvelope = {
  status: 'error';
  error: { code: number; message: string; errors?: ServiceItemError[] };
};

/** Prefix of every OAuth failure body (plain text, HTTP 401). */
export const oauthErrorPrefix = 'OAuth authentication error: ';

/**
 * OAuth failures carry no service code, only text (notes §1.4). These name the listener's access
 * token (`Invalid token`) or its absence (`Not authorised - no user credentials provided`): the
 * service no longer accepts the session, as opposed to the consumer key or a signature.
 */
export const oauthUserTokenRejection = /token|user credentials/i;

/**
 * Code 2002 on a subscription stream stands for two things (notes §4.3): the listener has no
 * valid subscription, or the track has no media to stream. The service's text tells them apart.
 */
export const noSubscriptionText = /subscription/i;
