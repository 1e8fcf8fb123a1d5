// Browser tests' world: a Worker on a free loopback port with its own temporary D1, and the
// extension built against it for Chromium and for Firefox. A browser that is not installed
// fails the run under CI and skips its tests loudly elsewhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations, buildExtension, findChromium, freePort, startHealthyWorker, stopWorker } from '../../scripts/lib/worker.ts';
import { startFixtureSite } from './fixture-site';
import { findFirefox } from './firefox/browser';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { apiUrl: string; extensionDir: string; chromium: string; site: string; otherSite: string } | { skipped: string };
    e2eFirefox: { apiUrl: string; extensionDir: string; firefox: string; site: string } | { skipped: string };
  }
}

/** Under CI a missing browser fails the run; elsewhere its tests are skipped, loudly. */
function missing(name: string, why: string): { skipped: string } {
  if (process.env.CI === 'true') throw new Error(`${name}: ${why}; under CI the browser tests must run.`);
  console.warn(`\n${'!'.repeat(78)}\n!! ${name} SKIPPED: ${why}.\n!! Those browser tests did not run; bash .ci/run installs the browsers and runs them.\n${'!'.repeat(78)}\n`);
  return { skipped: why };
}

export default async function setup(project: TestProject) {
  const chromium = findChromium();
  const firefox = findFirefox();
  const noChromium = chromium ? null : missing('e2e', 'Chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)');
  const noFirefox = firefox ? null : missing('e2e in Firefox', 'Firefox ESR is not installed (apt-get install -y firefox-esr, or set FIREFOX_PATH)');
  if (noChromium && noFirefox) {
    project.provide('e2e', noChromium);
    project.provide('e2eFirefox', noFirefox);
    return;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'exactly-e2e-'));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const extensionDir = chromium ? buildExtension(apiUrl, { outDir: join(scratch, 'extension'), testHooks: true }) : '';
  const firefoxExtensionDir = firefox ? buildExtension(apiUrl, { outDir: join(scratch, 'firefox'), browser: 'firefox', testHooks: true }) : '';
  const site = await startFixtureSite();
  const persistTo = join(scratch, 'state');
  applyMigrations(persistTo);
  // Every browser test signs in and refreshes from 127.0.0.1: the per-network limits would count them all as one attacker.
  // STRIPE_WEBHOOK_SECRET: the development checkout signs the payment it delivers to the webhook with it.
  const worker = await startHealthyWorker({
    port,
    persistTo,
    vars: { AUTH_SECRET: `e2e-${crypto.randomUUID()}-${crypto.randomUUID()}`, STRIPE_WEBHOOK_SECRET: `whsec_${btoa(crypto.randomUUID())}`, RATE_LIMIT_SIGN_IN_PER_IP: '100000', RATE_LIMIT_REFRESH_PER_IP: '100000' },
  });
  project.provide('e2e', noChromium ?? { apiUrl, extensionDir, chromium: chromium!, site: site.origin, otherSite: site.otherOrigin });
  project.provide('e2eFirefox', noFirefox ?? { apiUrl, extensionDir: firefoxExtensionDir, firefox: firefox!, site: site.origin });

  return async () => {
    stopWorker(worker);
    await site.close();
    rmSync(scratch, { recursive: true, force: true });
  };
}
