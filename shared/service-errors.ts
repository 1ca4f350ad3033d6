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
