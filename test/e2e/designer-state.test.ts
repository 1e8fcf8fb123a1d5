// End to end in real Chromium: the designer's work is kept and is theirs alone. A draft
// survives a tab switch and a panel reload; signing out and in as someone else shows none of
// the first account's draft, references or notices (and the first gets them back); a private
// Style is in its owner's picker only.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { imagePath } from './fixture-site';
import { grant, newEmail, signInThroughPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

describe.runIf(ready)('the designer’s state in the side panel', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps the draft through a tab switch and a reload, and shows another account none of it', async () => {
    const [first, second] = [newEmail(), newEmail()];
    await grant(ready!.apiUrl, first, 50);
    // The first account owns a private Style ("My Ink Studies"); the second does not.
    expect((await fetch(`${ready!.apiUrl}/dev/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: first }) })).status).toBe(200);
    const panel = await browser.openSidePanel();
    await panel.setViewportSize({ width: 400, height: 1000 });
    await signInThroughPanel(panel, ready!.apiUrl, first);

    const modelNames = () => panel.getByTestId('model').locator('option').allTextContents();
    await expect.poll(async () => (await modelNames()).some((n) => n.includes('My Ink Studies'))).toBe(true);

    // A draft, and a reference captured from a page.
    await panel.getByTestId('model').selectOption('flux-schnell');
    await panel.getByTestId('resolution').selectOption('sd');
    await panel.getByTestId('aspect').selectOption('16:9');
    await panel.getByTestId('batch').fill('3');
    await panel.getByTestId('prompt').fill('a harbour at dawn, mist over the water');
    const page = await browser.context.newPage();
    await page.goto(`${ready!.site}/pages/plain`);
    const tabId = await browser.serviceWorker.evaluate(async (url) => (await (globalThis as any).chrome.tabs.query({ url }))[0]!.id! as number, page.url());
    await browser.serviceWorker.evaluate((a) => (globalThis as any).__capture(a), { tabId, menu: 'reference', srcUrl: `${ready!.site}${imagePath(640, 400)}` });
    await page.close();
    await panel.bringToFront();
    const draft = async () => ({
      model: await panel.getByTestId('model').inputValue(),
      resolution: await panel.getByTestId('resolution').inputValue(),
      aspect: await panel.getByTestId('aspect').inputValue(),
      batch: await panel.getByTestId('batch').inputValue(),
      prompt: await panel.getByTestId('prompt').inputValue(),
    });
    const written = { model: 'flux-schnell', resolution: 'sd', aspect: '16:9', batch: '3', prompt: 'a harbour at dawn, mist over the water' };
    await expect.poll(() => panel.getByTestId('tray-item').count()).toBe(1);

    // Another tab and back: all there.
    await panel.getByRole('tab', { name: 'Models' }).click();
    await panel.getByRole('tab', { name: 'Generate' }).click();
    expect(await draft()).toEqual(written);
    // The panel closed and opened again: all there.
    await panel.reload();
    await panel.getByTestId('balance').waitFor();
    await expect.poll(draft).toEqual(written);
    await expect.poll(() => panel.getByTestId('tray-item').count()).toBe(1);

    // Someone else on the same browser sees none of it, nor the first account's private Style.
    await panel.getByRole('button', { name: 'Sign out' }).click();
    await panel.getByTestId('email').waitFor();
    await signInThroughPanel(panel, ready!.apiUrl, second);
    await expect.poll(async () => (await modelNames()).length).toBeGreaterThan(0);
    expect((await modelNames()).some((n) => n.includes('My Ink Studies'))).toBe(false);
    expect(await panel.getByTestId('prompt').inputValue()).toBe('');
    expect(await panel.getByTestId('tray-item').count()).toBe(0);
    expect(await panel.getByRole('status').filter({ hasText: 'Added to your references' }).count()).toBe(0);

    // The first account, back: their draft and their reference return.
    await panel.getByRole('button', { name: 'Sign out' }).click();
    await panel.getByTestId('email').waitFor();
    await signInThroughPanel(panel, ready!.apiUrl, first);
    await expect.poll(draft).toEqual(written);
    await expect.poll(() => panel.getByTestId('tray-item').count()).toBe(1);
  });
});
