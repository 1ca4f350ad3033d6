// The emulator as a witness (GET /_emulator/implausible), over real signed HTTP: honest plays
// leave the list empty; a radio track completed seconds after it was served, a play log claiming
// more listening than the time since its stream opened, and a play of a track never streamed
// are each listed. (The app never sends these: the API client here plays a lying client.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.js';
import { demoConsumer, demoListener, demoNoSubscriptionListener } from '../../shared/demo.js';
import { createApiClient, type ApiClient } from './api/client.js';
import { createLocalSigner } from './api/oauth.js';

type Findings = { count: number; findings: { kind: string; trackId: string; detail: string }[] };

let dir: string;
let emulator: RunningEmulator;
let api: ApiClient;
const userId = demoListener.userId;

const findings = async (): Promise<Findings> =>
  (await (await fetch(`${emulator.url}/_emulator/implausible`)).json()) as Findings;

const log = (trackId: string, secondsAgo: number, durationPlayed: number) => ({
  trackId,
  userId,
  clientId: 'witness-test',
  country: 'GB',
  playMode: 'online',
  timestamp: new Date(Date.now() - secondsAgo * 1000).toISOString(),
  durationPlayed,
  endReason: 'userSkipped',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'septet-witness-'));
  emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
  api = createApiClient({
    baseUrl: emulator.url,
    signer: createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret }),
  });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the emulator lists what cannot be true', () => {
  it('an honest play leaves the list empty; a longer claim than the stream has existed is listed', async () => {
    const demo = (await (await fetch(`${emulator.url}/_emulator/demo-set`)).json()) as {
      tracks: { trackId: string }[];
    };
    const [first, second, never, late] = demo.tracks.map((t) => t.trackId);
    const manifest = await api.fetchSigned('streamSubscriptionTrackHls', {
      path: { trackId: first! },
      userId,
    });
    expect(manifest.status).toBe(200);
    await manifest.text();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await api.call('reportSubscriberStream', { body: { logs: [log(first!, 1, 1)] }, userId });
    expect(await findings()).toEqual({ count: 0, findings: [] });

    // 40 s heard of a play that started 1 s ago; a play said to have begun 8 s before its stream
    // was opened; a play of a track never streamed.
    for (const trackId of [second!, late!])
      await (await api.fetchSigned('streamSubscriptionTrackHls', { path: { trackId }, userId })).text();
    await api.call('reportSubscriberStream', { body: { logs: [log(second!, 1, 40)] }, userId });
    await api.call('reportSubscriberStream', { body: { logs: [log(late!, 8, 8)] }, userId });
    await api.call('reportSubscriberStream', { body: { logs: [log(never!, 60, 30)] }, userId });
    const listed = await findings();
    expect(listed.findings.map((f) => [f.kind, f.trackId, f.detail])).toEqual([
      ['log-listened', second, expect.stringMatching(/started only/)],
      ['log-listened', second, expect.stringMatching(/since the stream was opened/)],
      ['log-no-stream', late, expect.stringMatching(/before the play started/)],
      ['log-no-stream', never, expect.any(String)],
    ]);
  });

  it("a play of one listener delivered with another listener's access token is listed", async () => {
    const requestToken = await api.requestToken();
    await api.authoriseWithPassword({
      requestToken,
      username: demoNoSubscriptionListener.email,
      password: demoNoSubscriptionListener.password,
    });
    const token = await api.accessToken({ requestToken });
    const demo = (await (await fetch(`${emulator.url}/_emulator/demo-set`)).json()) as {
      tracks: { trackId: string }[];
    };
    const trackId = demo.tracks[5]!.trackId;
    await (await api.fetchSigned('streamSubscriptionTrackHls', { path: { trackId }, userId })).text();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // The listener's play, signed with the other account's token: the service takes it.
    await api.call('reportSubscriberStream', { body: { logs: [log(trackId, 1, 1)] }, token });
    expect((await findings()).findings).toContainEqual(
      expect.objectContaining({
        kind: 'log-foreign-token',
        trackId,
        userId,
        signedBy: demoNoSubscriptionListener.userId,
      }),
    );
  });

  it('a radio track completed seconds after it was served is listed', async () => {
    const playlists = (await api.call('listPlaylists', { query: { userId } })) as {
      playlists: { id: string }[];
    };
    const session = (await api.call('createInteractiveRadioSession', {
      body: { userId, playlistIds: [playlists.playlists[0]!.id], ruleset: 'dmca' },
    })) as { sessionId: string };
    const next = (await api.call('getInteractiveRadioNextTrack', {
      path: { sessionId: session.sessionId },
      userId,
    })) as { track: { id: string } };
    await api.call('postInteractiveRadioPlaybackEvents', {
      path: { sessionId: session.sessionId },
      userId,
      body: {
        events: [{ trackId: next.track.id, eventType: 'complete', timestamp: new Date().toISOString() }],
      },
    });
    expect((await findings()).findings).toContainEqual(
      expect.objectContaining({ kind: 'radio-complete', trackId: next.track.id }),
    );
  });
});
