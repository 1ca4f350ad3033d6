import { describe, expect, it } from 'vitest';
import { demoConsumer } from '../../../shared/demo.js';
import { defaultEmulatorUrl, loadConfig } from './config.js';

const home = '/home/tester';
const files = (map: Record<string, string>) => (path: string) => map[path] ?? null;

describe('loadConfig', () => {
  it('defaults to the embedded emulator and the demo key (whose public secret it supplies)', () => {
    const config = loadConfig({ env: {}, readFile: files({}), platform: 'linux', home });
    expect(config).toMatchObject({
      baseUrl: defaultEmulatorUrl,
      consumerKey: demoConsumer.key,
      consumerSecret: demoConsumer.secret,
      dataDir: '/home/tester/.local/share/septet',
      timeoutMs: 15_000,
      logLevel: 'info',
    });
    expect(config.configFile).toBeUndefined();
  });

  it('flags beat environment, environment beats the config file', () => {
    const readFile = files({
      '/home/tester/.config/septet/config.json': JSON.stringify({
        baseUrl: 'https://file.example/',
        consumerKey: 'file-key',
        dataDir: '/file',
        timeoutMs: 1000,
      }),
    });
    const env = {
      SEPTET_API_BASE_URL: 'https://env.example',
      SEPTET_CONSUMER_KEY: 'env-key',
      SEPTET_CONSUMER_SECRET: 'env-secret',
    };
    expect(loadConfig({ env: {}, readFile, platform: 'linux', home })).toMatchObject({
      baseUrl: 'https://file.example',
      consumerKey: 'file-key',
      consumerSecret: undefined,
      dataDir: '/file',
      timeoutMs: 1000,
      configFile: '/home/tester/.config/septet/config.json',
    });
    expect(loadConfig({ env, readFile, platform: 'linux', home })).toMatchObject({
      baseUrl: 'https://env.example',
      consumerKey: 'env-key',
      consumerSecret: 'env-secret',
    });
    expect(
      loadConfig({
        env,
        readFile,
        platform: 'linux',
        home,
        flags: { baseUrl: 'http://127.0.0.1:9999', consumerKey: 'flag-key' },
      }),
    ).toMatchObject({
      baseUrl: 'http://127.0.0.1:9999',
      consumerKey: 'flag-key',
    });
  });

  it('refuses secrets in the config file with a clear error', () => {
    const readFile = files({ '/cfg.json': JSON.stringify({ consumerKey: 'k', consumerSecret: 's' }) });
    expect(() => loadConfig({ env: {}, readFile, flags: { config: '/cfg.json' }, home })).toThrow(
      /secrets are never read from the config file/,
    );
  });

  it('rejects unknown keys, bad URLs, bad JSON and a missing explicit file', () => {
    expect(() =>
      loadConfig({
        env: { SEPTET_CONFIG: '/c.json' },
        readFile: files({ '/c.json': '{"baseUrll":"x"}' }),
        home,
      }),
    ).toThrow(/baseUrll/);
    expect(() =>
      loadConfig({
        env: {},
        readFile: files({ '/c.json': '{"baseUrl":"ftp://x"}' }),
        flags: { config: '/c.json' },
        home,
      }),
    ).toThrow(/baseUrl/);
    expect(() =>
      loadConfig({ env: {}, readFile: files({ '/c.json': '{oops' }), flags: { config: '/c.json' }, home }),
    ).toThrow(/not valid JSON/);
    expect(() => loadConfig({ env: {}, readFile: files({}), flags: { config: '/nope.json' }, home })).toThrow(
      /does not exist/,
    );
    expect(() => loadConfig({ env: { SEPTET_TIMEOUT_MS: 'soon' }, readFile: files({}), home })).toThrow(
      /SEPTET_TIMEOUT_MS/,
    );
    expect(() =>
      loadConfig({ env: { SEPTET_API_BASE_URL: 'not a url' }, readFile: files({}), home }),
    ).toThrow(/baseUrl/);
  });

  it('does not hand the demo secret to a non-demo key', () => {
    const config = loadConfig({ env: { SEPTET_CONSUMER_KEY: 'partner-key' }, readFile: files({}), home });
    expect(config.consumerSecret).toBeUndefined();
  });

  it('reads the signer URL from the environment', () => {
    expect(
      loadConfig({
        env: { SEPTET_SIGNER_URL: 'https://sign.partner.example/v1/sign' },
        readFile: files({}),
        home,
      }).signerUrl,
    ).toBe('https://sign.partner.example/v1/sign');
  });
});
