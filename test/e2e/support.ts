// Signing in through the real side panel, with the code from the local outbox.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ExtensionBrowser } from './browser';

async function outbox(apiUrl: string, email: string): Promise<{ text: string }[]> {
  return ((await (await fetch(`${apiUrl}/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as { items: { text: string }[] }).items;
}

/** The code in the newest mail to `email`, once there are more than `after` mails (newest first). */
export async function latestCode(apiUrl: string, email: string, after = 0): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const items = await outbox(apiUrl, email);
    const code = items.length > after ? /\b(\d{6})\b/.exec(items[0]?.text ?? '')?.[1] : undefined;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no code mailed to ${email}`);
}

export async function grant(apiUrl: string, email: string, amount: number) {
  const response = await fetch(`${apiUrl}/dev/credits/grant`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, amount }) });
  expect(response.status).toBe(200);
}

export const newEmail = () => `e2e-${crypto.randomUUID().slice(0, 8)}@example.test`;

export async function signInThroughPanel(panel: Page, apiUrl: string, email: string) {
  await panel.getByTestId('email').fill(email);
  // Mails already there (an earlier sign-in's) are not the one this click sends.
  const before = (await outbox(apiUrl, email)).length;
  await panel.getByTestId('send-code').click();
  await panel.getByTestId('code').fill(await latestCode(apiUrl, email, before));
  await panel.getByTestId('sign-in').click();
  await panel.getByTestId('balance').waitFor();
}

/** A new designer granted `credits`, signed in on a side panel of the given size. */
export async function newDesignerPanel(browser: ExtensionBrowser, apiUrl: string, credits: number, size: { width: number; height: number }): Promise<{ panel: Page; email: string }> {
  const email = newEmail();
  await grant(apiUrl, email, credits);
  const panel = await browser.openSidePanel();
  await panel.setViewportSize(size);
  await signInThroughPanel(panel, apiUrl, email);
  return { panel, email };
}
