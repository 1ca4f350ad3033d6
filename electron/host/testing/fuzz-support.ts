// Test support for the bad-input property tests: a real app core against a real emulator in a
// temp dir, a read-out of everything a listener could see change, and payload generators that
// break every channel's argument in the ways a buggy or hostile renderer would.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { channelArgs, type Channel, type Result } from '../../../shared/ipc/contract.js';
import type { ChannelHandlers } from '../../../shared/ipc/handlers.js';
import { createAppCore, type AppCore } from '../../core/app-core.js';
import { loadConfig } from '../../core/config/config.js';
import { createLogger } from '../../core/logger.js';

export const silentLogger = createLogger('fuzz', { level: 'silent' });

/** The emulator's entry point, passed in by the test (only tests may import the emulator). */
export type StartEmulator = (options: { port: number; dataDir: string }) => Promise<RunningEmulator>;
export type RunningEmulator = { url: string; close(): Promise<void> };

export type CoreFixture = {
  emulator: RunningEmulator;
  core: AppCore;
  dir: string;
  /** How many times each real handler ran (a rejected argument must never reach one). */
  calls: Map<string, number>;
  /** The core's handlers wrapped to count calls. */
  handlers: ChannelHandlers;
  close(): Promise<void>;
};

export async function startCoreFixture(startEmulator: StartEmulator): Promise<CoreFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'septet-fuzz-'));
  const emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
  const core = await createAppCore({
    config: loadConfig({
      flags: { baseUrl: emulator.url, dataDir: join(dir, 'app') },
      env: {},
      readFile: () => null,
    }),
    host: 'browser',
    version: '0.0.0-fuzz',
    openExternal: async () => undefined,
    vaultService: `Septet-fuzz-${randomBytes(6).toString('hex')}`,
    defaultDownloadFolder: join(dir, 'downloads'),
    logger: silentLogger,
  });
  await core.start({ rendererOrigins: ['http://127.0.0.1:1'] });
  const calls = new Map<string, number>();
  const counted: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(core.handlers)) {
    counted[channel] = (arg: unknown, context: unknown) => {
      calls.set(channel, (calls.get(channel) ?? 0) + 1);
      return (handler as (a: unknown, c: unknown) => Promise<unknown>)(arg, context);
    };
  }
  return {
    emulator,
    core,
    dir,
    calls,
    handlers: counted as ChannelHandlers,
    async close() {
      await core.handlers['session:signOut']({}, { host: 'browser' }).catch(() => undefined);
      await core.stop();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Everything observable that a rejected call could have changed (read straight from the core). */
export async function observableState(core: AppCore): Promise<unknown> {
  const h = core.handlers;
  const ctx = { host: 'browser' } as const;
  const session = await h['session:getSession']({}, ctx);
  const playlists =
    session.state === 'signedIn'
      ? (await h['playlists:list']({ page: 1, pageSize: 100 }, ctx)).items.map((p) => ({
          ...p,
          modifiedAt: undefined,
        }))
      : null;
  const info = await h['app:getInfo']({}, ctx);
  return {
    session,
    settings: await h['settings:get']({}, ctx),
    queue: await h['queue:getSaved']({}, ctx),
    playlists,
    playLog: await h['playlog:getStatus']({}, ctx),
    offline: await h['offline:getStatus']({}, ctx),
    downloads: await h['downloads:list']({}, ctx),
    info: { ...info, online: undefined },
    prototype: Object.getOwnPropertyNames(Object.prototype).sort(),
  };
}

/** One valid argument per channel: the starting point the mutations break. */
const track = { id: '1001', title: 'T', artist: { id: '1', name: 'A' } };
export const validSamples: { [C in Channel]: Record<string, unknown> } = {
  'session:getSession': {},
  'session:signInWithPassword': { email: 'a@b.c', password: 'pw' },
  'session:signInWithBrowser': {},
  'session:cancelSignIn': {},
  'session:signInDemo': { subscription: true },
  'session:signOut': {},
  'catalogue:searchArtists': { q: 'x', page: 1, pageSize: 5 },
  'catalogue:searchReleases': { q: 'x', page: 1, pageSize: 5 },
  'catalogue:searchTracks': { q: 'x', page: 1, pageSize: 5 },
  'catalogue:browseArtists': { letter: 'a', page: 1, pageSize: 5 },
  'catalogue:getArtist': { artistId: '1' },
  'catalogue:getArtistReleases': { artistId: '1', type: 'album', page: 1, pageSize: 5 },
  'catalogue:getRelease': { releaseId: '1' },
  'catalogue:getReleaseTracks': { releaseId: '1' },
  'catalogue:getTracks': { trackIds: ['1'] },
  'catalogue:getArtistTopTracks': { artistId: '1' },
  'playback:resolveStream': { trackId: '1', releaseId: '2', context: 'subscription' },
  'playback:prefetch': { trackId: '1', context: 'preview' },
  'playback:reportPlay': { streamId: 's-1', listened: 3, endReason: 'naturalEnd' },
  'playback:reportPlayEvent': { streamId: 's-1', event: 'paused', listened: 3 },
  'playback:reclaimStream': { trackId: '1' },
  'playback:getLoudness': { trackId: '1' },
  'playback:saveLoudness': { trackId: '1', lufs: -14.2, measuredSec: 30 },
  'queue:getSaved': {},
  'queue:save': {
    tracks: [track],
    index: 0,
    positionSec: 1,
    shuffle: false,
    repeat: 'off',
    shuffleOrder: [0],
    context: 'subscription',
  },
  'radio:startStation': { playlistIds: ['1'], ruleset: 'dmca' },
  'radio:nextTrack': {},
  'radio:skip': { streamId: 's-1', listened: 1 },
  'radio:stopStation': {},
  'locker:getLocker': { page: 1, pageSize: 5 },
  'downloads:chooseFolder': {},
  'downloads:start': { kind: 'track', id: '1', format: 'mp3', folder: '/tmp/x' },
  'downloads:cancel': { downloadId: '1' },
  'downloads:list': {},
  'downloads:showInFolder': { downloadId: 'd1' },
  'playlists:list': { page: 1, pageSize: 5 },
  'playlists:get': { playlistId: '1' },
  'playlists:create': { name: 'n', description: 'd', visibility: 'private', tracks: [track] },
  'playlists:update': { playlistId: '1', name: 'n', description: 'd', visibility: 'public' },
  'playlists:addTracks': { playlistId: '1', tracks: [track] },
  'playlists:removeTrack': { playlistId: '1', playlistTrackId: '2' },
  'playlists:moveTrack': { playlistId: '1', playlistTrackId: '2', toPosition: 1 },
  'playlists:delete': { playlistId: '1' },
  'sales:buy': { releaseId: '1' },
  'offline:authoriseDevice': { deviceName: 'd' },
  'offline:listDevices': {},
  'offline:makeAvailable': { releaseId: '1' },
  'offline:remove': { playlistId: '1' },
  'offline:getStatus': {},
  'offline:getLibrary': {},
  'settings:get': {},
  'settings:update': {
    streamFormat: 'hls',
    streamQuality: 'high',
    cacheQuotaBytes: 200 * 1024 * 1024,
    downloadFormat: 'flac',
    downloadFolder: null,
  },
  'app:getInfo': {},
  'playlog:getStatus': {},
  'home:getHome': {},
  'radio:startArtistStation': { artistId: '1', ruleset: 'dmca' },
};

/** Keys that pollute prototypes or shadow built-ins when a parser is careless. */
export const nastyKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];

/** 1 MiB and 20 MiB strings, built once. */
export const hugeString = 'x'.repeat(1024 * 1024);
export const hugerString = 'y'.repeat(20 * 1024 * 1024);

const nestedJunk = fc.jsonValue({ maxDepth: 6 });

/** A value of the wrong kind for almost any field. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(
    -1,
    0,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_SAFE_INTEGER,
    2 ** 53 + 1,
    -0,
  ),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '%00', '<script>', "' OR 1=1 --", hugeString),
  fc.array(fc.anything(), { maxLength: 5 }),
  fc.object({ maxDepth: 2 }),
  nestedJunk,
  fc.constant({ __proto__: { polluted: true } }),
);

/** Adds key → value as an own enumerable property, even for "__proto__" (as JSON.parse does). */
function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** Malformed arguments for one channel (callers keep only those the schema rejects). */
export function malformedArgs(channel: Channel): fc.Arbitrary<unknown> {
  const sample = validSamples[channel];
  const keys = Object.keys(sample);
  const mutations: fc.Arbitrary<unknown>[] = [
    // Not an object at all, or any random value.
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.anything(), { maxLength: 4 }),
      fc.constant(hugerString),
    ),
    fc.anything({
      maxDepth: 3,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
    }),
    // Extra fields, prototype-pollution keys among them.
    fc
      .tuple(fc.oneof(fc.constantFrom(...nastyKeys), fc.string({ minLength: 1, maxLength: 20 })), junkValue)
      .map(([key, value]) => withOwnKey(sample, key, value)),
    // An inherited field (Object.create with a poisoned prototype).
    junkValue.map((value) =>
      Object.assign(Object.create({ polluted: value, isAdmin: true }) as object, sample),
    ),
  ];
  if (keys.length > 0) {
    // A field missing, or of the wrong kind, or nested junk where a scalar belongs.
    mutations.push(
      fc.constantFrom(...keys).map((key) => {
        const copy = { ...sample };
        delete copy[key];
        return copy;
      }),
      fc.tuple(fc.constantFrom(...keys), junkValue).map(([key, value]) => ({ ...sample, [key]: value })),
    );
  }
  return fc.oneof(...mutations);
}

/** A payload the channel's schema rejects (JSON-safe when `jsonOnly`, for the HTTP transport). */
export function isRejected(channel: Channel, arg: unknown): boolean {
  return !channelArgs[channel].safeParse(arg ?? {}).success;
}

export function expectFailure(
  result: Result<unknown>,
): asserts result is Extract<Result<unknown>, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure result, got ${JSON.stringify(result).slice(0, 300)}`);
}
