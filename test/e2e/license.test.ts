// End to end in Chromium: generate with the demo Artist Style, see the watermark, license the
// image, and download the original.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { grant, newEmail, signInThroughPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

/** The large image's width as decoded: a locked image's preview is at most 3/4 of the original's side. */
async function shownWidth(panel: Page): Promise<number> {
  return panel.getByTestId('large-image').evaluate(async (img) => {
    const image = img as HTMLImageElement;
    await image.decode();
    return image.naturalWidth;
  });
}

describe.runIf(ready)('owning an image from the side panel', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('generates with an Artist Style, shows the watermark, licenses the image and downloads the original', async () => {
    const email = newEmail();
    await fetch(`${ready!.apiUrl}/dev/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
    await grant(ready!.apiUrl, email, 60);
    const models = (await (await fetch(`${ready!.apiUrl}/v1/models?q=Dusk`)).json()) as { items: { id: string }[] };
    const panel = await browser.openSidePanel();
    await panel.setViewportSize({ width: 420, height: 1000 });
    await signInThroughPanel(panel, ready!.apiUrl, email);
    await panel.getByTestId('model').selectOption(models.items[0]!.id);
    await panel.getByTestId('batch').fill('1');
    await panel.getByTestId('prompt').fill('boats in the harbour');
    await expect.poll(() => panel.getByTestId('generate').textContent()).toBe('Generate · 3 credits');
    await panel.getByTestId('generate').click();
    await expect.poll(() => panel.getByTestId('result-image').count(), { timeout: 30_000 }).toBe(1);

    await panel.getByTestId('result-image').click();
    await panel.getByTestId('large-image').waitFor();
    expect(await panel.getByTestId('policy').textContent()).toBe('Licensable · 20 credits');
    // Locked: a smaller, marked copy (the mark varies per image, so its size is what a test can hold).
    expect(await shownWidth(panel)).toBeLessThanOrEqual(768);
    await panel.screenshot({ path: 'test-results/side-panel-watermarked.png' });

    await panel.getByTestId('license').click();
    await expect.poll(() => panel.getByTestId('policy').textContent(), { timeout: 10_000 }).toBe('Licensed');
    expect(await panel.getByTestId('certificate').getAttribute('href')).toMatch(/\/v1\/licenses\/lic_\w+\/certificate$/);
    await expect.poll(() => shownWidth(panel), { timeout: 10_000 }).toBe(1024);
    await expect.poll(() => panel.getByTestId('balance').textContent()).toBe(String(60 - 3 - 20));

    const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByTestId('download-original').click()]);
    const file = readFileSync((await download.path())!);
    const imageId = (await panel.getByTestId('own-image').evaluate(() => document.querySelector('[data-testid=result-image]')!.closest('article')!.getAttribute('data-generation-id')))!;
    const token = await panel.evaluate(async () => ((await (globalThis as any).chrome.storage.session.get('accessToken')).accessToken.token as string));
    const generation = (await (await fetch(`${ready!.apiUrl}/v1/generations/${imageId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { images: { id: string }[] };
    const image = (await (await fetch(`${ready!.apiUrl}/v1/images/${generation.images[0]!.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { sha256: string };
    expect(createHash('sha256').update(file).digest('hex')).toBe(image.sha256);

    // The licensed extras: an SVG export, made by a job while the panel waits.
    const [svg] = await Promise.all([panel.waitForEvent('download', { timeout: 30_000 }), panel.getByTestId('download-svg').click()]);
    expect(readFileSync((await svg.path())!, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });
});
