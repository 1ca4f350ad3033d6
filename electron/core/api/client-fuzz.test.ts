// A property over what a broken proxy, a captive portal or a misbehaving service can answer:
// random statuses, content types and bodies, cut short or oversized, for JSON, XML and text
// operations, from a real local HTTP server. client.test.ts covers the named cases one by one;
// this checks the whole space: every outcome is a value or an AppError with a known code and a
// message — never another exception, never a hang (a hang fails the test by its timeout).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appErrorCodes, isAppError } from '../../../shared/errors.js';
import { createLogger } from '../logger.js';
import { createApiClient } from './client.js';
import { createLocalSigner } from './oauth.js';

type Answer = {
  status: number;
  contentType: string | null;
  body: string;
  mode: 'whole' | 'truncated' | 'oversized' | 'no-length';
};

const statuses = fc.oneof(
  fc.constantFrom(
    200,
    201,
    202,
    204,
    206,
    301,
    302,
    304,
    400,
    401,
    403,
    404,
    405,
    409,
    413,
    429,
    500,
    502,
    503,
    504,
  ),
  fc.integer({ min: 200, max: 599 }),
);
const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/xml',
    'text/xml',
    'text/plain',
    'text/html',
    'application/vnd.apple.mpegurl',
    'application/octet-stream',
    'application/json; charset=latin1',
  ),
  fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,15}$/),
  fc.constant(null),
);
const bodies = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '',
    '{',
    '{"status":"ok","tracks":[',
    '{"status":"error","error":{"code":2001,"errorMessage":"x"}}',
    '{"status":"error","error":{"code":"nope"}}',
    '{"status":"error"}',
    '<?xml version="1.0"?><response status="error"><error code="1001"><errorMessage>x</errorMessage></error></response>',
    '<response status="ok"><purchase>',
    '<html><body>Sign in to the Wi-Fi</body></html>',
    'OAuth authentication error: Invalid signature',
    '#EXTM3U\n#EXT-X-ENDLIST',
    '\u0000\u0001\ufffd',
    '{"__proto__":{"polluted":true},"tracks":[{"__proto__":{"id":"1"}}]}',
    'null',
    '[]',
    '1e999',
  ),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const answers: fc.Arbitrary<Answer> = fc.record({
  status: statuses,
  contentType: contentTypes,
  body: bodies,
  mode: fc.constantFrom('whole', 'whole', 'truncated', 'oversized', 'no-length'),
});

const maxResponseBytes = 16 * 1024;

function reply(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = {};
  if (answer.contentType !== null) headers['content-type'] = answer.contentType;
  const body = answer.mode === 'oversized' ? answer.body + ' '.repeat(maxResponseBytes + 1) : answer.body;
  const bytes = Buffer.from(body, 'latin1');
  if (answer.mode === 'truncated') {
    headers['content-length'] = String(bytes.length + 100);
    res.writeHead(answer.status, headers);
    res.write(bytes);
    // Drop the connection once the partial body is out.
    res.socket?.end(() => res.socket?.destroy());
    return;
  }
  if (answer.mode !== 'no-length') headers['content-length'] = String(bytes.length);
  res.writeHead(answer.status, headers);
  res.end(bytes);
}

describe('API client under arbitrary responses', () => {
  let server: Server;
  let current: Answer;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => reply(res, current));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve).closeAllConnections());
  });

  const api = () =>
    createApiClient({
      baseUrl: url,
      signer: createLocalSigner({ consumerKey: 'k', consumerSecret: 's' }),
      timeoutMs: 5_000,
      maxResponseBytes,
      retry: { retries: 1, baseMs: 1, capMs: 2, maxWaitMs: 10 },
      logger: createLogger('api-fuzz', { level: 'silent' }),
    });

  const operations = [
    (client: ReturnType<typeof api>) => client.searchTracks({ q: 'x' }),
    (client: ReturnType<typeof api>) =>
      client.creditSalesItem({
        userId: 'u',
        body: { userId: 'u', releaseId: '1', currency: 'GBP', price: 1 },
      }),
    (client: ReturnType<typeof api>) =>
      client.call('streamSubscriptionTrackHls', {
        path: { trackId: '1' },
        query: { country: 'GB' },
        userId: 'u',
      }),
    (client: ReturnType<typeof api>) =>
      client.createPlaylist({ userId: 'u', body: { name: 'n', visibility: 'private' } }),
  ];

  it('every answer ends in a value or an AppError with a known code and a message', async () => {
    await fc.assert(
      fc.asyncProperty(answers, fc.integer({ min: 0, max: operations.length - 1 }), async (answer, index) => {
        current = answer;
        try {
          await operations[index]!(api());
        } catch (error) {
          if (!isAppError(error)) throw new Error(`not an AppError: ${String(error)}`, { cause: error });
          expect(appErrorCodes).toContain(error.code);
          expect(error.message.length).toBeGreaterThan(0);
          if (answer.mode === 'oversized' && answer.status < 300)
            expect(error.code).toBe('malformed_response');
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 250 },
    );
  });
});
