// End to end in real Chromium: the built extension's side panel signs in against a local
// Worker with the code read from /dev/outbox, and shows the balance.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { latestCode } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

describe.runIf(ready)('the side panel in Chromium', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in with the emailed code and shows the balance', async () => {
    const email = `e2e-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const granted = await fetch(`${ready!.apiUrl}/dev/credits/grant`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, amount: 250 }),
    });
    expect(granted.status).toBe(200);

    const panel = await browser.openSidePanel();
    await panel.getByTestId('email').fill(email);
    await panel.getByTestId('send-code').click();
    await panel.getByTestId('code').fill(await latestCode(ready!.apiUrl, email));
    await panel.getByTestId('sign-in').click();

    await expect.poll(() => panel.getByTestId('balance').textContent(), { timeout: 15_000 }).toBe('250');
    expect(await panel.getByTestId('user-email').textContent()).toBe(email);
    await panel.getByTestId('tab-models').click();
    // The built-in models are listed (Artist Styles seeded by other tests may be too).
    await expect.poll(() => panel.getByTestId('model-list').locator('li').count()).toBeGreaterThanOrEqual(4);
    for (const id of ['flux-schnell', 'flux-pro', 'flux-edit', 'exactly-agentic']) expect(await panel.locator(`[data-model-id="${id}"]`).count()).toBe(1);
    await panel.setViewportSize({ width: 400, height: 900 });
    await panel.screenshot({ path: 'test-results/side-panel-signed-in.png', fullPage: true });

    // Tokens live where they should: access in storage.session, refresh in storage.local.
    const stored = await browser.serviceWorker.evaluate(async () => {
      const c = (globalThis as any).chrome;
      return { session: await c.storage.session.get(null), local: await c.storage.local.get(null) };
    });
    expect(stored.session.accessToken.token).toMatch(/^ey/);
    expect(stored.session).not.toHaveProperty('refreshToken');
    expect(stored.local.refreshToken).toEqual(expect.any(String));
    expect(stored.local).not.toHaveProperty('accessToken');

    // A panel opened later is still signed in.
    const again = await browser.openSidePanel();
    await expect.poll(() => again.getByTestId('balance').textContent(), { timeout: 15_000 }).toBe('250');
    await again.close();

    await panel.getByText('Sign out').click();
    await expect.poll(() => panel.getByTestId('email').count()).toBe(1);
  });

  it('says so in words when the code is wrong', async () => {
    const email = `e2e-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const panel = await browser.openSidePanel();
    await panel.getByTestId('email').fill(email);
    await panel.getByTestId('send-code').click();
    const code = await latestCode(ready!.apiUrl, email);
    await panel.getByTestId('code').fill(code === '000000' ? '111111' : '000000');
    await panel.getByTestId('sign-in').click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/not right\. 4 tries left/);
  });
});
