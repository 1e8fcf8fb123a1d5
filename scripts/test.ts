// npm test: every vitest project (shared, edge in workerd, extension, e2e in Chromium), then
// the totals on a line of their own, read from vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib/worker.ts';

const report = join(root, 'test-results', 'vitest.json');
mkdirSync(join(root, 'test-results'), { recursive: true });

const run = spawnSync(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

let totals = '0 passed, 0 failed';
try {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  const skipped = r.numPendingTests + r.numTodoTests;
  totals = `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
} catch {
  console.error('vitest wrote no JSON report');
}
console.log(`\n${totals}`);
process.exit(run.status ?? 1);
