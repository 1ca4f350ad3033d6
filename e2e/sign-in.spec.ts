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
