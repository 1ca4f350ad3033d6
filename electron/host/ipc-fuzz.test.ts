// Every IPC channel fuzzed through the real handle() wrapper and the real app core (signed in,
// against a real emulator, temp data dir; run under scripts/with-keyring.sh for the keychain):
// a malformed argument always comes back as { ok: false, error: { code: 'invalid_input' } },
// never as a thrown exception, never reaches the handler, and changes nothing a listener could see.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server.js';
import { channels, isChannel, type Channel } from '../../shared/ipc/contract.js';
import { createHandle, type Handle } from './handle.js';
import {
  expectFailure,
  isRejected,
  malformedArgs,
  nastyKeys,
  observableState,
  silentLogger,
  startCoreFixture,
  type CoreFixture,
} from './testing/fuzz-support.js';

const trusted = { trusted: true, description: 'fuzz' };
const numRuns = 120;

describe('IPC channels under malformed arguments (real core, real emulator)', () => {
  let fixture: CoreFixture;
  let handle: Handle;
  let before: unknown;

  beforeAll(async () => {
    fixture = await startCoreFixture(startEmulator);
    handle = createHandle({ handlers: fixture.handlers, host: 'browser', logger: silentLogger });
    // Real state to protect: a signed-in listener, a saved queue, a playlist, a recorded play.
    const call = async (channel: Channel, arg: unknown) => {
      const result = await handle(channel, arg, trusted);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value;
    };
    await call('session:signInDemo', {});
    const search = (await call('catalogue:searchTracks', { q: 'Signal', pageSize: 1 })) as {
      items: unknown[];
    };
    const track = search.items[0];
    await call('queue:save', { tracks: [track], index: 0, positionSec: 2, shuffle: false, repeat: 'all' });
    await call('playlists:create', { name: 'Fuzz guard', tracks: [track] });
    await call('settings:update', { streamFormat: 'progressive' });
    fixture.calls.clear();
    before = await observableState(fixture.core);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it.each(channels.map((channel) => [channel]))(
    '%s rejects malformed arguments without calling the handler',
    async (channel) => {
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(malformedArgs(channel), async (arg) => {
          fc.pre(isRejected(channel, arg));
          rejected++;
          // handle() must resolve (a throw would fail the property with the exception).
          const result = await handle(channel, arg, trusted);
          expectFailure(result);
          expect(result.error.code).toBe('invalid_input');
          expect(result.error.message.length).toBeLessThan(2_000);
          expect(JSON.stringify(result)).not.toMatch(/at .*\.[jt]s:\d+/);
        }),
        { numRuns, maxSkipsPerRun: 100 },
      );
      expect(rejected).toBeGreaterThan(numRuns / 2);
      expect(fixture.calls.get(channel) ?? 0).toBe(0);
    },
  );

  it('rejects unknown channel names of any kind', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            ...nastyKeys,
            'catalogue:searchTracks ',
            'CATALOGUE:SEARCHTRACKS',
            'settings:update\u0000',
          ),
          fc.anything(),
        ),
        fc.anything(),
        async (channel, arg) => {
          fc.pre(!isChannel(channel));
          const result = await handle(channel, arg, trusted);
          expectFailure(result);
          expect(result.error.code).toBe('invalid_input');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an untrusted sender whatever it sends, valid or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), fc.anything(), async (channel, arg) => {
        const result = await handle(channel, arg, { trusted: false, description: 'foreign frame' });
        expectFailure(result);
        expect(result.error.code).toBe('forbidden');
      }),
      { numRuns: 200 },
    );
  });

  it('left no trace: no handler ran, and settings, queue, playlists, play log, offline, downloads and session are unchanged', async () => {
    expect(Object.fromEntries(fixture.calls)).toEqual({});
    expect(await observableState(fixture.core)).toEqual(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });
});
