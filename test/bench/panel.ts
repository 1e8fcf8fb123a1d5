// npm run bench, part 2: from a provider's webhook to the image in the side panel.
// A local Replicate (the project's fake, behind a loopback HTTP server) runs the generations;
// the Worker runs as npm start runs it (queue consumer included) and is configured for that
// Replicate; the extension is built against the Worker and opened in headless Chromium.
// For each of 20 one-image generations started from the panel, the fake completes the
// prediction and delivers its signed webhook; measured is the time from the webhook's 200 to
// the `load` of the new result's image in the panel (both clocks are this machine's).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { applyMigrations, buildExtension, findChromium, freePort, startHealthyWorker, stopWorker } from '../../scripts/lib/worker.ts';
import { encodePngInBands } from '../../shared/imaging/png-encode.ts';
import { promptComponents } from '../../shared/style/prompt.ts';
import { paintScene } from '../../shared/style/render.ts';
import { launchWithExtension } from '../e2e/browser.ts';
import { createReplicateFake } from '../fakes/replicate.ts';

const RUNS = 20;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Serves a Fetch-API handler on loopback. */
async function serve(port: number, handle: (request: Request) => Promise<Response>): Promise<{ close(): Promise<void> }> {
  const origin = `http://127.0.0.1:${port}`;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const response = await handle(new Request(`${origin}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function signIn(panel: Page, api: string, email: string) {
  await panel.getByTestId('email').fill(email);
  await panel.getByTestId('send-code').click();
  const code = await until(`a code for ${email}`, async () => {
    const outbox = (await (await fetch(`${api}/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as { items: { text: string }[] };
    return /\b(\d{6})\b/.exec(outbox.items[0]?.text ?? '')?.[1];
  });
  await panel.getByTestId('code').fill(code);
  await panel.getByTestId('sign-in').click();
  await panel.getByTestId('balance').waitFor();
}

export async function measureWebhookToPanel(): Promise<string[]> {
  const chromium = findChromium();
  if (!chromium) return ['webhook 200 → image in the panel: not measured, Chromium is not installed (apt-get install -y chromium)'];
  const scratch = mkdtempSync(join(tmpdir(), 'exactly-bench-panel-'));
  let answeredAt = 0;
  const secret = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64')}`;
  const fakePort = await freePort();
  const replicate = createReplicateFake({
    origin: `http://127.0.0.1:${fakePort}`,
    token: 'r8_bench_token',
    secret,
    deliver: async (request) => {
      const response = await fetch(request);
      answeredAt = now();
      return response;
    },
  });
  replicate.behaviour.autoComplete = false;
  // Outputs as providers deliver them (a 1024² PNG of about 1.3 MB), so storing and the thumbnail cost what they do.
  const output = { width: 1024, height: 1024, rgba: paintScene({ width: 1024, height: 1024, seed: 5, components: promptComponents('a lighthouse on a cliff') }) };
  const fullSize = (await encodePngInBands(output)) as Uint8Array<ArrayBuffer>;
  const fake = await serve(fakePort, (request) => replicate.handle(request));

  const port = await freePort([fakePort]);
  const api = `http://127.0.0.1:${port}`;
  const state = join(scratch, 'state');
  applyMigrations(state);
  const worker = await startHealthyWorker({
    port,
    persistTo: state,
    vars: { AUTH_SECRET: crypto.randomUUID() + crypto.randomUUID(), REPLICATE_API_TOKEN: replicate.token, REPLICATE_BASE_URL: `${replicate.origin}/v1`, REPLICATE_WEBHOOK_SECRET: secret },
  });
  const extension = buildExtension(api, { outDir: join(scratch, 'extension') });
  const browser = await launchWithExtension(chromium, extension);
  try {
    const email = 'panel-bench@example.test';
    await fetch(`${api}/dev/credits/grant`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, amount: 1000 }) });
    const panel = await browser.openSidePanel();
    await panel.setViewportSize({ width: 420, height: 1000 });
    await signIn(panel, api, email);
    await panel.getByTestId('model').selectOption('flux-schnell');
    await panel.getByTestId('resolution').selectOption('sd');
    await panel.getByTestId('batch').fill('1');

    /** Webhook 200 → the new result's image loaded in the panel, for RUNS one-image generations. */
    const measure = async (): Promise<number[]> => {
      const latencies: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const before = replicate.predictions.size;
        await panel.getByTestId('prompt').fill(`a lighthouse on a cliff, take ${i + 1}`);
        await panel.getByTestId('generate').click();
        const prediction = await until('the prediction', () => (replicate.predictions.size > before ? [...replicate.predictions.values()].at(-1) : undefined));
        // The panel has shown the run as started; now only the result is to come.
        await until('the running generation in the panel', async () => ((await panel.getByTestId('status').first().textContent())?.startsWith('Generating') ? true : undefined));
        await sleep(100);
        await panel.evaluate(() => {
          const seen = new Set([...document.querySelectorAll('img')].map((i) => i.src));
          (window as any).__shown = new Promise<number>((resolve) => {
            const onLoad = (event: Event) => {
              const image = event.target as HTMLImageElement;
              if (image.tagName !== 'IMG' || image.dataset.testid !== 'result-image' || seen.has(image.src)) return;
              document.removeEventListener('load', onLoad, true);
              resolve(performance.timeOrigin + performance.now());
            };
            document.addEventListener('load', onLoad, true);
          });
        });
        replicate.complete(prediction.id);
        if ((await replicate.pump()) !== 1) throw new Error('the webhook was refused');
        const shownAt = await panel.evaluate(() => (window as any).__shown as Promise<number>);
        latencies.push(shownAt - answeredAt);
      }
      return latencies.sort((a, b) => a - b);
    };
    const row = (what: string, t: number[]) => `  ${what.padEnd(58)} p50 ${percentile(t, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(t, 99).toFixed(1).padStart(6)} ms`;
    const small = await measure();
    replicate.behaviour.output = fullSize;
    const large = await measure();
    return [
      `webhook 200 → image shown in the side panel: Replicate's signed webhook, the queue, the output fetched and stored with its thumbnail, the live channel, the thumbnail loaded in Chromium; ${RUNS} runs each (goal p50 ≤ 150 ms)`,
      row('a 20×20 output (the delivery itself)', small),
      row(`a 1024² PNG output of ${(fullSize.length / 1e6).toFixed(1)} MB (as providers deliver)`, large),
    ];
  } finally {
    await browser.close();
    stopWorker(worker);
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) for (const line of await measureWebhookToPanel()) console.log(line);
