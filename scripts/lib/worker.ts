// Running the Worker locally the way npm start, npm run api and the browser tests all do:
// migrations applied to a local D1, wrangler dev in workerd on loopback, a health wait, and
// the development seed (through the Worker's own routes, so seeding runs the real rules).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's folder: the nearest one up from here with wrangler.toml (this file may run bundled, from elsewhere). */
export const root = (function findRoot(dir: string): string {
  if (existsSync(join(dir, 'wrangler.toml'))) return dir;
  if (dirname(dir) === dir) throw new Error('wrangler.toml not found above this script');
  return findRoot(dirname(dir));
})(dirname(fileURLToPath(import.meta.url)));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

export const DEV_ACCOUNT = { email: 'dev@exactly.local', credits: 1000 };

export interface WorkerOptions {
  port: number;
  /** Another wrangler config (the benchmark's); default wrangler.toml. */
  configPath?: string;
  /** Where local D1 and R2 live; npm start keeps .wrangler/state, tests use a temporary folder. */
  persistTo?: string;
  vars?: Record<string, string>;
  /** Forward wrangler's output, prefixed. */
  log?: (line: string) => void;
}

function persistArgs(persistTo?: string): string[] {
  return persistTo ? ['--persist-to', persistTo] : [];
}

const configArgs = (configPath?: string) => (configPath ? ['--config', configPath] : []);

export function applyMigrations(persistTo?: string, configPath?: string): void {
  const result = spawnSync(bin('wrangler'), ['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(persistTo), ...configArgs(configPath)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' }, // never wait for a confirmation prompt
  });
  if (result.status !== 0) throw new Error(`applying migrations failed:\n${result.stdout}\n${result.stderr}`);
}

/** A loopback port nobody is listening on right now, other than those in `taken`. */
export async function freePort(taken: number[] = []): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
    // A port just handed out and closed may be handed out again before its taker binds it.
    if (!taken.includes(port)) return port;
  }
}

/**
 * Starts wrangler dev. Its debugger gets a free port of its own: the default (9229) is taken
 * whenever another wrangler runs on the machine, and wrangler then refuses to start.
 */
export async function startWorker(options: WorkerOptions): Promise<ChildProcess> {
  const inspectorPort = await freePort([options.port]);
  const vars = Object.entries({ ENVIRONMENT: 'development', ...options.vars }).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    bin('wrangler'),
    ['dev', '--ip', '127.0.0.1', '--port', String(options.port), '--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false', ...configArgs(options.configPath), ...persistArgs(options.persistTo), ...vars],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' },
  );
  const log = options.log;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      if (log) for (const line of chunk.split('\n')) if (line.trim()) log(line);
    });
  }
  return child;
}

/**
 * Starts the Worker and waits until it answers. Wrangler binds several ports of its own as it
 * starts, so a free port picked a moment before can be gone by then ("Address already in
 * use"): that start is retried with new ports for the debugger.
 */
export async function startHealthyWorker(options: WorkerOptions, attempts = 3): Promise<ChildProcess> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  for (let attempt = 1; ; attempt++) {
    const lines: string[] = [];
    const worker = await startWorker({ ...options, log: (line) => (lines.push(line), options.log?.(line)) });
    try {
      await waitForHealth(baseUrl, worker);
      return worker;
    } catch (error) {
      stopWorker(worker);
      const inUse = lines.some((line) => /Address already in use/.test(line));
      if (!inUse || attempt >= attempts) throw new Error(`${(error as Error).message}\n${lines.slice(-30).join('\n')}`);
    }
  }
}

/** Stops wrangler and the workerd it started. */
export function stopWorker(child: ChildProcess): void {
  if (child.exitCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

export async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not answer ${baseUrl}/health within ${timeoutMs / 1000} s`);
}

/** The development account with credits, and the demo creator's Styles; safe to run on every start. */
export async function seedDevelopment(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/dev/credits/grant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'seed-dev-account' },
    body: JSON.stringify({ email: DEV_ACCOUNT.email, amount: DEV_ACCOUNT.credits }),
  });
  if (!response.ok) throw new Error(`seeding the development account failed: ${response.status} ${await response.text()}`);
  const seeded = await fetch(`${baseUrl}/dev/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEV_ACCOUNT.email }) });
  if (!seeded.ok) throw new Error(`seeding the demo Styles failed: ${seeded.status} ${await seeded.text()}`);
  return ((await response.json()) as { balance: number }).balance;
}

export function buildExtension(apiUrl: string, options: { outDir?: string; browser?: 'chrome' | 'firefox'; testHooks?: boolean } = {}): string {
  const args = ['build', ...(options.browser === 'firefox' ? ['-b', 'firefox'] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, WXT_API_URL: apiUrl, WXT_E2E_HOOKS: options.testHooks ? '1' : '0' };
  if (options.outDir) env.WXT_OUT_DIR = options.outDir;
  const result = spawnSync(bin('wxt'), args, { cwd: root, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`building the extension failed:\n${result.stdout}\n${result.stderr}`);
  const dir = join(options.outDir ?? join(root, '.output'), options.browser === 'firefox' ? 'firefox-mv2' : 'chrome-mv3');
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no manifest in ${dir}`);
  return dir;
}

/** Debian's Chromium, or CHROMIUM_PATH. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((path) => existsSync(path)) ?? null;
}
