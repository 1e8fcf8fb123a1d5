// End to end in Chromium: a new account (no credits) buys a pack through the local checkout,
// and the panel shows the credits without a reload, and the purchase as paid. The buy view is
// photographed at the side panel's usual widths, light and dark, into test-results/screenshots/.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { newEmail, signInThroughPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;
const shots = 'test-results/screenshots';

/** The page or any element wider than the panel: nothing may scroll sideways. */
function sideways(panel: Page): Promise<string[]> {
  return panel.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width) found.push(`the page is ${document.documentElement.scrollWidth} px wide in ${width}`);
    for (const el of document.querySelectorAll('#buy-credits, #buy-credits *')) {
      const box = el.getBoundingClientRect();
      if (box.width && (box.right > width + 0.5 || box.left < -0.5)) found.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" reaches ${Math.round(box.left)}–${Math.round(box.right)} of ${width}`);
      if (el.matches('button') && el.scrollWidth > el.clientWidth + 1) found.push(`button "${el.textContent}" cuts its label`);
    }
    return found;
  });
}

/** The whole panel, in a window as tall as it is. */
async function shot(panel: Page, file: string) {
  const size = panel.viewportSize()!;
  await panel.setViewportSize({ width: size.width, height: Math.max(size.height, await panel.evaluate(() => Math.ceil(document.querySelector('.panel')!.getBoundingClientRect().bottom + window.scrollY))) });
  await panel.waitForTimeout(200);
  await panel.screenshot({ path: `${shots}/${file}.png` });
  await panel.setViewportSize(size);
}

describe.runIf(ready)('buying credits from the side panel', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
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
      expect(await sideways(panel), `the buy view at ${width} px`).toEqual([]);
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
