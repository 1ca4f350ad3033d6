// What every CLI command shares: option parsing with clear usage errors, configuration, the
// signed API client, and output.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, isAppError } from '../../shared/errors.js';
import { createApiClient, type ApiClient } from '../core/api/client.js';
import { createLocalSigner, type Signer } from '../core/api/oauth.js';
import { createRemoteSigner } from '../core/api/remote-signer.js';
import { loadConfig, type SeptetConfig } from '../core/config/config.js';
import { addRedactedValue, configureLogging, createLogger, type LogLevel } from '../core/logger.js';
import { createSecretVault } from '../core/vault/secret-vault.js';

export type CliIo = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
};

export const exitCodes = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A usage mistake: exit code 2 with the message and a pointer to --help. */
export function usageError(message: string): AppError {
  return new AppError({ code: 'invalid_input', message });
}

export function isUsageError(error: unknown): boolean {
  return isAppError(error) && error.code === 'invalid_input' && error.status === undefined;
}

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const globalOptions = {
  'base-url': { type: 'string' },
  'consumer-key': { type: 'string' },
  'signer-url': { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  timeout: { type: 'string' },
  'log-level': { type: 'string' },
  country: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export const globalHelp = `Global options:
  --base-url URL        API base URL (env SEPTET_API_BASE_URL; default the local emulator http://127.0.0.1:8787)
  --consumer-key KEY    consumer key (env SEPTET_CONSUMER_KEY; default the emulator demo key)
  --signer-url URL      remote signing endpoint instead of a local secret (env SEPTET_SIGNER_URL)
  --data-dir DIR        data directory (env SEPTET_DATA_DIR)
  --config FILE         JSON config file (env SEPTET_CONFIG; default ~/.config/septet/config.json)
  --timeout MS          per-request timeout (env SEPTET_TIMEOUT_MS; default 15000)
  --log-level LEVEL     debug|info|warn|error|silent (env SEPTET_LOG_LEVEL; logs go to stderr)
  --country CC          default country for commands that take one (env SEPTET_COUNTRY)
  -h, --help            show help
Secrets: the consumer secret comes from SEPTET_CONSUMER_SECRET (never from flags or the config file).`;

type Values<T extends OptionSpec> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' }
    ? boolean
    : T[K] extends { multiple: true }
      ? string[]
      : string;
};

export type Parsed<T extends OptionSpec> = {
  values: Values<T & typeof globalOptions>;
  positionals: string[];
};

export function parseCommandArgs<T extends OptionSpec>(
  args: string[],
  options: T,
  allowPositionals = false,
): Parsed<T> {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...globalOptions, ...options },
      allowPositionals,
      strict: true,
    });
    return { values: values as Parsed<T>['values'], positionals };
  } catch (error) {
    throw usageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function configFromArgs(values: Record<string, unknown>, env: NodeJS.ProcessEnv): SeptetConfig {
  const flags: Parameters<typeof loadConfig>[0] extends infer O
    ? O extends { flags?: infer F }
      ? NonNullable<F>
      : never
    : never = {};
  const str = (name: string): string | undefined =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined;
  if (str('base-url')) flags.baseUrl = str('base-url');
  if (str('consumer-key')) flags.consumerKey = str('consumer-key');
  if (str('signer-url')) flags.signerUrl = str('signer-url');
  if (str('data-dir')) flags.dataDir = str('data-dir');
  if (str('config')) flags.config = str('config');
  if (str('log-level')) flags.logLevel = str('log-level');
  if (str('country')) flags.country = str('country');
  const timeout = str('timeout');
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout) || Number(timeout) <= 0)
      throw usageError(`--timeout must be a positive number of milliseconds, got "${timeout}"`);
    flags.timeoutMs = Number(timeout);
  }
  return loadConfig({ flags, env });
}

export type CliContext = { config: SeptetConfig; api: ApiClient; signer: Signer };

/** The consumer secret from the OS keychain (service "Septet"), as the app stores it; null if none. */
async function secretFromVault(): Promise<string | null> {
  const vault = await createSecretVault({ probeTimeoutMs: 5_000, logger: createLogger('cli:vault') });
  return vault.backend === 'none' ? null : vault.get('consumerSecret');
}

export async function createCliContext(
  values: Record<string, unknown>,
  io: CliIo,
  retry?: { retries?: number },
): Promise<CliContext> {
  const config = configFromArgs(values, io.env);
  configureLogging({ level: config.logLevel as LogLevel });
  let signer: Signer;
  if (config.signerUrl) {
    signer = createRemoteSigner({
      url: config.signerUrl,
      consumerKey: config.consumerKey,
      timeoutMs: config.timeoutMs,
    });
  } else {
    const secret = config.consumerSecret ?? (await secretFromVault());
    if (!secret) {
      throw usageError(
        `No consumer secret for key "${config.consumerKey}": set SEPTET_CONSUMER_SECRET, store it in the keychain (the app's vault), or use --signer-url for a partner signing endpoint.`,
      );
    }
    addRedactedValue(secret);
    signer = createLocalSigner({ consumerKey: config.consumerKey, consumerSecret: secret });
  }
  const api = createApiClient({
    baseUrl: config.baseUrl,
    signer,
    timeoutMs: config.timeoutMs,
    logger: createLogger('cli:api'),
    ...(retry ? { retry } : {}),
  });
  return { config, api, signer };
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error the way every command does: one line, the service code when there is one. */
export function printError(io: CliIo, error: unknown): void {
  if (isAppError(error)) {
    const parts = [`error: ${error.code}`];
    if (error.serviceCode !== undefined) parts.push(`service code ${error.serviceCode}`);
    if (error.status !== undefined) parts.push(`HTTP ${error.status}`);
    io.stderr.write(`${parts.join(', ')}: ${error.message}\n`);
  } else {
    io.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
  }
}

export async function readAllText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
