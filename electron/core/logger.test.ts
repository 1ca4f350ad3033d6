import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import {
  addRedactedValue,
  createLogger,
  redact,
  redactString,
  removeRedactedValue,
  type LogRecord,
} from './logger.js';

function capture(level: 'debug' | 'info' = 'debug') {
  const records: LogRecord[] = [];
  return { records, logger: createLogger('test', { level, sink: (r) => records.push(r) }) };
}

describe('logger', () => {
  it('writes named records at or above its level', () => {
    const { records, logger } = capture('info');
    logger.debug('hidden');
    logger.info('shown', { n: 1 });
    logger.child('sub').error('bad');
    expect(records.map((r) => [r.logger, r.level, r.msg])).toEqual([
      ['test', 'info', 'shown'],
      ['test:sub', 'error', 'bad'],
    ]);
    expect(records[0]!.n).toBe(1);
    expect(typeof records[0]!.time).toBe('string');
  });

  it('redacts OAuth signatures, tokens and verifiers in URLs, form bodies and JSON text', () => {
    const url =
      'http://127.0.0.1:8787/tracks/search?q=x&oauth_consumer_key=k&oauth_signature=abc%2Fdef%3D&oauth_token=tok123&oauth_nonce=n&oauth_verifier=ver';
    const out = redactString(url);
    expect(out).not.toMatch(/abc|tok123|ver\b/);
    expect(out).toContain('oauth_consumer_key=k');
    expect(out).toContain('q=x');
    expect(redactString('oauth_token=a&oauth_token_secret=s3cr3t')).not.toMatch(/s3cr3t|=a&/);
    expect(redactString('{"oauth_token_secret":"s3cr3t","password": "hunter2"}')).not.toMatch(
      /s3cr3t|hunter2/,
    );
    expect(redactString('username=a&password=hunter2&token=r')).not.toContain('hunter2');
  });

  it('redacts Authorization headers and secret-named fields, at any depth', () => {
    const { records, logger } = capture();
    logger.info('request', {
      headers: {
        Authorization: 'OAuth oauth_consumer_key="k", oauth_signature="SIG"',
        accept: 'application/json',
      },
      nested: {
        token: { key: 'k', secret: 'tsecret' },
        consumerSecret: 'csecret',
        list: [{ password: 'pw1' }],
      },
      line: 'Authorization: OAuth oauth_token="tok-T1", oauth_signature="sig-S1"',
    });
    const text = JSON.stringify(records);
    for (const secret of ['SIG', 'tsecret', 'csecret', 'pw1', 'tok-T1', 'sig-S1'])
      expect(text).not.toContain(secret);
    expect(text).toContain('application/json');
  });

  it('redacts registered secret values wherever they appear, including in errors', () => {
    addRedactedValue('my-consumer-secret');
    try {
      const { records, logger } = capture();
      logger.error('failed', {
        error: new AppError({ code: 'internal', message: 'key my-consumer-secret leaked' }),
      });
      logger.warn('also my-consumer-secret in the message', {
        nested: ['my%2Dconsumer%2Dsecret', 'my-consumer-secret'],
      });
      expect(JSON.stringify(records)).not.toContain('my-consumer-secret');
      expect(records[0]!.error).toMatchObject({ name: 'AppError', code: 'internal' });
    } finally {
      removeRedactedValue('my-consumer-secret');
    }
  });

  it('serialises buffers as sizes, not contents', () => {
    expect(redact({ body: Buffer.from('secret bytes') })).toEqual({ body: '[12 bytes]' });
  });
});
