// npm run bench: figures measured in one run, printed as ratios (these machines are shared
// and noisy, so nothing here is a pass/fail test).
//  1. The Worker's own overhead for POST /v1/generations (auth, quote, one D1 batch, one queue
//     send; the provider excluded: this run has no queue consumer) against a bare Hono route
//     (/health) on the same workerd, p50 and p99 over interleaved requests.
//  2. Uploads per second of 1 MB images (header check, SHA-256, R2 put, D1 insert).
//  (The preview renderer against sharp is test/bench/previews.ts, run after this.)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, freePort, root, startWorker, stopWorker, waitForHealth } from '../../scripts/lib/worker.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const WARMUP = 200;
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 200);
const UPLOAD_CONCURRENCY = 4;

/** The project's wrangler.toml without the queue consumer, so no provider work runs. */
function benchConfig(dir: string): string {
  const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8')
    .replace(/\[\[queues\.consumers\]\][\s\S]*?(?=\n\[|$)/, '')
    .replace(/^main = ".*"$/m, `main = "${join(root, 'edge/index.ts')}"`)
    .replace(/^migrations_dir = ".*"$/m, `migrations_dir = "${join(root, 'migrations')}"`);
  const path = join(dir, 'wrangler.bench.toml');
  writeFileSync(path, toml);
  return path;
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
  applyMigrations(join(scratch, 'state'), config);
  const worker = await startWorker({ port, configPath: config, persistTo: join(scratch, 'state'), vars: { AUTH_SECRET: randomBytes(32).toString('hex') } });
  try {
    await waitForHealth(api, worker);
    const email = 'bench@example.test';
    await fetch(`${api}/v1/auth/email/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
    const outbox = (await (await fetch(`${api}/dev/outbox?to=${email}`)).json()) as { items: { text: string }[] };
    const code = /\b(\d{6})\b/.exec(outbox.items[0]!.text)![1];
    const { access_token } = (await (await fetch(`${api}/v1/auth/email/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, code }) })).json()) as { access_token: string };
    await fetch(`${api}/dev/credits/grant`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, amount: 1_000_000 }) });

    const body = JSON.stringify({ model_id: 'flux-schnell', prompt: 'a lighthouse at dusk', batch: 1, resolution: 'sd', aspect_ratio: '1:1' });
    const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    const bare = () => fetch(`${api}/health`);
    const generation = () => fetch(`${api}/v1/generations`, { method: 'POST', headers: { ...headers, 'idempotency-key': crypto.randomUUID() }, body });
    // For reading the figures: what auth plus a single D1 round trip costs on this machine.
    const oneRead = () => fetch(`${api}/v1/credits`, { headers });

    for (let i = 0; i < WARMUP; i++) {
      await timed(bare);
      await timed(generation);
    }
    const bareTimes: number[] = [];
    const generationTimes: number[] = [];
    const readTimes: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      // Interleaved, so all see the same moment of a noisy machine.
      bareTimes.push(await timed(bare));
      generationTimes.push(await timed(generation));
      readTimes.push(await timed(oneRead));
    }
    for (const t of [bareTimes, generationTimes, readTimes]) t.sort((a, b) => a - b);

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 4, 0, 0, 0, 4, 0, 8, 6, 0, 0, 0]);
    const uploadBody = () => Buffer.concat([png, randomBytes(1024 * 1024 - png.length)]);
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

    const row = (name: string, t: number[]) => `${name.padEnd(28)} p50 ${percentile(t, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(t, 99).toFixed(2).padStart(7)} ms`;
    console.log(`\nPOST /v1/generations against a bare route, ${REQUESTS} interleaved requests each (workerd via wrangler dev, local D1 and Queues; provider excluded)`);
    console.log(row('GET /health (bare route)', bareTimes));
    console.log(row('POST /v1/generations', generationTimes));
    console.log(row('GET /v1/credits (one read)', readTimes));
    console.log(`ratio p50 ${(percentile(generationTimes, 50) / percentile(bareTimes, 50)).toFixed(2)}x (goal ≤ 2x)   ratio p99 ${(percentile(generationTimes, 99) / percentile(bareTimes, 99)).toFixed(2)}x (goal ≤ 3x)`);
    console.log(`\nUploads of 1 MB images, ${UPLOADS} at ${UPLOAD_CONCURRENCY} in flight`);
    console.log(`${(UPLOADS / seconds).toFixed(1)} uploads/s (${(UPLOADS / seconds).toFixed(1)} MB/s)   p50 ${percentile(uploadTimes, 50).toFixed(1)} ms   p99 ${percentile(uploadTimes, 99).toFixed(1)} ms`);
  } finally {
    stopWorker(worker);
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
