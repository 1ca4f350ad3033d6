// Named loggers writing one JSON line per event. Every line passes through redact(), which
// strips OAuth signatures, tokens, secrets, passwords and Authorization headers, so a caller
// can log a URL, a header map or an error without thinking about what it carries.

export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export type LogRecord = {
  time: string;
  level: Exclude<LogLevel, 'silent'>;
  logger: string;
  msg: string;
  [field: string]: unknown;
};

/** Receives records that are already redacted. */
export type LogSink = (record: LogRecord) => void;

export type Logger = {
  readonly name: string;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
};

export type LoggerOptions = { level?: LogLevel; sink?: LogSink };

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export const redactedMarker = '[redacted]';

/** Writes each record as a JSON line to stderr (stdout stays free for CLI output). */
export const stderrSink: LogSink = (record) => {
  process.stderr.write(`${JSON.stringify(record)}\n`);
};

function envLevel(): LogLevel {
  const raw = process.env.SEPTET_LOG_LEVEL?.toLowerCase();
  return (logLevels as readonly string[]).includes(raw ?? '') ? (raw as LogLevel) : 'info';
}

let defaults: { level: LogLevel; sink: LogSink } = { level: envLevel(), sink: stderrSink };

/** Sets the level and sink of loggers created without their own (the composition root calls this once). */
export function configureLogging(options: LoggerOptions): void {
  defaults = { level: options.level ?? defaults.level, sink: options.sink ?? defaults.sink };
}

// Exact secret values (consumer secret, token secrets…) that must never appear in a line,
// whatever field or message they hide in. Values shorter than 4 characters are ignored: they
// would redact ordinary words.
const secretValues = new Set<string>();

/** Adds a secret value to redact everywhere it appears, e.g. the consumer secret once it is loaded. */
export function addRedactedValue(value: string | undefined | null): void {
  if (value && value.length >= 4) secretValues.add(value);
}

export function removeRedactedValue(value: string): void {
  secretValues.delete(value);
}

const sensitiveKey =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|secret|consumer_?secret|consumersecret|token_?secret|tokensecret|oauth_signature|oauth_token|oauth_token_secret|oauth_verifier|access_?token|refresh_?token|token|master_?key|masterkey|api_?key_?secret)$/i;

// Covers query strings and form bodies (name=value), Authorization header values
// (name="value"), and JSON text ("name":"value").
const sensitiveParam =
  /((?:oauth_signature|oauth_token_secret|oauth_token|oauth_verifier|password|consumer_?secret|token_?secret)(?:="|":\s*"|"\s*:\s*"|%3D|=))([^&"\s,;]*)/gi;
// An Authorization value may hold quotes and commas: everything to the end of the line goes.
const authorizationHeaderValue = /(authorization["']?\s*[:=]\s*["']?)(OAuth|Bearer|Basic)\s[^\n]*/gi;

export function redactString(text: string): string {
  let out = text.replace(sensitiveParam, (_m, prefix: string) => `${prefix}${redactedMarker}`);
  out = out.replace(authorizationHeaderValue, (_m, prefix: string) => `${prefix}${redactedMarker}`);
  for (const secret of secretValues) {
    if (out.includes(secret)) out = out.split(secret).join(redactedMarker);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(redactedMarker);
  }
  return out;
}

/** Returns a redacted deep copy that is safe to serialise (errors become plain objects). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
    for (const key of ['code', 'serviceCode', 'status'] as const) {
      const v = (value as unknown as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = v;
    }
    if (value.stack) out.stack = redactString(value.stack);
    if (value.cause !== undefined) out.cause = redact(value.cause, depth + 1);
    return out;
  }
  if (value instanceof URL) return redactString(value.toString());
  if (typeof Headers !== 'undefined' && value instanceof Headers) {
    return redact(Object.fromEntries(value.entries()), depth + 1);
  }
  if (value instanceof URLSearchParams) return redactString(value.toString());
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      sensitiveKey.test(key) && v !== undefined && v !== null ? redactedMarker : redact(v, depth + 1);
  }
  return out;
}

export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const write = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>): void => {
    const threshold = options.level ?? defaults.level;
    if (rank[level] < rank[threshold]) return;
    const sink = options.sink ?? defaults.sink;
    const safeFields = fields ? (redact(fields) as Record<string, unknown>) : {};
    const record: LogRecord = {
      ...safeFields,
      time: new Date().toISOString(),
      level,
      logger: name,
      msg: redactString(msg),
    };
    sink(record);
  };
  return {
    name,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (childName) => createLogger(`${name}:${childName}`, options),
  };
}
