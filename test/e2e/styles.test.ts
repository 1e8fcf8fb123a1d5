// End to end in Chromium, a Style's whole life: a creator captures five pictures from a page
// into the training tray, trains a public Style in the studio page, scores its quiz and
// publishes it; a moderator accepts it in the /admin console; 25 other people generate with it,
// which invites the creator to verify it; the creator verifies; another designer generates
// with it in the side panel and licenses the image; the creator sees the earning.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser';
import { artPath } from './fixture-site';
import { grant, latestCode, newEmail, signInThroughPanel } from './support';

const world = inject('e2e');
const ready = 'apiUrl' in world ? world : null;

async function apiSignIn(apiUrl: string, email: string): Promise<string> {
  await fetch(`${apiUrl}/v1/auth/email/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  const code = await latestCode(apiUrl, email);
  const pair = (await (await fetch(`${apiUrl}/v1/auth/email/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, code }) })).json()) as { access_token: string };
  return pair.access_token;
}

/** One more person generating one image with the Style through the API, until it is stored. */
async function generateAs(apiUrl: string, modelId: string): Promise<void> {
  const email = newEmail();
  await grant(apiUrl, email, 10);
  const token = await apiSignIn(apiUrl, email);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = { model_id: modelId, prompt: 'a quiet harbour', batch: 1, resolution: 'hd', aspect_ratio: '1:1' };
  const started = (await (await fetch(`${apiUrl}/v1/generations`, { method: 'POST', headers: auth, body: JSON.stringify(body) })).json()) as { id: string };
  await expect
    .poll(async () => ((await (await fetch(`${apiUrl}/v1/generations/${started.id}`, { headers: auth })).json()) as { status: string }).status, { timeout: 60_000, interval: 250 })
    .toBe('succeeded');
}

describe.runIf(ready)('a Style from captured images to earnings', () => {
  let creator: ExtensionBrowser;
  let buyer: ExtensionBrowser;
  const apiUrl = ready?.apiUrl ?? '';
  const shots = 'test-results/screenshots';

  beforeAll(async () => {
    creator = await launchWithExtension(ready!.chromium, ready!.extensionDir);
  });
  afterAll(async () => {
    await creator?.close();
    await buyer?.close();
  });

  it('trains, passes its quiz, is accepted, reaches 25 people, is verified, licensed, and earns', { timeout: 600_000 }, async () => {
    const email = newEmail();
    await grant(apiUrl, email, 200);
    const panel = await creator.openSidePanel();
    await panel.setViewportSize({ width: 420, height: 1000 });
    await signInThroughPanel(panel, apiUrl, email);

    // Five pictures captured from a page into the training tray, as "Add to training set…" does.
    const page = await creator.context.newPage();
    await page.goto(`${ready!.site}/pages/art`);
    await page.waitForLoadState('load');
    const tabId = await creator.serviceWorker.evaluate(async (url) => (await (globalThis as any).chrome.tabs.query({ url }))[0]!.id! as number, page.url());
    for (let n = 0; n < 5; n++) {
      await creator.serviceWorker.evaluate((a) => (globalThis as any).__capture(a), { tabId, srcUrl: `${ready!.site}${artPath(n)}`, menu: 'training' });
    }
    await page.close();

    // The studio page, opened from the panel's Training tab.
    await panel.getByTestId('tab-training').click();
    const [studio] = await Promise.all([creator.context.waitForEvent('page'), panel.getByRole('button', { name: 'Open the studio' }).click()]);
    await studio.setViewportSize({ width: 1280, height: 1000 });
    await studio.waitForLoadState('load');
    await expect.poll(() => studio.getByTestId('set-image').count(), { timeout: 15_000 }).toBe(5);
    const name = `Harbour Waves ${crypto.randomUUID().slice(0, 6)}`;
    await studio.getByLabel('Name of the Style').fill(name);
    await studio.getByRole('radio', { name: /^Public/ }).check();
    await studio.getByRole('button', { name: 'Create the training set' }).click();
    for (let n = 1; n <= 5; n++) await studio.getByLabel(`Description of image ${n}`).fill(`waves and rings, study ${n}, teal and rust`);
    const train = studio.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await studio.getByTestId('training-cost').textContent()).toMatch(/^Training costs 120 credits; you have \d+ available\.$/);
    await studio.screenshot({ path: `${shots}/studio-training-set.png`, fullPage: true });
    await train.click();

    // Training runs offline; then the quiz, scored well.
    const quiz = studio.getByRole('form', { name: 'Quiz' });
    await quiz.waitFor({ timeout: 240_000 });
    const samples = await quiz.getByRole('radiogroup').count();
    expect(samples).toBe(6);
    await studio.screenshot({ path: `${shots}/studio-quiz.png`, fullPage: true });
    for (let i = 1; i <= samples; i++) await quiz.getByRole('radiogroup', { name: `Score for sample ${i}` }).getByLabel('5 — excellent').check();
    await quiz.getByRole('button', { name: 'Submit scores' }).click();

    // Publishing: a title, a title image and an example from its results, the copyright status.
    const publish = studio.getByRole('form', { name: 'Publish' });
    await publish.waitFor({ timeout: 20_000 });
    await publish.getByLabel('Title', { exact: true }).fill(name);
    await publish.getByRole('radio', { name: 'Title image: image 1' }).check();
    await publish.getByRole('checkbox', { name: 'Example: image 2' }).check();
    await publish.getByRole('radio', { name: /^My own work/ }).check();
    await publish.getByRole('button', { name: 'Submit for moderation' }).click();
    await studio.getByRole('heading', { name: 'In moderation' }).waitFor({ timeout: 20_000 });
    const styleId = decodeURIComponent(new URL(studio.url()).hash.split('/')[1]!);
    expect(styleId).toMatch(/^sty_/);

    // A moderator accepts it in the console, signed in with an emailed code.
    const moderatorEmail = newEmail();
    await fetch(`${apiUrl}/dev/roles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: moderatorEmail, role: 'moderator' }) });
    const consolePage = await creator.context.newPage();
    await consolePage.goto(`${apiUrl}/admin`);
    await consolePage.getByLabel('Email').fill(moderatorEmail);
    await consolePage.getByRole('button', { name: 'Email me a code' }).click();
    await consolePage.getByLabel('6-digit code').fill(await latestCode(apiUrl, moderatorEmail));
    await consolePage.getByRole('button', { name: 'Sign in' }).click();
    const pending = consolePage.getByRole('article', { name });
    await pending.waitFor({ timeout: 15_000 });
    // Every picture of the pending Style shows: training images, samples, title image, example.
    await expect.poll(() => consolePage.evaluate(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0)), { timeout: 60_000 }).toBe(true);
    expect(await consolePage.locator('img').count()).toBe(5 + 6 + 2);
    await consolePage.screenshot({ path: `${shots}/admin-console.png`, fullPage: true });
    await pending.getByRole('button', { name: 'Accept into the library' }).click();
    await expect.poll(async () => (await consolePage.getByRole('article', { name }).count()), { timeout: 15_000 }).toBe(0);
    await consolePage.close();
    await studio.getByRole('heading', { name: 'Published in the library' }).waitFor({ timeout: 20_000 });
    const mails = ((await (await fetch(`${apiUrl}/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as { items: { subject: string }[] }).items;
    expect(mails.map((m) => m.subject)).toContain(`Your Style “${name}” is published`);

    // In the library for everyone.
    const library = (await (await fetch(`${apiUrl}/v1/models?kind=artist&q=${encodeURIComponent(name)}`)).json()) as { items: { id: string; verified: boolean }[] };
    expect(library.items.map((m) => m.id)).toEqual([styleId]);

    // 25 other people generate with it: the creator is invited, once, and verifies in the studio.
    for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 5 }, () => generateAs(apiUrl, styleId)));
    await expect
      .poll(async () => ((await (await fetch(`${apiUrl}/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as { items: { subject: string }[] }).items.filter((m) => /verify/i.test(m.subject)).length, { timeout: 20_000 })
      .toBe(1);
    await studio.reload();
    await studio.getByTestId('verification-progress').waitFor({ timeout: 15_000 }).catch(() => undefined);
    const verify = studio.getByRole('form', { name: 'Verify' });
    await verify.waitFor({ timeout: 20_000 });
    await verify.getByRole('checkbox').check();
    await verify.getByRole('button', { name: 'Verify' }).click();
    await studio.getByText('Verified: its images can be licensed').waitFor({ timeout: 15_000 });

    // Another designer generates with it in their side panel and licenses the image.
    buyer = await launchWithExtension(ready!.chromium, ready!.extensionDir);
    const buyerEmail = newEmail();
    await grant(apiUrl, buyerEmail, 60);
    const buyerPanel = await buyer.openSidePanel();
    await buyerPanel.setViewportSize({ width: 420, height: 1000 });
    await signInThroughPanel(buyerPanel, apiUrl, buyerEmail);
    await buyerPanel.getByTestId('model').selectOption(styleId);
    await buyerPanel.getByTestId('batch').fill('1');
    await buyerPanel.getByTestId('prompt').fill('a harbour in the rain');
    await buyerPanel.getByTestId('generate').click();
    await expect.poll(() => buyerPanel.getByTestId('result-image').count(), { timeout: 60_000 }).toBe(1);
    await buyerPanel.getByTestId('result-image').click();
    await buyerPanel.getByTestId('large-image').waitFor();
    expect(await buyerPanel.getByTestId('policy').textContent()).toBe('Licensable · 20 credits');
    await buyerPanel.getByTestId('license').click();
    await expect.poll(() => buyerPanel.getByTestId('policy').textContent(), { timeout: 15_000 }).toBe('Licensed');

    // The creator's earnings: their share of the license, by Style and by day.
    await studio.goto(studio.url().replace(/#.*$/, '#earnings'));
    const earned = (await (await fetch(`${apiUrl}/v1/earnings`, { headers: { authorization: `Bearer ${await apiSignIn(apiUrl, email)}` } })).json()) as { total: number; by_style: { style_id: string; licenses: number }[] };
    expect(earned.total).toBeGreaterThan(0);
    expect(earned.by_style).toEqual([expect.objectContaining({ style_id: styleId, licenses: 1 })]);
    await expect.poll(() => studio.locator('.earnings-total strong').textContent(), { timeout: 15_000 }).toContain(String(earned.total));
    await studio.getByRole('img', { name: /earn/i }).waitFor({ timeout: 10_000 });
    await studio.screenshot({ path: `${shots}/studio-earnings.png`, fullPage: true });

    // The creator's side panel: the Training tab lists the Style with its status, narrow, light and dark.
    await panel.setViewportSize({ width: 360, height: 900 });
    await panel.getByTestId('tab-generate').click();
    await panel.getByTestId('tab-training').click();
    await panel.getByText(name).first().waitFor({ timeout: 15_000 });
    await panel.screenshot({ path: `${shots}/training-styles-360-light.png`, fullPage: true });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await panel.screenshot({ path: `${shots}/training-styles-360-dark.png`, fullPage: true });

    // The Style's page in the library, light and dark, as a designer judges it.
    await studio.goto(studio.url().replace(/#.*$/, `#library/model/${styleId}`));
    await studio.getByRole('heading', { name }).first().waitFor({ timeout: 15_000 });
    await expect.poll(() => studio.evaluate(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0)), { timeout: 30_000 }).toBe(true);
    await studio.screenshot({ path: `${shots}/studio-style-page-light.png`, fullPage: true });
    await studio.emulateMedia({ colorScheme: 'dark' });
    await studio.screenshot({ path: `${shots}/studio-style-page-dark.png`, fullPage: true });
    await studio.goto(studio.url().replace(/#.*$/, '#library'));
    await studio.getByRole('link', { name }).first().waitFor({ timeout: 15_000 });
    await studio.screenshot({ path: `${shots}/studio-library-dark.png`, fullPage: true });
  });
});
