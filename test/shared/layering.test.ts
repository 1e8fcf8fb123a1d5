// The shape the code keeps: SQL lives only in edge/db/, routes hold no queries.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('where SQL may live', () => {
  it('no prepared SQL statement outside edge/db/', () => {
    const offenders = [...sources('edge'), ...sources('shared'), ...sources('extension'), ...sources('scripts')]
      .filter((path) => !path.startsWith(join('edge', 'db')))
      .filter((path) => /\.prepare\(/.test(readFileSync(join(root, path), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('no SQL text in the routes', () => {
    const offenders = sources(join('edge', 'routes')).filter((path) => /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/.test(readFileSync(join(root, path), 'utf8')));
    expect(offenders.map((p) => relative(root, join(root, p)))).toEqual([]);
  });
});
