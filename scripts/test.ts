// npm test: every vitest project (shared, edge in workerd, extension, e2e in Chromium and Firefox ESR), then
// the totals on a line of their own, read from vitest's JSON reports.
//
// The browser tests spend most of their time waiting on a browser and a local Worker, one
// file at a time, while the workerd tests keep both cores busy: run as one vitest, each
// waited for the other. So a whole run starts two: the browser tests beside everything else
// (their output is held back and printed when they end, so neither log is interleaved).
// Arguments (a file, a project) run one vitest with them, as before.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib/worker.ts';

const vitest = join(root, 'node_modules', '.bin', 'vitest');
mkdirSync(join(root, 'test-results'), { recursive: true });

interface Run {
  status: number;
  report: string;
}

function run(name: string, args: string[], quiet: boolean): Promise<Run> {
  const report = join(root, 'test-results', `vitest${name ? `-${name}` : ''}.json`);
  const child = spawn(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  const held: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => held.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => held.push(chunk));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      if (held.length) process.stdout.write(Buffer.concat(held));
      resolve({ status: code ?? 1, report });
    });
  });
}

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

function totalsOf(report: string): Totals | null {
  try {
    const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  } catch {
    console.error(`vitest wrote no JSON report at ${report}`);
    return null;
  }
}

const asked = process.argv.slice(2);
const runs = asked.length
  ? [run('', asked, false)]
  : [
      run('', ['--project', 'shared', '--project', 'edge*', '--project', 'extension'], false),
      run('e2e', ['--project', 'e2e'], true),
    ];
const done = await Promise.all(runs);

const totals = done.map((r) => totalsOf(r.report));
const sum = (pick: (t: Totals) => number) => totals.reduce((n, t) => n + (t ? pick(t) : 0), 0);
const skipped = sum((t) => t.skipped);
console.log(`\n${sum((t) => t.passed)} passed, ${sum((t) => t.failed)} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(done.some((r) => r.status !== 0) || totals.some((t) => !t) ? 1 : 0);
