// Every number the real service does not publish is a setting here; defaults follow
// docs/service-notes.md (§2.3, §3, §4, §6, §8).
import { demoConsumer, demoListener, demoNoSubscriptionListener } from '../shared/demo.js';

export type DemoUser = { userId: string; email: string; password: string; country: string };

export type EmulatorConfig = {
  /** OAuth: accepted |oauth_timestamp − now| in seconds (RFC 5849 §3.3). */
  oauthTimestampWindowSec: number;
  /** OAuth: lifetime of an unexchanged request token. */
  requestTokenTtlSec: number;
  /** Catalogue GETs may be called with only a consumer key (no signature), like the real API. */
  allowUnsignedCatalogue: boolean;
  /** Request bodies above this size → 413 with the envelope; the rest is not read. */
  maxBodyBytes: number;
  defaultPageSize: number;
  maxPageSize: number;
  /** Batch catalogue lookups: most ids per request (→ 1003). */
  batchLookupMax: number;
  /** Daily per-key request limit reported in X-RateLimit-*; enforced only for non-live keys. */
  dailyRequestLimit: number;
  /** false makes the demo key a non-live (test) key: over dailyRequestLimit → 429 + Retry-After. */
  demoKeyLive: boolean;
  /** HTTP statuses for codes the service does not document (notes rule 8). */
  notAvailableStatus: number;
  alreadyExistsStatus: number;
  concurrentStreamStatus: number;
  /** Logging (notes §4, rules 17–21). */
  previewLogMaxPerRequest: number;
  previewLogRequestsPerSec: number;
  subscriberLogMaxPerRequest: number;
  subscriberLogRequestsPerSec: number;
  catalogueLogMaxPerRequest: number;
  catalogueLogRequestsPerSec: number;
  logMaxAgeDays: number;
  /** A log timestamp this far in the future is still accepted (client clock skew). */
  logFutureToleranceSec: number;
  /** HTTP status for a log batch over its size limit (code 1003); issue 2: "over a limit → 429". */
  logBatchOverLimitStatus: number;
  /** Offline devices (notes §6, rules 28–29). */
  offlineDeviceCap: number;
  offlineMaxTrackCount: number;
  /** Sales (rules 32–33). Content is priced in this currency. */
  priceCurrency: string;
  /** Refunds before this day of the next month (00:00 UTC) are inside the reporting period. */
  refundReportingDay: number;
  /** A refunded purchase no longer entitles the user (locker streams and downloads). */
  refundRemovesFromLocker: boolean;
  /** Subscriptions: longest allowed period in calendar months (rule 30). */
  subscriptionMaxMonths: number;
  playlistDescriptionMax: number;
  /** Streaming / media (for the media module). */
  signedMediaUrlTtlSec: number;
  mediaTransferRequestsPerSec: number;
  hlsEncrypt: boolean;
  /** Interactive radio (for the radio module; notes §3). */
  radioSkipBudget: number;
  radioSkipWindowSec: number;
  radioRuleWindowSec: number;
  radioMaxPerRelease: number;
  radioMaxConsecutivePerRelease: number;
  /** Also the limit per compilation (box set): DMCA and GVL use the same numbers. */
  radioMaxPerArtist: number;
  radioMaxConsecutivePerArtist: number;
  /** Built-in demo data (overridable by environment variables, see demoFromEnv). */
  demo: { consumerKey: string; consumerSecret: string; listener: DemoUser; noSubscription: DemoUser };
};

/**
 * Environment variables that override the built-in demo data (README table):
 *
 * | variable                          | default               |
 * |-----------------------------------|-----------------------|
 * | SEPTET_DEMO_CONSUMER_KEY          | septet-demo-key       |
 * | SEPTET_DEMO_CONSUMER_SECRET       | septet-demo-secret    |
 * | SEPTET_DEMO_LISTENER_ID           | demo-listener         |
 * | SEPTET_DEMO_LISTENER_EMAIL        | listener@septet.test  |
 * | SEPTET_DEMO_LISTENER_PASSWORD     | septet-listener       |
 * | SEPTET_DEMO_LISTENER_COUNTRY      | GB                    |
 * | SEPTET_DEMO_NOSUB_ID              | demo-nosub            |
 * | SEPTET_DEMO_NOSUB_EMAIL           | nosub@septet.test     |
 * | SEPTET_DEMO_NOSUB_PASSWORD        | septet-nosub          |
 * | SEPTET_DEMO_NOSUB_COUNTRY         | GB                    |
 *
 * Demo users are created when missing (at every start); their locker, playlists and
 * subscription are seeded only when the user is first created.
 */
export function demoFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorConfig['demo'] {
  const pick = (name: string, fallback: string) => {
    const value = env[name];
    return value !== undefined && value !== '' ? value : fallback;
  };
  return {
    consumerKey: pick('SEPTET_DEMO_CONSUMER_KEY', demoConsumer.key),
    consumerSecret: pick('SEPTET_DEMO_CONSUMER_SECRET', demoConsumer.secret),
    listener: {
      userId: pick('SEPTET_DEMO_LISTENER_ID', demoListener.userId),
      email: pick('SEPTET_DEMO_LISTENER_EMAIL', demoListener.email),
      password: pick('SEPTET_DEMO_LISTENER_PASSWORD', demoListener.password),
      country: pick('SEPTET_DEMO_LISTENER_COUNTRY', demoListener.country),
    },
    noSubscription: {
      userId: pick('SEPTET_DEMO_NOSUB_ID', demoNoSubscriptionListener.userId),
      email: pick('SEPTET_DEMO_NOSUB_EMAIL', demoNoSubscriptionListener.email),
      password: pick('SEPTET_DEMO_NOSUB_PASSWORD', demoNoSubscriptionListener.password),
      country: pick('SEPTET_DEMO_NOSUB_COUNTRY', demoNoSubscriptionListener.country),
    },
  };
}

export function defaultConfig(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  return {
    oauthTimestampWindowSec: 300,
    requestTokenTtlSec: 600,
    allowUnsignedCatalogue: true,
    maxBodyBytes: 1024 * 1024,
    defaultPageSize: 20,
    maxPageSize: 100,
    batchLookupMax: 100,
    dailyRequestLimit: 4000,
    demoKeyLive: true,
    notAvailableStatus: 403,
    alreadyExistsStatus: 409,
    concurrentStreamStatus: 403,
    previewLogMaxPerRequest: 500,
    previewLogRequestsPerSec: 5,
    subscriberLogMaxPerRequest: 20,
    subscriberLogRequestsPerSec: 5,
    catalogueLogMaxPerRequest: 20,
    catalogueLogRequestsPerSec: 5,
    logMaxAgeDays: 60,
    logFutureToleranceSec: 60,
    logBatchOverLimitStatus: 429,
    offlineDeviceCap: 5,
    offlineMaxTrackCount: 4000,
    priceCurrency: 'USD',
    refundReportingDay: 4,
    refundRemovesFromLocker: true,
    subscriptionMaxMonths: 1,
    playlistDescriptionMax: 500,
    signedMediaUrlTtlSec: 600,
    mediaTransferRequestsPerSec: 50,
    hlsEncrypt: true,
    radioSkipBudget: 6,
    radioSkipWindowSec: 3600,
    radioRuleWindowSec: 3 * 3600,
    radioMaxPerRelease: 3,
    radioMaxConsecutivePerRelease: 2,
    radioMaxPerArtist: 4,
    radioMaxConsecutivePerArtist: 3,
    demo: demoFromEnv(env),
  };
}

export function resolveConfig(
  overrides: Partial<EmulatorConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): EmulatorConfig {
  return { ...defaultConfig(env), ...overrides };
}
