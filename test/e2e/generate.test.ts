// End to end in real Chromium: sign in, generate a batch of 4 with the offline renderer (no
// key, no network), and see the 4 results in the side panel, charged exactly.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { grant, newEmail, signInThroughPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

describe.runIf(ready)('generating in the side panel', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('generates a batch of 4 offline and shows 4 results', async () => {
    const email = newEmail();
    await grant(ready!.apiUrl, email, 30);
    const panel = await browser.openSidePanel();
    await panel.setViewportSize({ width: 400, height: 1000 });
    await signInThroughPanel(panel, ready!.apiUrl, email);
    // The live channel opens with a ticket; no token rides in its address.
    const sockets: string[] = [];
    panel.on('websocket', (socket) => sockets.push(socket.url()));
    await panel.reload();
    await panel.getByTestId('balance').waitFor();
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(sockets[0]).toMatch(/\/v1\/events\?ticket=/);
    expect(sockets[0]).not.toMatch(/access|bearer/i);

    await panel.getByTestId('model').selectOption('flux-schnell');
    await panel.getByTestId('resolution').selectOption('sd');
    await panel.getByTestId('aspect').selectOption('4:3');
    await panel.getByTestId('batch').fill('4');
    await panel.getByTestId('prompt').fill('a lighthouse at dusk, warm cinematic light');
    await expect.poll(() => panel.getByTestId('generate').textContent()).toBe('Generate · 4 credits');
    const asked: string[] = [];
    panel.on('request', (request) => request.url().startsWith(ready!.apiUrl) && asked.push(`${request.method()} ${new URL(request.url()).pathname}`));
    await panel.getByTestId('generate').click();

    await expect.poll(() => panel.getByTestId('result-image').count(), { timeout: 30_000 }).toBe(4);
    await expect.poll(() => panel.getByTestId('status').first().textContent()).toBe('Done');
    // Every thumbnail really loaded: decoded by the browser, not a broken image.
    const widths = await panel.getByTestId('result-image').evaluateAll((images) => images.map((i) => (i as HTMLImageElement).naturalWidth));
    expect(widths.every((w) => w > 0)).toBe(true);
    await expect.poll(() => panel.getByTestId('balance').textContent()).toBe('26');
    // Results and the balance came over the live channel: nothing was polled while it ran.
    const api = asked.filter((r) => !/\/(thumb|preview)$/.test(r));
    console.log(`API requests the panel made while a 4-image generation ran, besides the POST that started it and its ${asked.length - api.length} image fetches: ${api.length - 1}`);
    expect(api.filter((r) => r.startsWith('GET /v1/generations') || r === 'GET /v1/credits')).toEqual([]);
    await panel.screenshot({ path: 'test-results/side-panel-generated.png', fullPage: true });

    await panel.getByTestId('result-image').first().click();
    await panel.getByTestId('large-image').waitFor();
    expect(await panel.getByTestId('large-image').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(256);
  });
});
