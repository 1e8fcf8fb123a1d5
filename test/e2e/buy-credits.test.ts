// End to end in Chromium: a new account (no credits) buys a pack through the local checkout,
// and the panel shows the credits without a reload, and the purchase as paid. The buy view is
// photographed at the side panel's usual widths, light and dark, into test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { overflow, shot } from './layout-checks';
import { newEmail, signInThroughPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

describe.runIf(ready)('buying credits from the side panel', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a new account buys a pack through the local checkout and sees its credits without a reload', async () => {
    const panel = await browser.openSidePanel();
    await panel.setViewportSize({ width: 420, height: 900 });
    await signInThroughPanel(panel, ready!.apiUrl, newEmail());
    expect(await panel.getByTestId('balance').textContent()).toBe('0');
    // Gone if the panel reloads: the balance must move in the page as it is.
    await panel.evaluate(() => ((globalThis as { notReloaded?: boolean }).notReloaded = true));

    await panel.getByRole('button', { name: 'Buy credits', exact: true }).click();
    const view = panel.getByRole('region', { name: 'Buy credits' });
    await expect.poll(() => view.getByRole('list', { name: 'Credit packs' }).getByRole('listitem').count()).toBe(3);
    const buy = view.getByRole('button', { name: 'Buy 500 credits for $20.00' });
    const [checkout] = await Promise.all([browser.context.waitForEvent('page', { timeout: 15_000 }), buy.click()]);
    await checkout.waitForLoadState();
    expect(new URL(checkout.url()).origin).toBe(ready!.apiUrl);
    await view.getByText('Finish paying in the new tab — your balance updates here when the payment lands.').waitFor();

    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await checkout.getByText('Payment received').first().waitFor({ timeout: 15_000 });
    await checkout.close();

    await panel.bringToFront();
    await expect.poll(() => panel.getByTestId('balance').textContent(), { timeout: 15_000 }).toBe('500');
    expect(await panel.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await view.getByText('Added 500 credits.').waitFor();
    const purchases = view.getByRole('list', { name: 'Your purchases' }).getByRole('listitem');
    await expect.poll(() => purchases.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => purchases.first().textContent(), { timeout: 10_000 }).toMatch(/^500 credits.* · \$20\.00Paid$/);

    for (const width of [320, 360, 420, 600]) {
      await panel.setViewportSize({ width, height: 900 });
      expect(await overflow(panel), `the buy view at ${width} px`).toEqual([]);
    }
    for (const colorScheme of ['light', 'dark'] as const) {
      await panel.emulateMedia({ colorScheme });
      for (const width of [360, 420]) {
        await panel.setViewportSize({ width, height: 900 });
        await panel.evaluate(() => window.scrollTo(0, 0));
        await shot(panel, `buy-credits-${width}-${colorScheme}`);
      }
    }
    await panel.emulateMedia({ colorScheme: null });
  }, 120_000);
});
