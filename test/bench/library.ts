// npm run bench: the community library with 1,000 published Styles (by 100 creators) against
// the bare route (/health) on the same workerd, interleaved requests, p50 and p99.
// The Styles are written into the same local D1 the measured Worker then serves (wrangler d1
// execute on its persisted state), so the figure is the library's own query over a full
// library: search (name, title, description, creator) and order done inside D1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { applyMigrations, freePort, root, startWorker, stopWorker, waitForHealth } from '../../scripts/lib/worker.ts';
import { promptComponents } from '../../shared/style/prompt.ts';

const STYLES = 1000;
const CREATORS = 100;
const REQUESTS = Number(process.env.BENCH_LIBRARY_REQUESTS ?? 500);
const WARMUP = 50;

const looks = ['harbour at dusk, amber teal', 'pastel paper, coral cream', 'ink wash, black and white', 'neon city, magenta cyan', 'forest light, green gold'];
const words = ['Harbour', 'Paper', 'Ink', 'Neon', 'Forest', 'Quay', 'Lantern', 'Meadow', 'Dune', 'Glacier'];

const quote = (value: string | number | null) => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);
const row = (values: (string | number | null)[]) => `(${values.map(quote).join(', ')})`;

/** 1,000 published Styles with titles, examples, users and publication times, by 100 creators, as one SQL file. */
function librarySql(): string {
  const now = Date.UTC(2026, 10, 1);
  const creators = Array.from({ length: CREATORS }, (_, i) => {
    const n = String(i).padStart(3, '0');
    return { id: `usr_bench${n}`, email: `creator${n}@example.test`, handle: `creator_${n}`, name: `Creator ${n}` };
  });
  const users = creators.map((c) => row([c.id, c.email, c.handle, c.name, 'user', new Date(now).toISOString()]));
  const components = looks.map((look) => JSON.stringify(promptComponents(look)));
  const styles = Array.from({ length: STYLES }, (_, i) => {
    const word = words[i % words.length]!;
    const at = new Date(now + i * 60_000).toISOString();
    const id = `sty_bench${String(i).padStart(4, '0')}`;
    const examples = JSON.stringify([`img_bench${i}a`, `img_bench${i}b`, `img_bench${i}c`]);
    return row([
      id,
      creators[i % CREATORS]!.id,
      `${word} study ${i}`,
      `${looks[i % looks.length]}, number ${i} of the library`,
      'public',
      'published',
      i % 3 === 0 ? 1 : 0,
      components[i % components.length]!,
      `${word} ${i}`,
      `img_bench${i}t`,
      examples,
      'own_work',
      at,
      at,
      (i * 7919) % 500,
      at,
      at,
    ]);
  });
  // Statements of 25 rows: D1 refuses one statement over 100 KB.
  const chunks = Array.from({ length: Math.ceil(STYLES / 25) }, (_, i) => styles.slice(i * 25, i * 25 + 25));
  return [
    `INSERT INTO users (id, email, handle, display_name, role, created_at) VALUES ${users.join(',\n')};`,
    ...chunks.map(
      (chunk) =>
        `INSERT INTO styles (id, owner_id, name, description, visibility, status, verified, components, title, title_image_id, example_image_ids, copyright_status, submitted_at, published_at, distinct_users, created_at, updated_at) VALUES ${chunk.join(',\n')};`,
    ),
  ].join('\n');
}

function seedLibrary(state: string, dir: string): void {
  const file = join(dir, 'library.sql');
  writeFileSync(file, librarySql());
  const result = spawnSync(join(root, 'node_modules', '.bin', 'wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (result.status !== 0) throw new Error(`seeding the library failed:\n${result.stdout}\n${result.stderr}`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timed(url: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (!response.ok) throw new Error(`benchmark request ${url} failed: ${response.status}`);
  return elapsed;
}

function stopped(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  stopWorker(worker);
  return exited;
}

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), 'exactly-bench-library-'));
  const state = join(scratch, 'state');
  applyMigrations(state);
  seedLibrary(state, scratch);
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const worker = await startWorker({ port, persistTo: state });
  try {
    await waitForHealth(api, worker);
    const queries = {
      'q=harbour&sort=popular': `${api}/v1/models?kind=artist&q=harbour&sort=popular`,
      'q=creator_042&sort=new': `${api}/v1/models?kind=artist&q=creator_042&sort=new`,
      'sort=popular (first 50)': `${api}/v1/models?kind=artist&sort=popular&limit=50`,
    };
    const bare = `${api}/health`;
    const counts = Object.fromEntries(
      await Promise.all(Object.entries(queries).map(async ([name, url]) => [name, ((await (await fetch(url)).json()) as { items: unknown[] }).items.length])),
    ) as Record<string, number>;
    for (let i = 0; i < WARMUP; i++) {
      await timed(bare);
      for (const url of Object.values(queries)) await timed(url);
    }
    const times: Record<string, number[]> = { bare: [], ...Object.fromEntries(Object.keys(queries).map((k) => [k, []])) };
    for (let i = 0; i < REQUESTS; i++) {
      // Interleaved, so all see the same moment of a noisy machine.
      times.bare!.push(await timed(bare));
      for (const [name, url] of Object.entries(queries)) times[name]!.push(await timed(url));
    }
    for (const t of Object.values(times)) t.sort((a, b) => a - b);
    const line = (name: string, t: number[]) => `${name.padEnd(44)} p50 ${percentile(t, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(t, 99).toFixed(2).padStart(7)} ms`;
    console.log(`\nGET /v1/models?kind=artist (the library, ${STYLES} published Styles by ${CREATORS} creators) against a bare route, ${REQUESTS} interleaved requests each`);
    console.log(line('GET /health (bare route)', times.bare!));
    for (const name of Object.keys(queries)) {
      const t = times[name]!;
      console.log(line(`${name} → ${counts[name]} Styles`, t));
      console.log(`${''.padEnd(44)} ratio p50 ${(percentile(t, 50) / percentile(times.bare!, 50)).toFixed(2)}x   ratio p99 ${(percentile(t, 99) / percentile(times.bare!, 99)).toFixed(2)}x`);
    }
  } finally {
    await stopped(worker);
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
