// One vitest run, four projects: shared (Node), edge (inside workerd with real D1 and R2),
// extension (WXT's fake browser) and e2e (real Chromium with the built extension).
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'shared', include: ['test/shared/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: here('./wrangler.toml') },
            miniflare: {
              bindings: {
                ENVIRONMENT: 'development',
                AUTH_SECRET: 'test-secret-that-is-long-enough-to-sign-tokens',
                TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
              },
            },
          })),
        ],
        test: {
          name: 'edge',
          include: ['test/edge/**/*.test.ts'],
          setupFiles: ['test/edge/setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        plugins: [WxtVitest()],
        test: { name: 'extension', include: ['test/extension/**/*.test.ts?(x)'], environment: 'happy-dom', sequence: { groupOrder: 2 } },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
