// Real Firefox ESR with the built extension (WXT's firefox-mv2 build) installed as a temporary
// add-on, through puppeteer-core over WebDriver BiDi. BiDi refuses to navigate to
// moz-extension:// pages, so the Firefox test build's background opens the panel in a tab when
// the add-on is installed (wxt.config.ts); that tab is found among the browser's pages and
// reaches the background (and its test hook) through runtime.getBackgroundPage().
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export interface FirefoxWithExtension {
  browser: Browser;
  /** The side panel, opened by the extension itself in a tab. */
  panel: Page;
  /** Runs the background's capture hook with what a real menu click gives. */
  capture(args: Record<string, unknown>): Promise<unknown>;
  /** The extension's id for a tab showing `url`. */
  tabIdOf(url: string): Promise<number>;
  close(): Promise<void>;
}

/** Debian's Firefox ESR, or FIREFOX_PATH. */
export function findFirefox(): string | null {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean) as string[];
  return candidates.find((path) => existsSync(path)) ?? null;
}

const isExtensionPage = (page: Page) => page.evaluate(() => location.protocol === 'moz-extension:').catch(() => false);

async function findPanel(browser: Browser, timeoutMs = 30_000): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const page of await browser.pages()) if (await isExtensionPage(page)) return page;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the Firefox test build did not open its panel in a tab after installing');
}

export async function launchFirefoxWithExtension(executablePath: string, extensionDir: string): Promise<FirefoxWithExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: { 'xpinstall.signatures.required': false },
  });
  try {
    await browser.installExtension(extensionDir);
    const panel = await findPanel(browser);
    await panel.waitForSelector('[data-testid]');
    return {
      browser,
      panel,
      // The MV2 background is a page of the extension: the panel reaches its window directly. The
      // result crosses back as JSON (the hook's objects belong to the background's window).
      capture: (args) =>
        panel.evaluate(async (a) => {
          const background = (await (globalThis as any).browser.runtime.getBackgroundPage()) as any;
          return JSON.parse(JSON.stringify((await background.__capture(a)) ?? null));
        }, args),
      // Firefox's match patterns take no port, so tabs.query({ url }) finds no loopback page: compare whole URLs.
      tabIdOf: (url) => panel.evaluate(async (u) => ((await (globalThis as any).browser.tabs.query({})) as { id: number; url: string }[]).find((t) => t.url === u)!.id, url),
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
