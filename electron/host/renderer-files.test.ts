import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRendererFile } from './renderer-files.js';

const dir = mkdtempSync(join(tmpdir(), 'septet-renderer-files-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<html><head></head></html>');
writeFileSync(join(dir, 'assets', 'app.js'), 'void 0;');
writeFileSync(join(dir, 'assets', 'a b.css'), 'body{}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findRendererFile (both hosts)', () => {
  it('finds a file with its content type, %-decoded', async () => {
    expect(await findRendererFile(dir, '/assets/app.js')).toMatchObject({
      ok: true,
      file: {
        path: join(dir, 'assets', 'app.js'),
        contentType: 'text/javascript; charset=utf-8',
        shell: false,
      },
    });
    expect(await findRendererFile(dir, '/assets/a%20b.css')).toMatchObject({ ok: true });
  });

  it('answers the app shell for the root and client-side routes', async () => {
    for (const path of ['/', '/release/123', '/search']) {
      expect(await findRendererFile(dir, path)).toMatchObject({ ok: true, file: { shell: true } });
    }
  });

  it('a malformed %-escape is a 400, not a throw', async () => {
    expect(await findRendererFile(dir, '/%E0%A4%A')).toEqual({
      ok: false,
      status: 400,
      message: 'Bad request: malformed path',
    });
  });

  it('nothing outside the renderer folder, and missing files are 404', async () => {
    writeFileSync(join(dir, '..', 'outside.txt'), 'secret');
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '/assets/missing.js',
    ]) {
      expect(await findRendererFile(dir, path)).toMatchObject({ ok: false, status: 404 });
    }
    rmSync(join(dir, '..', 'outside.txt'));
  });
});
