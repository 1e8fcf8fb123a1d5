// npm run bench: figures measured in one run, printed as ratios (these machines are shared
// and noisy, so nothing here is a pass/fail test).
//  1. The Worker's own overhead for POST /v1/generations (auth, quote, one D1 batch, one queue
//     send; the provider excluded: this run has no queue consumer) against a bare Hono route
//     (/health) on the same workerd, p50 and p99 over interleaved requests.
//  2. GET /v1/generations?limit=50 for an account with 50 finished generations and their
//     images (made first by a Worker with the queue consumer, on the same local D1 and R2),
//     against the same bare route, interleaved with the above.
//  3. Uploads per second of 1 MB images (header check, SHA-256, R2 put, D1 insert).
//  4. Live updates (test/bench/live.ts), on the seeding Worker (it runs the queue consumer).
//  (The preview renderer against sharp is test/bench/previews.ts, run after this.)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { applyMigrations, freePort, root, startWorker, stopWorker, waitForHealth } from '../../scripts/lib/worker.ts';
import { measureLive } from './live.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const WARMUP = 200;
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 200);
const UPLOAD_CONCURRENCY = 4;
const LISTED = 50;
/** BENCH_ONLY=generations runs part 1 alone (no seeding Worker, no list, uploads or live channel). */
const ONLY_GENERATIONS = process.env.BENCH_ONLY === 'generations';

/** One user fires thousands of generations and uploads here: the per-user rate limits step aside. */
const UNLIMITED = { RATE_LIMIT_WORK_PER_USER: '100000000', RATE_LIMIT_UPLOADS_PER_USER: '100000000' };

/** The project's wrangler.toml without the queue consumer, so no provider work runs. */
function benchConfig(dir: string): string {
  const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8')
    .replace(/\[\[queues\.consumers\]\][\s\S]*?(?=\n\[|$)/, '')
    .replace(/^main = ".*"$/m, `main = "${join(root, 'edge/index.ts')}"`)
    .replace(/^migrations_dir = ".*"$/m, `migrations_dir = "${join(root, 'migrations')}"`)
    // Paths in the config are relative to it: the static assets' folder too.
    .replace(/^directory = "(.*)"$/m, (_, dir: string) => `directory = "${join(root, dir)}"`);
  const path = join(dir, 'wrangler.bench.toml');
  writeFileSync(path, toml);
  return path;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Signs in through the outbox as a developer does, with credits to spend; returns the access token. */
async function signIn(api: string, email: string, credits: number): Promise<string> {
  await post(`${api}/v1/auth/email/start`, { email });
  const outbox = (await (await fetch(`${api}/dev/outbox?to=${email}`)).json()) as { items: { text: string }[] };
  const code = /\b(\d{6})\b/.exec(outbox.items[0]!.text)![1];
  const { access_token } = (await (await post(`${api}/v1/auth/email/verify`, { email, code })).json()) as { access_token: string };
  await post(`${api}/dev/credits/grant`, { email, amount: credits });
  return access_token;
}

function stopped(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  stopWorker(worker);
  return exited;
}

/**
 * An account whose list has 50 finished generations with images: made by a Worker that runs
 * the queue consumer (the offline renderer), stopped before the measured Worker starts.
 */
async function seedListedGenerations(state: string, secret: string, email: string): Promise<string[]> {
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const worker = await startWorker({ port, persistTo: state, vars: { AUTH_SECRET: secret, ...UNLIMITED } });
  try {
    await waitForHealth(api, worker);
    const headers = { authorization: `Bearer ${await signIn(api, email, 10_000)}` };
    const body = { model_id: 'flux-schnell', prompt: 'a harbour at dawn', batch: 2, resolution: 'sd', aspect_ratio: '1:1' };
    for (let i = 0; i < LISTED; i++) {
      const response = await post(`${api}/v1/generations`, { ...body, prompt: `${body.prompt}, ${i}` }, headers);
      if (response.status !== 202) throw new Error(`seeding a generation failed: ${response.status}`);
    }
    const deadline = Date.now() + 300_000;
    for (;;) {
      const { items } = (await (await fetch(`${api}/v1/generations?limit=${LISTED}`, { headers })).json()) as { items: { status: string; images: unknown[] }[] };
      if (items.length === LISTED && items.every((g) => g.status === 'succeeded' && g.images.length === 2)) break;
      if (Date.now() > deadline) throw new Error('the seeded generations did not finish in 5 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    // Another account, so the listed one keeps exactly its 50 generations.
    const watcher = 'live@example.test';
    return await measureLive(api, watcher, await signIn(api, watcher, 1000));
  } finally {
    await stopped(worker);
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timed(run: () => Promise<Response>): Promise<number> {
  const start = performance.now();
  const response = await run();
  await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (!response.ok) throw new Error(`benchmark request failed: ${response.status}`);
  return elapsed;
}

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), 'exactly-bench-'));
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const config = benchConfig(scratch);
  const state = join(scratch, 'state');
  const secret = randomBytes(32).toString('hex');
  applyMigrations(state, config);
  const lister = 'lister@example.test';
  const live = ONLY_GENERATIONS ? [] : await seedListedGenerations(state, secret, lister);
  const worker = await startWorker({ port, configPath: config, persistTo: state, vars: { AUTH_SECRET: secret, ...UNLIMITED } });
  try {
    await waitForHealth(api, worker);
    const access_token = await signIn(api, 'bench@example.test', 1_000_000);
    const listHeaders: Record<string, string> = ONLY_GENERATIONS ? {} : { authorization: `Bearer ${await signIn(api, lister, 0)}` };

    const body = JSON.stringify({ model_id: 'flux-schnell', prompt: 'a lighthouse at dusk', batch: 1, resolution: 'sd', aspect_ratio: '1:1' });
    const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    const bare = () => fetch(`${api}/health`);
    const generation = () => fetch(`${api}/v1/generations`, { method: 'POST', headers: { ...headers, 'idempotency-key': crypto.randomUUID() }, body });
    // For reading the figures: what auth plus a single D1 round trip costs on this machine.
    const oneRead = () => fetch(`${api}/v1/credits`, { headers });
    const list = () => fetch(`${api}/v1/generations?limit=${LISTED}`, { headers: listHeaders });
    const page = ONLY_GENERATIONS ? { items: [] } : ((await (await list()).json()) as { items: { images: unknown[] }[] });
    const listedImages = page.items.reduce((n, g) => n + g.images.length, 0);

    for (let i = 0; i < WARMUP; i++) {
      await timed(bare);
      await timed(generation);
      if (!ONLY_GENERATIONS) await timed(list);
    }
    const bareTimes: number[] = [];
    const generationTimes: number[] = [];
    const readTimes: number[] = [];
    const listTimes: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      // Interleaved, so all see the same moment of a noisy machine.
      bareTimes.push(await timed(bare));
      generationTimes.push(await timed(generation));
      readTimes.push(await timed(oneRead));
      if (!ONLY_GENERATIONS) listTimes.push(await timed(list));
    }
    for (const t of [bareTimes, generationTimes, readTimes, listTimes]) t.sort((a, b) => a - b);
    const row = (name: string, t: number[]) => `${name.padEnd(32)} p50 ${percentile(t, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(t, 99).toFixed(2).padStart(7)} ms`;
    console.log(`\nPOST /v1/generations against a bare route, ${REQUESTS} interleaved requests each (workerd via wrangler dev, local D1 and Queues; provider excluded)`);
    console.log(row('GET /health (bare route)', bareTimes));
    console.log(row('POST /v1/generations', generationTimes));
    console.log(row('GET /v1/credits (one read)', readTimes));
    console.log(`ratio p50 ${(percentile(generationTimes, 50) / percentile(bareTimes, 50)).toFixed(2)}x (goal ≤ 2x)   ratio p99 ${(percentile(generationTimes, 99) / percentile(bareTimes, 99)).toFixed(2)}x (goal ≤ 3x)`);
    if (ONLY_GENERATIONS) return;

    // Real 1 MB PNGs (uploads are decoded before they are stored), each different (the same
    // bytes from the same user are not stored twice), made before the clock starts.
    const sharp = (await import('sharp')).default;
    const bodies = await Promise.all(
      Array.from({ length: UPLOADS }, () => sharp(randomBytes(512 * 512 * 4), { raw: { width: 512, height: 512, channels: 4 } }).png({ compressionLevel: 0 }).toBuffer()),
    );
    const uploadBody = () => bodies.pop()!;
    const uploadTimes: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
        while (next < UPLOADS) {
          next++;
          const bytes = uploadBody();
          uploadTimes.push(await timed(() => fetch(`${api}/v1/images`, { method: 'POST', headers: { authorization: `Bearer ${access_token}`, 'content-type': 'image/png' }, body: bytes })));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    uploadTimes.sort((a, b) => a - b);

    console.log(`\nGET /v1/generations?limit=${LISTED} (${page.items.length} generations, ${listedImages} images) against the same bare route, interleaved with the above`);
    console.log(row(`GET /v1/generations?limit=${LISTED}`, listTimes));
    console.log(`ratio p50 ${(percentile(listTimes, 50) / percentile(bareTimes, 50)).toFixed(2)}x   ratio p99 ${(percentile(listTimes, 99) / percentile(bareTimes, 99)).toFixed(2)}x`);
    console.log(`\nUploads of 1 MB images, ${UPLOADS} at ${UPLOAD_CONCURRENCY} in flight`);
    console.log(`${(UPLOADS / seconds).toFixed(1)} uploads/s (${(UPLOADS / seconds).toFixed(1)} MB/s)   p50 ${percentile(uploadTimes, 50).toFixed(1)} ms   p99 ${percentile(uploadTimes, 99).toFixed(1)} ms`);
    console.log('\nLive updates: one user\'s channel (a Durable Object) on a Worker running the queue consumer and the offline renderer');
    for (const line of live) console.log(line);
  } finally {
    await stopped(worker);
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
