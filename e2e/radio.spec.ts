// Interactive Radio: skip until the budget is spent → Skip is disabled; the station's history
// (as the emulator recorded it) respects the DMCA limits.
import { expect, openSignedIn, screenshot, test } from './fixtures.js';

type RadioHistory = {
  ruleset: string;
  tracks: {
    trackId: string;
    releaseId: string;
    artistId: string;
    isCompilation: boolean;
    resolution: string | null;
  }[];
  events: { eventType: string }[];
  deletedAt: string | null;
};

test('radio: skip until the budget is spent, then Skip is disabled; history within DMCA limits', async ({
  page,
  app,
  emulator,
}) => {
  await openSignedIn(page, app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Radio', exact: true })
    .click();
  await page.getByRole('radio', { name: /DMCA/ }).check();
  const started = page.waitForResponse((response) => /\/api\/radio(%3A|:)startStation/.test(response.url()));
  await page.getByRole('button', { name: 'Start station' }).click();
  const body = (await (await started).json()) as {
    ok: boolean;
    value: { sessionId: string; skipsRemaining: number };
  };
  expect(body.ok).toBe(true);
  const { sessionId, skipsRemaining } = body.value;
  expect(skipsRemaining).toBeGreaterThan(0);

  const skip = page.getByRole('button', { name: 'Skip', exact: true });
  await expect(skip).toBeEnabled({ timeout: 30_000 });
  await screenshot(page, 'radio');
  for (let left = skipsRemaining; left > 0; left--) {
    await expect(page.getByText(`${left} skip${left === 1 ? '' : 's'} left`, { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await expect(skip).toBeEnabled({ timeout: 30_000 });
    await skip.click();
  }
  await expect(page.getByText(/^No skips left/).first()).toBeVisible({ timeout: 30_000 });
  await expect(skip).toBeDisabled();

  const history = await emulator.testApi<RadioHistory>(`/_emulator/radio/${sessionId}/history`);
  expect(history.ruleset).toBe('dmca');
  expect(history.events.filter((e) => e.eventType === 'skip')).toHaveLength(skipsRemaining);
  // DMCA (emulator defaults): ≤ 3 per release and ≤ 2 in a row; ≤ 4 per artist and ≤ 3 in a row.
  const count = (key: (t: RadioHistory['tracks'][number]) => string | null) => {
    const totals = new Map<string, number>();
    let run = 0;
    let maxRun = 0;
    let previous: string | null = null;
    for (const track of history.tracks) {
      const k = key(track);
      if (k === null) {
        previous = null;
        run = 0;
        continue;
      }
      totals.set(k, (totals.get(k) ?? 0) + 1);
      run = k === previous ? run + 1 : 1;
      maxRun = Math.max(maxRun, run);
      previous = k;
    }
    return { max: Math.max(0, ...totals.values()), maxRun };
  };
  const releases = count((t) => t.releaseId);
  expect(releases.max).toBeLessThanOrEqual(3);
  expect(releases.maxRun).toBeLessThanOrEqual(2);
  const artists = count((t) => (t.isCompilation ? null : t.artistId));
  expect(artists.max).toBeLessThanOrEqual(4);
  expect(artists.maxRun).toBeLessThanOrEqual(3);

  await page.getByRole('button', { name: 'Stop station' }).click();
  await expect
    .poll(
      async () => (await emulator.testApi<RadioHistory>(`/_emulator/radio/${sessionId}/history`)).deletedAt,
      { timeout: 30_000 },
    )
    .not.toBeNull();
});
