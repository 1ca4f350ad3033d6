// A compromised renderer calls the browser host's API directly (window.septet.invoke, what any
// script in the page can reach) to report inflated or foreign plays and to seek, skip or jump
// ahead on radio. Every attempt is refused by main, nothing of it reaches the service's logs or
// the station, and the emulator finds nothing that cannot be true (checked by the fixture).
import type { Page } from '@playwright/test';
import { expect, openSignedIn, test } from './fixtures.js';

type Outcome = { ok: boolean; code?: string; value?: unknown };

/** One call of the host API as page script makes it. */
function invoke(page: Page, channel: string, arg: unknown): Promise<Outcome> {
  return page.evaluate(
    async ([name, argument]) => {
      const result = await window.septet!.invoke(name as never, argument as never);
      return result.ok ? { ok: true, value: result.value } : { ok: false, code: result.error.code };
    },
    [channel, arg] as const,
  );
}

type RadioHistory = {
  tracks: { trackId: string; resolution: string | null }[];
  events: { eventType: string }[];
};

test('inflated, foreign and unknown play reports, and radio seeks, skips and jumps ahead, are all refused', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(180_000);
  await openSignedIn(page, app.url);
  const demo = await emulator.testApi<{ tracks: { trackId: string }[] }>('/_emulator/demo-set');
  const trackId = demo.tracks[0]!.trackId;

  // A stream main resolved and served: reports must fit the time since.
  const stream = await invoke(page, 'playback:resolveStream', { trackId, context: 'subscription' });
  expect(stream.ok).toBe(true);
  const { streamId, url } = stream.value as { streamId: string; url: string };
  await page.evaluate(async (u) => (await fetch(u)).text(), url);
  const refused: Outcome[] = [
    // Four minutes heard of a stream served a moment ago.
    await invoke(page, 'playback:reportPlay', { streamId, listened: 240, endReason: 'naturalEnd' }),
    await invoke(page, 'playback:reportPlayEvent', { streamId, event: 'progress', listened: 90 }),
    // A stream main never opened.
    await invoke(page, 'playback:reportPlay', { streamId: 's-forged', listened: 1, endReason: 'other' }),
    // The fields that decide where a royalty goes are main's, not the renderer's.
    await invoke(page, 'playback:reportPlay', {
      streamId,
      listened: 1,
      endReason: 'other',
      playMode: 'offline',
      logKind: 'catalogue',
      formatId: 45,
    }),
    // A radio stream on request (it would be logged as a station play).
    await invoke(page, 'playback:resolveStream', { trackId, context: 'radio' }),
  ];
  expect(refused.map((r) => r.ok)).toEqual([false, false, false, false, false]);
  expect(refused.map((r) => r.code)).toEqual([
    'invalid_input',
    'invalid_input',
    'not_found',
    'invalid_input',
    'forbidden',
  ]);

  // Another account's stream: the listener signs out (their plays are closed and recorded), the
  // other account signs in and reports on the listener's stream.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: /Demo account without a subscription/ }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 30_000 });
  const foreign = await invoke(page, 'playback:reportPlay', { streamId, listened: 1, endReason: 'other' });
  expect(foreign.ok).toBe(false);
  expect(['not_found', 'forbidden']).toContain(foreign.code);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in with the demo account' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 30_000 });

  // Radio: a station, its first track served.
  const playlists = await invoke(page, 'playlists:list', {});
  const playlistId = (playlists.value as { items: { id: string; name: string }[] }).items.find(
    (p) => p.name === 'Septet Favourites',
  )!.id;
  const station = await invoke(page, 'radio:startStation', { playlistIds: [playlistId], ruleset: 'dmca' });
  const { sessionId, skipsRemaining } = station.value as { sessionId: string; skipsRemaining: number };
  const first = (await invoke(page, 'radio:nextTrack', {})).value as {
    track: { id: string };
    stream: { streamId: string; url: string };
  };
  await page.evaluate(async (u) => (await fetch(u)).text(), first.stream.url);
  const radio: Outcome[] = [
    // Seeking is refused; so is calling the track done before it could have played.
    await invoke(page, 'playback:reportPlayEvent', {
      streamId: first.stream.streamId,
      event: 'seeked',
      listened: 0,
    }),
    await invoke(page, 'playback:reportPlay', {
      streamId: first.stream.streamId,
      listened: 0,
      endReason: 'naturalEnd',
    }),
    // The events channel of old (free-standing 'complete') no longer exists.
    await invoke(page, 'radio:reportEvent', { trackId: first.track.id, type: 'complete' }),
    // Skipping a stream that is not the station's.
    await invoke(page, 'radio:skip', { streamId: 's-forged', listened: 0 }),
  ];
  expect(radio.map((r) => r.ok)).toEqual([false, false, false, false]);
  expect(radio.map((r) => r.code)).toEqual(['forbidden', 'invalid_input', 'invalid_input', 'not_found']);
  // Asking for the next track again gives the same stream: no jump ahead, no replay.
  const again = (await invoke(page, 'radio:nextTrack', {})).value as { stream: { streamId: string } };
  expect(again.stream.streamId).toBe(first.stream.streamId);

  // Spend the budget, then one skip more: refused.
  let current = first.stream.streamId;
  for (let i = 0; i < skipsRemaining; i++) {
    const next = await invoke(page, 'radio:skip', { streamId: current, listened: 0 });
    expect(next.ok).toBe(true);
    current = (next.value as { stream: { streamId: string } }).stream.streamId;
  }
  const overBudget = await invoke(page, 'radio:skip', { streamId: current, listened: 0 });
  expect(overBudget).toMatchObject({ ok: false, code: 'limit_reached' });

  // What the service and the station were told: nothing of the refused attempts.
  const history = await emulator.testApi<RadioHistory>(`/_emulator/radio/${sessionId}/history`);
  expect(history.events.filter((e) => e.eventType === 'complete')).toEqual([]);
  expect(history.events.filter((e) => e.eventType === 'skip')).toHaveLength(skipsRemaining);
  expect(history.tracks.filter((t) => t.resolution === 'complete')).toEqual([]);
  await invoke(page, 'radio:stopStation', {});
  await app.restart(); // quitting closes and flushes every play still open
  for (const endpoint of ['subscriber', 'catalogue', 'preview']) {
    const { logs } = await emulator.testApi<{ logs: { durationPlayed?: number; endReason?: string }[] }>(
      `/_emulator/logs?endpoint=${endpoint}`,
    );
    for (const log of logs) {
      expect(log.durationPlayed ?? 0).toBeLessThanOrEqual(2);
      expect(log.endReason).not.toBe('naturalEnd');
    }
  }
});
