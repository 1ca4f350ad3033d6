// Property test (issue 6 "Bad input"): random, malformed payloads and ids on every operation,
// correctly signed so they reach the handlers → always a 4xx/2xx, never a 5xx, and the
// emulator keeps answering.
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, playlistExtensionOperations } from '../shared/api/operations.js';
import { demoConsumer, demoListener } from '../shared/demo.js';
import { startEmulator, type RunningEmulator } from './server.js';

let emulator: RunningEmulator;
let dataDir: string;
const client = new OAuth({
  consumer: { key: demoConsumer.key, secret: demoConsumer.secret },
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'septet-emulator-fuzz-'));
  emulator = await startEmulator({
    port: 0,
    dataDir,
    config: {
      previewLogRequestsPerSec: 1e6,
      subscriberLogRequestsPerSec: 1e6,
      catalogueLogRequestsPerSec: 1e6,
      mediaTransferRequestsPerSec: 1e6,
    },
  });
}, 600_000);
afterAll(async () => {
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const allOps = [...operations, ...playlistExtensionOperations];
const enc = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const idArb = fc.oneof(
  fc.constantFrom(
    '10000001',
    '1000001',
    '100001',
    demoListener.userId,
    '1',
    '0',
    '-1',
    '99999999999999999999',
    "1' OR '1'='1",
    '../etc/passwd',
    '%',
    '\u0000',
    '🎵',
    '',
  ),
  fc.string({ maxLength: 40 }),
);
const jsonArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      trackIds: fc.anything({ maxDepth: 2 }),
      releaseIds: fc.array(fc.string(), { maxLength: 5 }),
      showErrors: fc.anything({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      logs: fc.oneof(
        fc.array(
          fc.record(
            {
              trackId: fc.oneof(fc.constant('10000001'), fc.string()),
              timestamp: fc.oneof(
                fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
                fc.string(),
              ),
              durationPlayed: fc.oneof(fc.integer(), fc.double(), fc.string()),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 5 },
        ),
        fc.anything({ maxDepth: 1 }),
      ),
      name: fc.anything({ maxDepth: 1 }),
      description: fc.oneof(fc.string({ maxLength: 700 }), fc.anything({ maxDepth: 1 })),
      tracks: fc.anything({ maxDepth: 2 }),
      deviceId: fc.anything({ maxDepth: 1 }),
      userId: fc.anything({ maxDepth: 1 }),
      playlistIds: fc.anything({ maxDepth: 1 }),
      events: fc.anything({ maxDepth: 2 }),
      pos: fc.anything({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
);
const formArb = fc.dictionary(
  fc.constantFrom(
    'userId',
    'email',
    'password',
    'country',
    'releaseId',
    'trackId',
    'currency',
    'price',
    'productId',
    'startDate',
    'endDate',
    'x',
  ),
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(demoListener.userId, '2026-01-01', 'USD', '9.99', 'GB', 'a@b.co'),
  ),
  { maxKeys: 8 },
);
const bodyArb = fc.oneof(
  jsonArb.map((value) => ({ kind: 'json' as const, value })),
  formArb.map((value) => ({ kind: 'form' as const, value })),
  fc.string({ maxLength: 200 }).map((value) => ({ kind: 'raw' as const, value, type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((value) => ({ kind: 'raw' as const, value, type: 'application/xml' })),
  fc.constant({ kind: 'none' as const }),
);
const queryArb = fc.dictionary(
  fc.constantFrom(
    'userId',
    'q',
    'letter',
    'page',
    'pageSize',
    'type',
    'clientId',
    'country',
    'format',
    'bitrate',
    'trackId',
    'formatId',
  ),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(demoListener.userId, '1', '0', '101', 'mp3', 'flac', '320', 'GB', '10000001'),
  ),
  { maxKeys: 5 },
);

describe('fuzzing every operation', () => {
  it('never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...allOps),
        fc.array(idArb, { minLength: 3, maxLength: 3 }),
        queryArb,
        bodyArb,
        async (op, ids, query, body) => {
          let i = 0;
          const path = op.path.replace(/\{\w+\}/g, () => enc(ids[i++] ?? 'x'));
          const queryString = Object.entries(query)
            .map(([k, v]) => `${k}=${enc(v)}`)
            .join('&');
          const url = `${emulator.url}${path}${queryString ? `?${queryString}` : ''}`;
          const headers: Record<string, string> = {};
          let payload: string | undefined;
          let data: Record<string, string> | undefined;
          if (body.kind === 'json') {
            payload = JSON.stringify(body.value);
            headers['content-type'] = 'application/json';
          } else if (body.kind === 'form') {
            payload = Object.entries(body.value)
              .map(([k, v]) => `${enc(k)}=${enc(v)}`)
              .join('&');
            headers['content-type'] = 'application/x-www-form-urlencoded';
            data = Object.keys(body.value).some((k) => k in query) ? undefined : body.value;
          } else if (body.kind === 'raw') {
            payload = body.value;
            headers['content-type'] = body.type;
          }
          const auth = client.authorize({ url, method: op.method, ...(data ? { data } : {}) });
          headers.authorization = client.toHeader(auth).Authorization;
          const hasBody = payload !== undefined && op.method !== 'GET';
          const response = await fetch(url, {
            method: op.method,
            headers,
            ...(hasBody ? { body: payload } : {}),
          });
          await response.arrayBuffer();
          expect({ op: op.operationId, url, status: response.status }).toEqual({
            op: op.operationId,
            url,
            status: expect.any(Number),
          });
          if (response.status >= 500) throw new Error(`${op.method} ${url} → ${response.status}`);
        },
      ),
      { numRuns: 400 },
    );
    const alive = await fetch(`${emulator.url}/_emulator/clock`);
    expect(alive.status).toBe(200);
  });
});
