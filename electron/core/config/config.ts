// Septet's configuration: where the API is, which consumer key, an optional remote signer, and
// where data lives. Precedence: flags > environment > JSON config file > defaults. Secrets
// (the consumer secret) come from the environment or the vault, never from the config file.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { demoConsumer } from '../../../shared/demo.js';
import { logLevels } from '../logger.js';

export const defaultEmulatorUrl = 'http://127.0.0.1:8787';

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL')
  .transform((value) => value.replace(/\/+$/, ''));

const secretKeys = [
  'consumerSecret',
  'consumer_secret',
  'secret',
  'tokenSecret',
  'accessToken',
  'password',
  'masterKey',
];

/** The JSON config file. Unknown keys are errors, so a typo never silently falls back to a default. */
export const ConfigFile = z
  .object({
    baseUrl: httpUrl.optional(),
    consumerKey: z.string().min(1).optional(),
    signerUrl: httpUrl.optional(),
    dataDir: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().max(600_000).optional(),
    logLevel: z.enum(logLevels).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as GB')
      .optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

export const SeptetConfig = z.object({
  baseUrl: httpUrl,
  consumerKey: z.string().min(1),
  /** From SEPTET_CONSUMER_SECRET, or the emulator's public demo secret for the demo key. */
  consumerSecret: z.string().min(1).optional(),
  signerUrl: httpUrl.optional(),
  dataDir: z.string().min(1),
  timeoutMs: z.number().int().positive(),
  logLevel: z.enum(logLevels),
  country: z.string().optional(),
  /** Which file was read, if any. */
  configFile: z.string().optional(),
});
export type SeptetConfig = z.infer<typeof SeptetConfig>;

/** Values given on the command line (already parsed), highest precedence. */
export type ConfigFlags = {
  baseUrl?: string;
  consumerKey?: string;
  signerUrl?: string;
  dataDir?: string;
  timeoutMs?: number;
  logLevel?: string;
  country?: string;
  config?: string;
};

export type LoadConfigOptions = {
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
  /** Reads the config file; injectable for tests. Returns null when the file does not exist. */
  readFile?: (path: string) => string | null;
  platform?: NodeJS.Platform;
  home?: string;
};

export function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Septet');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Septet');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'septet');
}

export function defaultConfigPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Septet', 'config.json');
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Septet', 'config.json');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'septet', 'config.json');
}

function readOptionalFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError({
      code: 'invalid_input',
      message: `Cannot read config file ${path}: ${(error as Error).message}`,
    });
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

export function parseConfigFile(text: string, path: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError({
      code: 'invalid_input',
      message: `Config file ${path} is not valid JSON: ${(error as Error).message}`,
    });
  }
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const secretKey = Object.keys(json).find((key) => secretKeys.includes(key));
    if (secretKey) {
      throw new AppError({
        code: 'invalid_input',
        message: `Config file ${path} contains "${secretKey}": secrets are never read from the config file. Set SEPTET_CONSUMER_SECRET or store it in the vault.`,
      });
    }
  }
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) {
    throw new AppError({
      code: 'invalid_input',
      message: `Config file ${path} is invalid: ${describeIssues(parsed.error)}`,
    });
  }
  return parsed.data;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new AppError({
      code: 'invalid_input',
      message: `${name} must be a positive integer (milliseconds), got "${raw}"`,
    });
  }
  return value;
}

/**
 * Resolves the configuration. Environment variables: SEPTET_API_BASE_URL, SEPTET_CONSUMER_KEY,
 * SEPTET_CONSUMER_SECRET, SEPTET_SIGNER_URL, SEPTET_DATA_DIR, SEPTET_TIMEOUT_MS,
 * SEPTET_LOG_LEVEL, SEPTET_COUNTRY, SEPTET_CONFIG (config file path).
 */
export function loadConfig(options: LoadConfigOptions = {}): SeptetConfig {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  const readFile = options.readFile ?? readOptionalFile;

  const explicitPath = nonEmpty(flags.config) ?? nonEmpty(env.SEPTET_CONFIG);
  const configPath = explicitPath ? resolve(explicitPath) : defaultConfigPath(env, platform, home);
  const text = readFile(configPath);
  if (text === null && explicitPath) {
    throw new AppError({ code: 'invalid_input', message: `Config file ${configPath} does not exist` });
  }
  const file: ConfigFile = text === null ? {} : parseConfigFile(text, configPath);

  const consumerKey =
    nonEmpty(flags.consumerKey) ?? nonEmpty(env.SEPTET_CONSUMER_KEY) ?? file.consumerKey ?? demoConsumer.key;
  const envSecret = nonEmpty(env.SEPTET_CONSUMER_SECRET);
  // The demo key only unlocks the local emulator; its secret is public (shared/demo.ts).
  const consumerSecret = envSecret ?? (consumerKey === demoConsumer.key ? demoConsumer.secret : undefined);

  const candidate = {
    baseUrl:
      nonEmpty(flags.baseUrl) ?? nonEmpty(env.SEPTET_API_BASE_URL) ?? file.baseUrl ?? defaultEmulatorUrl,
    consumerKey,
    consumerSecret,
    signerUrl: nonEmpty(flags.signerUrl) ?? nonEmpty(env.SEPTET_SIGNER_URL) ?? file.signerUrl,
    dataDir: resolve(
      nonEmpty(flags.dataDir) ??
        nonEmpty(env.SEPTET_DATA_DIR) ??
        file.dataDir ??
        defaultDataDir(env, platform, home),
    ),
    timeoutMs: flags.timeoutMs ?? envNumber(env, 'SEPTET_TIMEOUT_MS') ?? file.timeoutMs ?? 15_000,
    logLevel:
      nonEmpty(flags.logLevel) ?? nonEmpty(env.SEPTET_LOG_LEVEL)?.toLowerCase() ?? file.logLevel ?? 'info',
    country: nonEmpty(flags.country) ?? nonEmpty(env.SEPTET_COUNTRY) ?? file.country,
    configFile: text === null ? undefined : configPath,
  };
  const parsed = SeptetConfig.safeParse(candidate);
  if (!parsed.success) {
    throw new AppError({
      code: 'invalid_input',
      message: `Invalid configuration: ${describeIssues(parsed.error)}`,
    });
  }
  return parsed.data;
}
