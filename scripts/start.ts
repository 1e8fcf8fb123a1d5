// npm start: the whole product locally with no key and no network. Applies migrations to the
// local D1, starts the Worker on 127.0.0.1 (PORT, default 8787) in development mode, seeds
// the development account, builds the extension against it and opens Chromium with it when
// a display exists. `npm run api` (--api-only) stops after the seed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyMigrations,
  buildExtension,
  DEV_ACCOUNT,
  findChromium,
  root,
  seedDevelopment,
  startWorker,
  stopWorker,
  waitForHealth,
} from './lib/worker.ts';

const apiOnly = process.argv.includes('--api-only');
const port = Number(process.env.PORT ?? 8787);
const baseUrl = `http://127.0.0.1:${port}`;
const say = (line: string) => console.log(`\x1b[35m[exactly]\x1b[0m ${line}`);

/**
 * Local secrets in .dev.vars (git-ignored), each made once so they survive restarts: AUTH_SECRET
 * (sign-ins) and STRIPE_WEBHOOK_SECRET (the development checkout signs its events with it, as
 * the Stripe CLI signs test events).
 */
function ensureDevVars(): void {
  const path = join(root, '.dev.vars');
  const wanted = [
    { name: 'AUTH_SECRET', present: /^AUTH_SECRET=.{32,}$/m, value: () => randomBytes(32).toString('hex') },
    { name: 'STRIPE_WEBHOOK_SECRET', present: /^STRIPE_WEBHOOK_SECRET=whsec_\S+$/m, value: () => `whsec_${randomBytes(32).toString('base64')}` },
  ];
  for (const secret of wanted) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (secret.present.test(current)) continue;
    writeFileSync(path, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${secret.name}=${secret.value()}\n`);
    say(`wrote a local ${secret.name} to .dev.vars`);
  }
}

ensureDevVars();
say('applying migrations to the local D1…');
applyMigrations();

say(`starting the Worker on ${baseUrl} (workerd, local D1 and R2)…`);
const worker = await startWorker({ port, log: (line) => console.log(`\x1b[2m[worker]\x1b[0m ${line}`) });
const stop = () => {
  stopWorker(worker);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
worker.on('exit', (code) => {
  say(`the Worker stopped (exit ${code}).`);
  process.exit(code ?? 1);
});

try {
  await waitForHealth(baseUrl, worker);
  const balance = await seedDevelopment(baseUrl);
  const models = ((await (await fetch(`${baseUrl}/v1/models`)).json()) as { items: unknown[] }).items.length;
  say(`API ready: ${baseUrl}  (catalog: ${models} models; development account ${DEV_ACCOUNT.email} with ${balance} credits)`);
  say(`sign-in codes are not mailed locally: read them at ${baseUrl}/dev/outbox`);

  if (!apiOnly) {
    say('building the extension (chrome-mv3) against the local API…');
    const dir = buildExtension(baseUrl);
    const chromium = findChromium();
    if (chromium && process.env.DISPLAY) {
      say(`opening Chromium with the extension from ${dir}`);
      const browser = spawn(
        chromium,
        [`--user-data-dir=${join(root, '.wrangler', 'chromium-profile')}`, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, '--no-first-run', 'about:blank'],
        { stdio: 'ignore', detached: true },
      );
      browser.unref();
    } else {
      say(`extension built at ${dir}`);
      say('to load it: open chrome://extensions, turn on Developer mode, choose "Load unpacked" and pick that folder;');
      say('then click the Exactly button in the toolbar to open the side panel.');
      if (!process.env.DISPLAY) say('(no display here, so no browser was opened)');
    }
  }
  say('press Ctrl-C to stop.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  stopWorker(worker);
  process.exit(1);
}
