// Validating a 50-image training set through the real route (POST /v1/training-sets/:id/images:
// the set and the image read from D1, the license gate, the original read from R2 and decoded
// at reduced size, its perceptual hash, the duplicate checks before and after the insert)
// against the bare route (GET /health) on the same workerd, interleaved, as a ratio. The images
// are 50 painted 1024² pictures, each a different one. Part of npm run bench.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { applyMigrations, freePort, startHealthyWorker, stopWorker } from '../../scripts/lib/worker';
import { promptComponents } from '../../shared/style/prompt';
import { paintScene, seededRandom } from '../../shared/style/render';
import { hashDistance, MAX_TRAINING_IMAGES, NEAR_DUPLICATE_BITS, perceptualHash } from '../../shared/styles/training-set';

const SIDE = 1024;
/** Sets filled one after another, each with the same 50 images (an image joins a set once). */
const ROUNDS = Number(process.env.BENCH_TRAINING_ROUNDS ?? 2);
/** Adds to a throwaway set first, not counted: the first decodes compile the WASM renderer. */
const WARMUP = 5;
const subjects = ['a harbour at dusk', 'a forest in fog', 'a neon street at night', 'a desert at noon', 'a lighthouse on a cliff', 'a kitchen table', 'mountains in snow', 'a market square', 'a river bend', 'a greenhouse'];
const moods = ['warm cinematic', 'cold blue', 'magenta pastel', 'high contrast', 'soft film'];

/**
 * A 1024² picture of four painted scenes, each turned or mirrored its own way. One painted scene
 * alone will not do: the offline painter keeps its composition (sky, horizon, land), so its
 * scenes are only about 14 bits apart by hash and many are near-duplicates of each other.
 */
function picture(seed: number): Uint8Array {
  const random = seededRandom(seed);
  const half = SIDE / 2;
  const rgba = new Uint8Array(SIDE * SIDE * 4);
  for (let quarter = 0; quarter < 4; quarter++) {
    const prompt = `${subjects[Math.floor(random() * subjects.length)]}, ${moods[Math.floor(random() * moods.length)]}`;
    const tile = paintScene({ width: half, height: half, seed: seed * 4 + quarter, components: promptComponents(prompt) });
    const turn = Math.floor(random() * 8);
    const [left, top] = [(quarter % 2) * half, Math.floor(quarter / 2) * half];
    for (let y = 0; y < half; y++) {
      for (let x = 0; x < half; x++) {
        let [sx, sy] = [turn & 1 ? half - 1 - x : x, turn & 2 ? half - 1 - y : y];
        if (turn & 4) [sx, sy] = [sy, sx];
        rgba.set(tile.subarray((sy * half + sx) * 4, (sy * half + sx) * 4 + 4), ((top + y) * SIDE + left + x) * 4);
      }
    }
  }
  return rgba;
}

/** 50 different pictures: one is kept only if its hash is clear of every one kept before (with a margin). */
async function pictures(): Promise<Buffer[]> {
  const kept: { hash: string; png: Buffer }[] = [];
  for (let seed = 1; kept.length < MAX_TRAINING_IMAGES; seed++) {
    if (seed > 500) throw new Error('could not paint 50 different pictures');
    const rgba = picture(seed);
    const hash = perceptualHash({ width: SIDE, height: SIDE, rgba });
    if (kept.some((k) => hashDistance(k.hash, hash) <= NEAR_DUPLICATE_BITS + 2)) continue;
    kept.push({ hash, png: await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width: SIDE, height: SIDE, channels: 4 } }).png().toBuffer() });
  }
  return kept.map((k) => k.png);
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function signIn(api: string, email: string): Promise<string> {
  await post(`${api}/v1/auth/email/start`, { email });
  const outbox = (await (await fetch(`${api}/dev/outbox?to=${email}`)).json()) as { items: { text: string }[] };
  const code = /\b(\d{6})\b/.exec(outbox.items[0]!.text)![1];
  return ((await (await post(`${api}/v1/auth/email/verify`, { email, code })).json()) as { access_token: string }).access_token;
}

async function timed(run: () => Promise<Response>, expected: number): Promise<number> {
  const start = performance.now();
  const response = await run();
  const body = await response.text();
  const elapsed = performance.now() - start;
  if (response.status !== expected) throw new Error(`benchmark request answered ${response.status}, not ${expected}: ${body}`);
  return elapsed;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

async function stopped(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  stopWorker(worker);
  await exited;
}

async function measure(state: string, started: number) {
  applyMigrations(state);
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const vars = { AUTH_SECRET: randomBytes(32).toString('hex'), RATE_LIMIT_UPLOADS_PER_USER: '100000000' };
  // The Worker starts while the pictures are painted.
  const starting = startHealthyWorker({ port, persistTo: state, vars });
  const pngs = await pictures().catch(async (error: unknown) => {
    await stopped(await starting);
    throw error;
  });
  const worker = await starting;
  try {
    const auth = { authorization: `Bearer ${await signIn(api, 'sets@example.test')}` };
    const ids: string[] = [];
    for (const png of pngs) {
      const response = await fetch(`${api}/v1/images`, { method: 'POST', headers: { ...auth, 'content-type': 'image/png' }, body: new Uint8Array(png) });
      if (response.status !== 201) throw new Error(`uploading failed: ${response.status} ${await response.text()}`);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const megabytes = pngs.reduce((n, png) => n + png.length, 0) / 1e6;

    const bare = () => fetch(`${api}/health`);
    const bareTimes: number[] = [];
    const addTimes: number[] = [];
    const readTimes: number[] = [];
    const setTotals: number[] = [];
    const warmup = (await (await post(`${api}/v1/training-sets`, { name: 'Warm-up' }, auth)).json()) as { id: string };
    for (const id of ids.slice(0, WARMUP)) await timed(() => post(`${api}/v1/training-sets/${warmup.id}/images`, { image_id: id }, auth), 201);
    for (let round = 0; round < ROUNDS; round++) {
      const set = (await (await post(`${api}/v1/training-sets`, { name: `Bench ${round}` }, auth)).json()) as { id: string };
      let total = 0;
      for (const [i, id] of ids.entries()) {
        // Interleaved, so all three meet the same moment of a shared machine.
        bareTimes.push(await timed(bare, 200));
        const added = await timed(() => post(`${api}/v1/training-sets/${set.id}/images`, { image_id: id, description: `study ${i}` }, auth), 201);
        readTimes.push(await timed(() => fetch(`${api}/v1/training-sets/${set.id}`, { headers: auth }), 200));
        addTimes.push(added);
        total += added;
      }
      const full = (await (await fetch(`${api}/v1/training-sets/${set.id}`, { headers: auth })).json()) as { ready: boolean; images: unknown[] };
      if (!full.ready || full.images.length !== MAX_TRAINING_IMAGES) throw new Error(`the set did not fill: ${JSON.stringify(full).slice(0, 300)}`);
      setTotals.push(total);
    }
    for (const t of [bareTimes, addTimes, readTimes]) t.sort((a, b) => a - b);
    const row = (name: string, t: number[]) => `${name.padEnd(44)} p50 ${percentile(t, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(t, 99).toFixed(2).padStart(7)} ms`;
    console.log(`\nValidating a ${MAX_TRAINING_IMAGES}-image training set (${SIDE}² PNGs, ${megabytes.toFixed(0)} MB in all), ${ROUNDS} sets of ${ids.length} adds, interleaved with the bare route (workerd via wrangler dev, local D1 and R2)`);
    console.log(row('GET /health (bare route)', bareTimes));
    console.log(row('POST /v1/training-sets/:id/images (one add)', addTimes));
    console.log(row('GET /v1/training-sets/:id (1 to 50 images)', readTimes));
    console.log(`ratio one add: p50 ${(percentile(addTimes, 50) / percentile(bareTimes, 50)).toFixed(1)}x   p99 ${(percentile(addTimes, 99) / percentile(bareTimes, 99)).toFixed(1)}x`);
    console.log(`ratio reading the set: p50 ${(percentile(readTimes, 50) / percentile(bareTimes, 50)).toFixed(1)}x   p99 ${(percentile(readTimes, 99) / percentile(bareTimes, 99)).toFixed(1)}x`);
    console.log(`the whole set of ${ids.length}, one add after another: median ${(median(setTotals) / 1000).toFixed(2)} s (${(median(setTotals) / percentile(bareTimes, 50) / ids.length).toFixed(1)}x the bare route per image); bench ran ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await stopped(worker);
  }
}

async function main() {
  const started = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'exactly-bench-sets-'));
  try {
    await measure(join(scratch, 'state'), started);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
