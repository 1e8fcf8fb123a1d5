// The side panel at the widths Chrome gives it (320 to 600 px), full: ten references, a batch
// of twelve portrait results with a long prompt, a license, and an error on show. No view may
// scroll sideways or push a control off-screen. Screenshots in light and dark go to
// test-results/screenshots/ for a designer to judge.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { overflow, shot } from './layout-checks';
import { grant, newEmail, signInThroughPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;
const tabs = ['Generate', 'Collect', 'Training', 'Models', 'Licenses'] as const;
const longPrompt =
  'A lighthouse on a basalt headland at dusk, warm cinematic light raking across wet rocks, long exposure sea mist, ' +
  'a single figure in a yellow raincoat walking the coastal path, shot on medium format, muted teal and amber palette, ' +
  'reference: https://example.test/moodboards/coastal-lighthouses-at-dusk-with-long-exposure-and-figures-in-raincoats';

/** Opens a tab and waits until it shows everything it holds, images decoded. */
async function openTab(panel: Page, name: (typeof tabs)[number]) {
  await panel.getByRole('tab', { name }).click();
  const expected = { Generate: ['result-image', 13], Collect: ['collected-image', 10], Licenses: ['license-thumb', 1], Training: null, Models: null } as const;
  const wait = expected[name];
  if (wait) await expect.poll(() => panel.getByTestId(wait[0]).count(), { timeout: 15_000 }).toBe(wait[1]);
  if (name === 'Generate') await expect.poll(() => panel.getByTestId('tray-image').count(), { timeout: 15_000 }).toBe(10);
  await panel.waitForFunction(() => [...document.images].every((i) => i.complete), undefined, { timeout: 15_000 });
}

describe.runIf(ready)('the side panel from 320 to 600 px', () => {
  let browser: ExtensionBrowser;
  let panel: Page;
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fills up: ten references, a license, twelve portrait results and an error', async () => {
    const email = newEmail();
    await fetch(`${ready!.apiUrl}/dev/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
    await grant(ready!.apiUrl, email, 70);
    panel = await browser.openSidePanel();
    await panel.setViewportSize({ width: 420, height: 900 });
    await signInThroughPanel(panel, ready!.apiUrl, email);

    // Ten references, the way a designer gathers them: collect a page, choose, add.
    const page = await browser.context.newPage();
    await page.goto(`${ready!.site}/pages/gallery`);
    await page.waitForLoadState('load');
    const tabId = await browser.serviceWorker.evaluate(async (url) => (await (globalThis as any).chrome.tabs.query({ url }))[0]!.id! as number, page.url());
    await browser.serviceWorker.evaluate((a) => (globalThis as any).__capture(a), { tabId, menu: 'collect' });
    await page.close();
    await panel.bringToFront();
    await panel.getByRole('tab', { name: 'Collect' }).click();
    await expect.poll(() => panel.getByTestId('collected-image').count(), { timeout: 10_000 }).toBe(10);
    for (let i = 0; i < 10; i++) await panel.getByTestId('collected-image').nth(i).click();
    await panel.getByTestId('add-references').click();
    await panel.getByRole('tab', { name: 'Generate' }).click();
    await expect.poll(() => panel.getByTestId('tray-item').count(), { timeout: 20_000 }).toBe(10);

    // One licensed image, so the Licenses tab has a row to show.
    const models = (await (await fetch(`${ready!.apiUrl}/v1/models?q=Dusk`)).json()) as { items: { id: string }[] };
    await panel.getByLabel('Model', { exact: true }).selectOption(models.items[0]!.id);
    await panel.getByLabel('Images', { exact: true }).fill('1');
    await panel.getByLabel('Prompt', { exact: true }).fill('boats in the harbour');
    await expect.poll(() => panel.getByTestId('generate').textContent()).toBe('Generate · 3 credits');
    await panel.getByTestId('generate').click();
    await expect.poll(() => panel.getByTestId('result-image').count(), { timeout: 30_000 }).toBe(1);
    await panel.getByRole('button', { name: /^Image 1 of 1/ }).click();
    const dialog = panel.getByRole('dialog');
    await dialog.getByTestId('license').click();
    await expect.poll(() => dialog.getByTestId('policy').textContent(), { timeout: 10_000 }).toBe('Licensed');
    // Escape closes the detail view and focus goes back to the thumbnail.
    await panel.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // Focus moves in an effect after the dialog is gone: on a busy machine, a moment later.
    await expect.poll(() => panel.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).toMatch(/^Image 1 of 1/);

    // Twelve portraits with a long prompt, started from the keyboard.
    await panel.getByLabel('Model', { exact: true }).selectOption('flux-schnell');
    await panel.getByLabel('Size', { exact: true }).selectOption('sd');
    await panel.getByLabel('Aspect', { exact: true }).selectOption('9:16');
    await panel.getByLabel('Images', { exact: true }).fill('12');
    await panel.getByLabel('Prompt', { exact: true }).fill(longPrompt);
    await expect.poll(() => panel.getByTestId('generate').textContent()).toBe('Generate · 12 credits');
    await panel.getByLabel('Prompt', { exact: true }).press('Control+Enter');
    await expect.poll(() => panel.getByTestId('result-image').count(), { timeout: 120_000 }).toBe(13);
    await expect.poll(() => panel.getByTestId('status').first().textContent(), { timeout: 30_000 }).toBe('Done');
    // Thumbnails keep the portrait shape: taller than wide, not cropped square.
    const box = await panel.getByTestId('result-image').first().boundingBox();
    expect(box!.height / box!.width).toBeCloseTo(16 / 9, 1);

    // However full the tray, the prompt is a few Tab presses from the top.
    // A click on the header (nothing to focus there) starts keyboard navigation from the top.
    await panel.evaluate(() => window.scrollTo(0, 0));
    await panel.mouse.click(4, 4);
    let presses = 0;
    const passed: string[] = [];
    while (presses < 12 && (await panel.evaluate(() => document.activeElement?.id)) !== 'prompt') {
      await panel.keyboard.press('Tab');
      passed.push(await panel.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.id} ${document.activeElement?.textContent?.slice(0, 20)}`));
      presses++;
    }
    expect(presses, passed.join(' | ')).toBeLessThanOrEqual(6);

    // An error on show: a batch the balance cannot cover.
    await panel.getByLabel('Model', { exact: true }).selectOption('exactly-agentic');
    await panel.getByLabel('Images', { exact: true }).fill('12');
    await expect.poll(() => panel.getByRole('alert').first().textContent()).toMatch(/^This needs/);
  }, 240_000);

  for (const width of [320, 360, 420, 600]) {
    it(`scrolls sideways nowhere at ${width} px, in any tab or the detail view`, async () => {
      await panel.setViewportSize({ width, height: 900 });
      for (const name of tabs) {
        await openTab(panel, name);
        expect(await overflow(panel), `${name} at ${width} px`).toEqual([]);
      }
      await openTab(panel, 'Generate');
      // The form with a long prompt and an error on show.
      await panel.getByLabel('Model', { exact: true }).selectOption('exactly-agentic');
      await panel.getByLabel('Images', { exact: true }).fill('12');
      await panel.getByLabel('Prompt', { exact: true }).fill(longPrompt);
      await expect.poll(() => panel.getByRole('alert').first().textContent()).toMatch(/^This needs/);
      expect(await overflow(panel), `Generate with an error at ${width} px`).toEqual([]);
      await panel.getByRole('button', { name: /^Image 1 of 12/ }).click();
      await panel.getByTestId('large-image').waitFor();
      expect(await overflow(panel), `the detail view at ${width} px`).toEqual([]);
      await panel.getByRole('dialog').getByRole('button', { name: 'Edit', exact: true }).click();
      await panel.getByRole('form', { name: 'Edit this image' }).waitFor();
      expect(await overflow(panel), `the detail view editing at ${width} px`).toEqual([]);
      await panel.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
    });
  }

  // Photographed at the side panel's usual widths; 320 and 600 px are checked above, not kept.
  it('is photographed at 360 and 420 px in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await panel.emulateMedia({ colorScheme });
      for (const width of [360, 420]) {
        await panel.setViewportSize({ width, height: 900 });
        await panel.evaluate(() => window.scrollTo(0, 0));
        await openTab(panel, 'Generate');
        await shot(panel, `generate-${width}-${colorScheme}`);
        await panel.getByRole('button', { name: /^Image 1 of 12/ }).click();
        await panel.getByTestId('large-image').waitFor();
        await shot(panel, `detail-${width}-${colorScheme}`, false);
        await panel.getByRole('dialog').getByRole('button', { name: 'Edit', exact: true }).click();
        await panel.getByRole('form', { name: 'Edit this image' }).scrollIntoViewIfNeeded();
        await shot(panel, `detail-edit-${width}-${colorScheme}`, false);
        await panel.keyboard.press('Escape');
        for (const name of ['Collect', 'Licenses', 'Models'] as const) {
          await openTab(panel, name);
          await shot(panel, `${name.toLowerCase()}-${width}-${colorScheme}`);
        }
      }
    }
    await panel.emulateMedia({ colorScheme: null });
  });
});
