// End to end in Chromium: a designer pins a picture from a page as a character (seeing it while
// naming it), adds two Agentic references ("Add to Agentic references" chooses Agentic), turns
// the pin on in the Generate form and generates; the request carries the pin and the references
// shown as going, and the generation succeeds. Screenshots of the pins and the references tray
// at 380 px, light and dark.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { artPath } from './fixture-site';
import { newDesignerPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

describe.runIf(ready)('pins and references in the side panel', () => {
  let browser: ExtensionBrowser;
  const shots = 'test-results/screenshots';
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('pins a captured picture, generates with it on Agentic, and the request carries it', { timeout: 180_000 }, async () => {
    const apiUrl = ready!.apiUrl;
    const { panel } = await newDesignerPanel(browser, apiUrl, 40, { width: 380, height: 1100 });
    await panel.getByTestId('model').selectOption('flux-schnell');
    await panel.getByTestId('prompt').fill('a harbour keeper at dawn');

    const page = await browser.context.newPage();
    await page.goto(`${ready!.site}/pages/art`);
    await page.waitForLoadState('load');
    const tabId = await browser.serviceWorker.evaluate(async (url) => (await (globalThis as any).chrome.tabs.query({ url }))[0]!.id! as number, page.url());
    const capture = (n: number, menu: string) => browser.serviceWorker.evaluate((a) => (globalThis as any).__capture(a), { tabId, srcUrl: `${ready!.site}${artPath(n)}`, menu });
    await capture(0, 'pin_character');
    await capture(1, 'agentic');
    await capture(2, 'agentic');
    await page.close();
    await panel.bringToFront();

    // "Add to Agentic references" chose Agentic in the open panel, and the prompt stayed.
    await expect.poll(() => panel.getByTestId('model').inputValue(), { timeout: 10_000 }).toBe('exactly-agentic');
    expect(await panel.getByTestId('prompt').inputValue()).toBe('a harbour keeper at dawn');
    await expect.poll(() => panel.getByTestId('references-count').textContent(), { timeout: 15_000 }).toBe('2 of 10 go with Exactly 1.0 Agentic');

    // The picture being pinned is in view while it is named.
    const newPin = panel.getByRole('form', { name: 'New pin' });
    await expect.poll(() => newPin.getByTestId('new-pin-image').evaluate((i) => (i as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await newPin.getByRole('radio', { name: 'Character' }).isChecked()).toBe(true);
    await panel.screenshot({ path: `${shots}/pins-new-pin-380-light.png`, fullPage: true });
    await newPin.getByLabel('Name').fill('Harbour keeper');
    const created = panel.waitForResponse((r) => r.url() === `${apiUrl}/v1/pins` && r.request().method() === 'POST');
    await newPin.getByRole('button', { name: 'Pin it' }).click();
    const pin = (await (await created).json()) as { id: string; image_ids: string[] };
    await panel.getByText('Pinned “Harbour keeper” as a character.').waitFor();

    // On in the Generate form, with its picture.
    const choice = panel.getByRole('checkbox', { name: /Harbour keeper/ });
    await choice.check();
    await expect.poll(() => panel.getByTestId('pins-on').textContent()).toBe('· 1 pin on');
    await expect.poll(() => panel.getByTestId('pin-picker').getByTestId('pin-thumb').evaluate((i) => (i as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);

    // One reference turned off: it is marked and does not go.
    await panel.getByRole('checkbox', { name: 'Use with Exactly 1.0 Agentic' }).nth(1).uncheck();
    await expect.poll(() => panel.getByTestId('references-count').textContent()).toBe('1 of 10 goes with Exactly 1.0 Agentic');
    expect(await panel.getByTestId('not-sent').count()).toBe(1);

    // The pins manager, open, with the pin's picture.
    await panel.getByRole('button', { name: 'Show pins' }).click();
    const card = panel.getByRole('listitem', { name: 'Harbour keeper, character pin' });
    await expect.poll(() => card.getByTestId('pin-thumb').first().evaluate((i) => (i as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await card.getByRole('button', { name: 'Add images' }).click();
    await panel.getByTestId('references-tray').scrollIntoViewIfNeeded();
    await panel.screenshot({ path: `${shots}/pins-references-380-light.png`, fullPage: true });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await panel.screenshot({ path: `${shots}/pins-references-380-dark.png`, fullPage: true });
    await panel.emulateMedia({ colorScheme: 'light' });
    // The page never grows sideways at side-panel width.
    expect(await panel.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);

    await panel.getByTestId('batch').fill('1');
    await expect.poll(() => panel.getByTestId('generate').textContent(), { timeout: 10_000 }).toBe('Generate · 4 credits');
    const started = panel.waitForRequest((r) => r.url() === `${apiUrl}/v1/generations` && r.method() === 'POST');
    await panel.getByTestId('generate').click();
    const body = (await started).postDataJSON() as { pin_ids?: string[]; reference_image_ids?: string[] };
    expect(body.pin_ids).toEqual([pin.id]);
    expect(body.reference_image_ids).toHaveLength(1);
    expect(body.reference_image_ids).not.toContain(pin.image_ids[0]);

    await expect.poll(() => panel.getByTestId('result-image').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => panel.getByTestId('status').first().textContent(), { timeout: 60_000 }).toBe('Done');
    await expect.poll(() => panel.getByTestId('balance').textContent(), { timeout: 10_000 }).toBe('36');
  });
});
