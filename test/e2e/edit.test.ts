// End to end in Chromium: generate an image offline, open it, Erase a part painted with the
// mouse on the mask brush, see the edit arrive with its before and after; then instruct-edit a
// result ("make it warmer"). The mask brush is photographed at 380 px, light and dark.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { newDesignerPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;
const shots = 'test-results/screenshots';

const articles = (panel: Page) => panel.getByTestId('results').locator('article');

/** Opens the newest result large and its edit tools. */
async function editNewest(panel: Page) {
  await articles(panel).first().getByTestId('result-image').click();
  const dialog = panel.getByRole('dialog');
  await dialog.getByTestId('large-image').waitFor();
  await dialog.getByRole('button', { name: 'Edit', exact: true }).click();
  return dialog.getByRole('form', { name: 'Edit this image' });
}

describe.runIf(ready)('editing in the side panel', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('erases a part painted with the mouse, shows before and after, then instructs a result', async () => {
    const { panel } = await newDesignerPanel(browser, ready!.apiUrl, 30, { width: 380, height: 900 });

    await panel.getByTestId('model').selectOption('flux-schnell');
    await panel.getByTestId('resolution').selectOption('sd');
    await panel.getByTestId('batch').fill('1');
    await panel.getByTestId('prompt').fill('a red lighthouse on a green hill, blue sky');
    await expect.poll(() => panel.getByTestId('generate').textContent()).toBe('Generate · 1 credit');
    await panel.getByTestId('generate').click();
    await expect.poll(() => articles(panel).first().getByTestId('status').textContent(), { timeout: 60_000 }).toBe('Done');

    // Erase: the run stays off until the mask is painted.
    const form = await editNewest(panel);
    await form.getByRole('radio', { name: /^Erase/ }).check();
    const run = form.getByRole('button', { name: 'Erase · 3 credits' });
    expect(await run.isDisabled()).toBe(true);
    expect(await form.getByTestId('edit-quote').textContent()).toBe('On FLUX.1 Kontext & Fill · 3 credits · you have 29 credits');
    const canvas = form.getByTestId('mask-canvas');
    await form.locator('.mask-stage img').waitFor();
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // The overlay keeps the image's square shape at the panel's width.
    expect(Math.abs(box.width - box.height)).toBeLessThan(2);
    expect(box.width).toBeGreaterThan(250);
    await panel.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.45);
    await panel.mouse.down();
    for (let i = 1; i <= 10; i++) await panel.mouse.move(box.x + box.width * (0.3 + 0.04 * i), box.y + box.height * (0.45 + 0.01 * i));
    await panel.mouse.up();
    await expect.poll(() => form.getByTestId('mask-state').textContent()).toBe('The painted area will change.');
    // The overlay really was drawn where the mouse went, and not in a corner.
    const overlay = await canvas.evaluate((c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d')!;
      const { width, height } = c as HTMLCanvasElement;
      const alphaAt = (x: number, y: number) => ctx.getImageData(Math.round(x * width), Math.round(y * height), 1, 1).data[3];
      return { middle: alphaAt(0.5, 0.5), corner: alphaAt(0.05, 0.95) };
    });
    expect(overlay.middle).toBeGreaterThan(0);
    expect(overlay.corner).toBe(0);

    const tools = panel.getByRole('region', { name: 'Edit an image' });
    await tools.screenshot({ path: `${shots}/edit-mask-brush-380-light.png` });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await tools.screenshot({ path: `${shots}/edit-mask-brush-380-dark.png` });
    await panel.emulateMedia({ colorScheme: null });

    const uploads: string[] = [];
    panel.on('request', (r) => r.method() === 'POST' && r.url().startsWith(ready!.apiUrl) && uploads.push(new URL(r.url()).pathname));
    await run.click();
    await panel.getByRole('dialog').waitFor({ state: 'detached' });
    expect(uploads).toEqual(['/v1/images', expect.stringMatching(/^\/v1\/images\/[^/]+\/edits$/)]);
    await expect.poll(() => articles(panel).count()).toBe(2);
    await expect.poll(() => articles(panel).first().getByTestId('status').textContent(), { timeout: 60_000 }).toBe('Done');
    await expect.poll(() => panel.getByTestId('balance').textContent()).toBe('26');

    // The edit, large: before and after, a slider between them.
    await articles(panel).first().getByTestId('result-image').click();
    const dialog = panel.getByRole('dialog');
    const slider = dialog.getByRole('slider', { name: 'Before / after' });
    await expect.poll(() => slider.isEnabled(), { timeout: 15_000 }).toBe(true);
    await slider.fill('30');
    await dialog.getByTestId('before-after').screenshot({ path: `${shots}/edit-before-after-380.png` });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    // Instruct on that result: a new result, warmer.
    const instruct = await editNewest(panel);
    await instruct.getByRole('textbox', { name: 'What to change', exact: true }).fill('make it warmer');
    await instruct.getByRole('button', { name: 'Instruct · 3 credits' }).click();
    await panel.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => articles(panel).count()).toBe(3);
    await expect.poll(() => articles(panel).first().getByTestId('status').textContent(), { timeout: 60_000 }).toBe('Done');
    expect(await articles(panel).first().locator('.error').count()).toBe(0);
    await expect.poll(() => panel.getByTestId('balance').textContent()).toBe('23');
  });
});
