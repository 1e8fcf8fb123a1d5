// End to end in Chromium, Agentic references: three pictures captured from a page with "Add to
// Agentic references", their components measured in the side panel from their pixels, one
// component turned off, a generation with that blend, the blend saved as a recipe, and the
// recipe reused with no references at all. Screenshots of the component view at 380 px,
// light and dark.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { artPath } from './fixture-site';
import { newDesignerPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

describe.runIf(ready)('Agentic references in the side panel', () => {
  let browser: ExtensionBrowser;
  const shots = 'test-results/screenshots';
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('measures three references, generates with one component off, saves the blend as a recipe and reuses it', { timeout: 240_000 }, async () => {
    const apiUrl = ready!.apiUrl;
    const { panel } = await newDesignerPanel(browser, apiUrl, 40, { width: 380, height: 1000 });

    // Three pictures of different colours, captured as "Add to Agentic references" does.
    const page = await browser.context.newPage();
    await page.goto(`${ready!.site}/pages/art`);
    await page.waitForLoadState('load');
    const tabId = await browser.serviceWorker.evaluate(async (url) => (await (globalThis as any).chrome.tabs.query({ url }))[0]!.id! as number, page.url());
    for (const n of [0, 2, 4]) {
      await browser.serviceWorker.evaluate((a) => (globalThis as any).__capture(a), { tabId, srcUrl: `${ready!.site}${artPath(n)}`, menu: 'agentic' });
    }
    await page.close();
    await panel.bringToFront();

    await panel.getByTestId('model').selectOption('exactly-agentic');
    const agentic = panel.getByRole('region', { name: 'Agentic components' });
    await expect.poll(() => agentic.getByTestId('agentic-reference').count(), { timeout: 20_000 }).toBe(3);
    // Each measured in this browser from its own pixels: a palette of named swatches, in under 50 ms.
    for (const n of [1, 2, 3]) {
      const palette = agentic.getByRole('group', { name: `Palette of reference ${n}` }).first();
      await palette.waitFor();
      const names = await palette.getByRole('img').evaluateAll((swatches) => swatches.map((s) => s.getAttribute('aria-label')));
      expect(names.length).toBeGreaterThan(1);
      for (const name of names) expect(name).toMatch(/^#[0-9a-f]{6}, \d+%$/);
    }
    const palettes = await Promise.all([1, 2, 3].map((n) => agentic.getByRole('group', { name: `Palette of reference ${n}` }).first().getByRole('img').first().getAttribute('aria-label')));
    expect(new Set(palettes).size).toBe(3);
    const times = await agentic.getByText(/^measured in \d+ ms$/).allTextContents();
    console.log(`Agentic references measured in the panel: ${times.join(', ')}`);
    expect(times).toHaveLength(3);

    // Reference 2's palette off: the blend loses its colours, and the generation says so.
    const blended = () => agentic.getByRole('group', { name: 'Blended palette' }).getByRole('img').evaluateAll((s) => s.map((e) => e.getAttribute('aria-label')));
    const before = await blended();
    await agentic.getByRole('slider', { name: 'Palette weight for reference 2' }).fill('0');
    await expect.poll(() => agentic.getByRole('slider', { name: 'Palette weight for reference 2' }).getAttribute('aria-valuetext')).toBe('off');
    await expect.poll(blended).not.toEqual(before);

    // The component view at side-panel width, light and dark (a window tall enough to hold it unscrolled).
    await panel.setViewportSize({ width: 380, height: 2600 });
    await agentic.screenshot({ path: `${shots}/agentic-components-380-light.png` });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await agentic.screenshot({ path: `${shots}/agentic-components-380-dark.png` });
    await panel.emulateMedia({ colorScheme: 'light' });
    // At the narrowest side panel (360 px, with a scrollbar), nothing in the view reaches past its card.
    await panel.setViewportSize({ width: 360, height: 1000 });
    const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const past = await agentic.evaluate((section) => {
      const edge = section.getBoundingClientRect().right;
      return [...section.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > edge + 0.5).map((e) => e.getAttribute('class') || e.tagName);
    });
    expect(past).toEqual([]);
    await panel.setViewportSize({ width: 380, height: 1000 });

    await panel.getByTestId('resolution').selectOption('hd');
    await panel.getByTestId('batch').fill('1');
    await panel.getByTestId('prompt').fill('a harbour at dusk');
    await expect.poll(() => panel.getByTestId('generate').textContent()).toBe('Generate · 4 credits');
    const [first] = await Promise.all([panel.waitForRequest((r) => r.method() === 'POST' && r.url() === `${apiUrl}/v1/generations`), panel.getByTestId('generate').click()]);
    const sent = first.postDataJSON() as { reference_image_ids: string[]; style_components: Record<string, Record<string, number>> };
    expect(sent.reference_image_ids).toHaveLength(3);
    expect(sent.style_components).toEqual({ [sent.reference_image_ids[1]!]: { palette: 0 } });
    await expect.poll(() => panel.getByTestId('result-image').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => panel.getByTestId('status').first().textContent(), { timeout: 60_000 }).toBe('Done');

    // Saved as a recipe, by name.
    await agentic.getByLabel('Recipe name').fill('Harbour blend');
    await agentic.getByRole('button', { name: 'Save as recipe' }).click();
    await expect.poll(() => agentic.getByRole('status').textContent()).toMatch(/^Saved “Harbour blend”/);

    // No references now: the recipe alone carries the blend to another prompt.
    const tray = panel.getByTestId('references-tray');
    while ((await tray.count()) && (await tray.getByRole('button', { name: 'Remove' }).count())) await tray.getByRole('button', { name: 'Remove' }).first().click();
    await agentic.getByText(/No references go yet/).waitFor();
    await agentic.getByLabel('Recipe', { exact: true }).selectOption({ label: 'Harbour blend' });
    await agentic.getByRole('group', { name: 'Blended palette' }).waitFor();
    await panel.getByTestId('prompt').fill('a lighthouse on a cliff');
    await expect.poll(() => panel.getByTestId('generate').textContent()).toBe('Generate · 4 credits');
    const [second] = await Promise.all([panel.waitForRequest((r) => r.method() === 'POST' && r.url() === `${apiUrl}/v1/generations`), panel.getByTestId('generate').click()]);
    const again = second.postDataJSON() as { recipe_id?: string; reference_image_ids?: string[] };
    expect(again.recipe_id).toMatch(/^rcp_/);
    expect(again.reference_image_ids).toBeUndefined();
    await expect.poll(() => panel.getByTestId('result-image').count(), { timeout: 60_000 }).toBe(2);
    await expect.poll(() => panel.getByTestId('status').first().textContent(), { timeout: 60_000 }).toBe('Done');
    await panel.screenshot({ path: `${shots}/agentic-recipe-380.png`, fullPage: true });
  });
});
