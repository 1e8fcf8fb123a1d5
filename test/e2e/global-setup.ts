// Browser tests' world: a Worker on a free loopback port with its own temporary D1, and the
// extension built against it. Without Chromium the run fails under CI and is skipped loudly
// elsewhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations, buildExtension, findChromium, freePort, startHealthyWorker, stopWorker } from '../../scripts/lib/worker.ts';
import { startFixtureSite } from './fixture-site';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { apiUrl: string; extensionDir: string; chromium: string; site: string; otherSite: string } | { skipped: string };
  }
}

export default async function setup(project: TestProject) {
  const chromium = findChromium();
  if (!chromium) {
    const why = 'Chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)';
    if (process.env.CI === 'true') throw new Error(`e2e: ${why}; under CI the browser tests must run.`);
    console.warn(`\n${'!'.repeat(78)}\n!! e2e SKIPPED: ${why}.\n!! The browser tests did not run; bash .ci/run installs Chromium and runs them.\n${'!'.repeat(78)}\n`);
    project.provide('e2e', { skipped: why });
    return;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'exactly-e2e-'));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const extensionDir = buildExtension(apiUrl, { outDir: join(scratch, 'extension'), testHooks: true });
  const site = await startFixtureSite();
  const persistTo = join(scratch, 'state');
  applyMigrations(persistTo);
  // Every browser test signs in and refreshes from 127.0.0.1: the per-network limits would count them all as one attacker.
  const worker = await startHealthyWorker({ port, persistTo, vars: { AUTH_SECRET: `e2e-${crypto.randomUUID()}-${crypto.randomUUID()}`, RATE_LIMIT_SIGN_IN_PER_IP: '100000', RATE_LIMIT_REFRESH_PER_IP: '100000' } });
  project.provide('e2e', { apiUrl, extensionDir, chromium, site: site.origin, otherSite: site.otherOrigin });

  return async () => {
    stopWorker(worker);
    await site.close();
    rmSync(scratch, { recursive: true, force: true });
  };
}
