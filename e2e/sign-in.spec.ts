// Three-legged sign-in through the "system browser": the app opens the authorise page, the
// listener signs in there, the callback lands on the app's one-shot loopback listener.
import { expect, test } from './fixtures.js';

test('sign in through the browser (three-legged OAuth), then sign out', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Sign in with browser' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible({ timeout: 30_000 });
  await expect(nav.getByText('listener@septet.test').or(nav.getByText('demo-listener'))).toBeVisible();
  const session = await page.evaluate(async () => {
    const result = await window.septet!.invoke('session:getSession', {});
    return result.ok ? result.value : null;
  });
  expect(session).toMatchObject({ state: 'signedIn', userId: 'demo-listener', method: 'browser' });
  expect(JSON.stringify(session)).not.toMatch(/token|secret/i);

  await nav.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with browser' })).toBeVisible();
});

test('a subscriber signed in by email and password sees no "Previews" badge', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('textbox', { name: 'Email' }).fill('listener@septet.test');
  await page.getByRole('textbox', { name: 'Password' }).fill('septet-listener');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByText('listener@septet.test')).toBeVisible({ timeout: 30_000 });
  await expect(nav.getByText('Previews')).toHaveCount(0);

  // A listener known to have no subscription does see it.
  await nav.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: /Demo account without a subscription/ }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByText('Previews')).toBeVisible({
    timeout: 30_000,
  });
});
