import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { createLogger, type LogRecord } from '../core/logger.js';
import { createHandle } from './handle.js';
import { handlersWith } from './testing/test-handlers.js';

const records: LogRecord[] = [];
const logger = createLogger('test', { sink: (record) => records.push(record) });
const trusted = { trusted: true, description: 'test' };

describe('handle()', () => {
  const handle = createHandle({
    host: 'browser',
    logger,
    handlers: handlersWith({
      'catalogue:searchTracks': async (arg) => ({
        items: [],
        page: arg.page,
        pageSize: arg.pageSize,
        totalItems: 0,
      }),
      'catalogue:getRelease': async () => {
        throw new AppError({ code: 'not_found', message: 'No such release', serviceCode: 2001, status: 404 });
      },
      'catalogue:getArtist': async () => {
        throw new Error('database exploded at /home/user/secret/path');
      },
      'queue:save': async () => null,
    }),
  });

  it('validates the argument and applies defaults before calling the handler', async () => {
    expect(await handle('catalogue:searchTracks', { q: 'love' }, trusted)).toEqual({
      ok: true,
      value: { items: [], page: 1, pageSize: 20, totalItems: 0 },
    });
  });

  it('rejects malformed arguments with invalid_input and never calls the handler', async () => {
    const missing = await handle('catalogue:searchTracks', {}, trusted);
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const extra = await handle('catalogue:searchTracks', { q: 'a', evil: true }, trusted);
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const wrongType = await handle('catalogue:searchTracks', { q: 'a', page: 'x' }, trusted);
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notObject = await handle('queue:save', 'tracks', trusted);
    expect(notObject).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('rejects unknown channels, including prototype names', async () => {
    for (const channel of ['catalogue:dropTables', 'constructor', '__proto__', 42]) {
      expect(await handle(channel, {}, trusted)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
  });

  it('refuses untrusted senders', async () => {
    const result = await handle(
      'catalogue:searchTracks',
      { q: 'x' },
      { trusted: false, description: 'iframe' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('passes AppError data through', async () => {
    expect(await handle('catalogue:getRelease', { releaseId: '1' }, trusted)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No such release', serviceCode: 2001, status: 404 },
    });
  });

  it('hides unexpected errors behind internal without a stack or message details', async () => {
    const result = await handle('catalogue:getArtist', { artistId: '1' }, trusted);
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).toContain('"code":"internal"');
    expect(text).not.toContain('secret/path');
    expect(text).not.toMatch(/at .*\.ts/);
    expect(records.some((r) => r.level === 'error' && r.msg.includes('catalogue:getArtist'))).toBe(true);
  });
});
