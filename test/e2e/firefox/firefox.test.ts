// The Firefox build end to end in real Firefox ESR (WebDriver BiDi through puppeteer-core): the
// panel signs in against the local Worker with the emailed code, refuses a wrong one in words,
// and images captured through the background's menu path (its test hook, as in Chromium; where
// Firefox names no image, the picker completed with a real mouse click) land in the references
// tray with where they came from. One browser launch for the whole file.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { imagePath } from '../fixture-site';
import { grant, latestCode, newEmail } from '../support';
import { type FirefoxWithExtension, launchFirefoxWithExtension } from './browser';

const world = inject('e2eFirefox');
const ready = 'apiUrl' in world ? world : null;

const byTestId = (id: string) => `[data-testid="${id}"]`;
const textOf = (page: Page, id: string) => page.$eval(byTestId(id), (e) => e.textContent).catch(() => null);

describe.runIf(ready)('the Firefox build in Firefox ESR', () => {
  let firefox: FirefoxWithExtension;
  let panel: Page;
  const site = ready?.site ?? '';
  const apiUrl = ready?.apiUrl ?? '';

  beforeAll(async () => {
    firefox = await launchFirefoxWithExtension(ready!.firefox, ready!.extensionDir);
    panel = firefox.panel;
    await panel.setViewport({ width: 400, height: 900 });
  });
  afterAll(async () => {
    await firefox?.close();
  });

  async function sendCode(email: string): Promise<string> {
    await panel.locator(byTestId('email')).fill(email);
    await panel.locator(byTestId('send-code')).click();
    return latestCode(apiUrl, email);
  }

  it('signs in with the emailed code and shows the balance', async () => {
    const email = newEmail();
    await grant(apiUrl, email, 250);
    const code = await sendCode(email);
    await panel.locator(byTestId('code')).fill(code);
    await panel.locator(byTestId('sign-in')).click();
    await expect.poll(() => textOf(panel, 'balance'), { timeout: 15_000 }).toBe('250');
    expect(await textOf(panel, 'user-email')).toBe(email);
    // The refresh token is kept across restarts, the access token is not.
    const stored = await panel.evaluate(async () => {
      const storage = (globalThis as any).browser.storage;
      return { session: await storage.session.get(null), local: await storage.local.get(null) };
    });
    expect(stored.local.refreshToken).toEqual(expect.any(String));
    expect(stored.local).not.toHaveProperty('accessToken');
    expect(stored.session.accessToken.token).toMatch(/^ey/);
  });

  /** A fixture page in a new tab, and the tab's id as the extension knows it. */
  async function open(name: string): Promise<{ page: Page; tabId: number }> {
    const page = await firefox.browser.newPage();
    await page.goto(`${site}/pages/${name}`, { waitUntil: 'load' });
    return { page, tabId: await firefox.tabIdOf(page.url()) };
  }

  /** A right-click on #target: Firefox reports the source it shows (its currentSrc) as srcUrl. */
  async function captureImg(name: string) {
    const { page, tabId } = await open(name);
    const srcUrl = await page.$eval('#target', (i) => (i as HTMLImageElement).currentSrc);
    const result = await firefox.capture({ tabId, menu: 'reference', srcUrl, mediaType: 'image', pageUrl: page.url() });
    await page.close();
    return result;
  }

  it('captures a plain image at its size, with its page', async () => {
    expect(await captureImg('plain')).toMatchObject({ width: 640, height: 400, source_url: `${site}${imagePath(640, 400)}`, page_url: `${site}/pages/plain`, page_title: 'Plain image', alt: 'A plain image' });
  });

  it('captures the largest srcset candidate, not the one displayed', async () => {
    expect(await captureImg('srcset')).toMatchObject({ width: 1600, height: 1000, source_url: `${site}${imagePath(1600, 1000)}` });
  });

  it('captures a CSS background where Firefox names no image: the picker shows, and a real click in the page takes it', async () => {
    const { page, tabId } = await open('background');
    await page.bringToFront();
    const pending = firefox.capture({ tabId, menu: 'reference', pageUrl: page.url() });
    await page.waitForSelector('[data-exactly-picker-hint]');
    const box = await page.$eval('#target', (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await page.mouse.click(box.x, box.y);
    expect(await pending).toMatchObject({ width: 1000, height: 625, source_url: `${site}${imagePath(1000, 625, [120, 40, 160])}` });
    expect(await page.$('[data-exactly-picker]')).toBeNull();
    await page.close();
  });

  it('shows the captures in the references tray with where they came from (photographed at 400 px)', async () => {
    await panel.bringToFront();
    await panel.locator(byTestId('tab-generate')).click();
    await panel.select(byTestId('model'), 'exactly-agentic');
    const sources = () => panel.$$eval(byTestId('tray-source'), (links) => links.map((a) => (a as HTMLAnchorElement).href));
    await expect.poll(sources, { timeout: 10_000 }).toEqual(expect.arrayContaining([`${site}${imagePath(640, 400)}`, `${site}${imagePath(1600, 1000)}`, `${site}${imagePath(1000, 625, [120, 40, 160])}`]));
    await expect
      .poll(() => panel.$$eval(byTestId('tray-image'), (images) => images.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length), { timeout: 10_000 })
      .toBe(3);
    // Light only: puppeteer emulates prefers-color-scheme through CDP, which Firefox lacks (the Chromium suite photographs dark).
    await panel.screenshot({ path: 'test-results/screenshots/firefox-tray-400-light.png', fullPage: true });
  });

  it('says so in words when the code is wrong', async () => {
    await panel.locator('::-p-text(Sign out)').click();
    await panel.locator(byTestId('email')).wait();
    const email = newEmail();
    const code = await sendCode(email);
    await panel.locator(byTestId('code')).fill(code === '000000' ? '111111' : '000000');
    await panel.locator(byTestId('sign-in')).click();
    await expect.poll(() => panel.$eval('[role="alert"]', (e) => e.textContent).catch(() => ''), { timeout: 10_000 }).toMatch(/not right\. 4 tries left/);
    expect(await panel.$(byTestId('balance'))).toBeNull();
  });
});
