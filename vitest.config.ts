// One vitest run, several projects: shared (Node); edge inside workerd with real D1, R2 and
// Queues, once offline and once per network provider (pointed at local fakes); extension
// (WXT's fake browser); e2e (real Chromium and Firefox ESR with the built extension).
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The webhook signing secret of every workerd project: tests sign their Stripe events with it, from env. */
const STRIPE_TEST_WEBHOOK_SECRET = 'whsec_dGVzdC1zdHJpcGUtd2ViaG9vay1zZWNyZXQtMDEyMzQ1';

/**
 * The stripe package ships source maps whose sources it does not ship: read without them, or
 * Vite warns once for each of its few hundred files in every workerd project.
 */
const stripeWithoutSourceMaps: Plugin = {
  name: 'stripe-without-source-maps',
  enforce: 'pre',
  async load(id) {
    if (!/[\\/]node_modules[\\/]stripe[\\/].*\.js$/.test(id)) return null;
    return (await readFile(id, 'utf8')).replace(/^\/\/# sourceMappingURL=.*$/m, '');
  },
};

/** A project of tests inside workerd, with the Worker's real bindings and these settings. */
function workerd(name: string, include: string[], bindings: Record<string, string>, order: number): TestProjectInlineConfiguration {
  return {
    plugins: [
      stripeWithoutSourceMaps,
      cloudflareTest(async () => ({
        wrangler: { configPath: here('./wrangler.toml') },
        miniflare: {
          bindings: {
            ENVIRONMENT: 'development',
            AUTH_SECRET: 'test-secret-that-is-long-enough-to-sign-tokens',
            PROVIDER_MAX_ATTEMPTS: '3',
            // Every test signs in (and refreshes) from the same local client: the limits' own tests
            // lower these again (test/edge/limits.test.ts).
            RATE_LIMIT_SIGN_IN_PER_IP: '100000',
            RATE_LIMIT_SIGN_IN_GLOBAL: '100000',
            RATE_LIMIT_REFRESH_PER_IP: '100000',
            // Signs the development checkout's events (and a test's own Stripe events); no Stripe key: the local checkout.
            STRIPE_WEBHOOK_SECRET: STRIPE_TEST_WEBHOOK_SECRET,
            TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
            ...bindings,
          },
          // The local Images binding under a name production never reads (IMAGES_API would make
          // it every test's renderer): test/edge/images-binding.test.ts drives it directly.
          images: { binding: 'LOCAL_IMAGES_API' },
        },
      })),
    ],
    test: { name, include, setupFiles: ['test/edge/setup.ts'], maxWorkers: 2, testTimeout: 30_000, sequence: { groupOrder: order } },
  };
}

export default defineConfig({
  test: {
    projects: [
      // Shared runs beside the workerd projects (a group's projects share its workers and must
      // agree on how many), so the Node tests don't hold the whole run up on their own.
      { test: { name: 'shared', include: ['test/shared/**/*.test.ts'], environment: 'node', maxWorkers: 2, sequence: { groupOrder: 1 } } },
      workerd('edge', ['test/edge/**/*.test.ts'], {}, 1),
      workerd('edge-fal', ['test/providers/fal/**/*.test.ts'], {
        FAL_KEY: 'fake-key-id:fake-key-secret',
        FAL_BASE_URL: 'https://queue.fal.fake',
        FAL_JWKS_URL: 'https://queue.fal.fake/.well-known/jwks.json',
        // The fake serves its outputs from its own host, and signs as this account.
        FAL_OUTPUT_HOSTS: 'queue.fal.fake',
        FAL_USER_ID: 'fal-user-1',
      }, 1),
      workerd('edge-replicate', ['test/providers/replicate/**/*.test.ts'], {
        REPLICATE_API_TOKEN: 'r8_fake_token',
        REPLICATE_BASE_URL: 'https://api.replicate.fake/v1',
        REPLICATE_WEBHOOK_SECRET: 'whsec_dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5',
        REPLICATE_OUTPUT_HOSTS: 'api.replicate.fake',
        // The fake's model that trained Styles are pushed to (test/fakes/replicate.ts).
        REPLICATE_TRAINING_DESTINATION: 'studio/styles',
      }, 1),
      // Buying credits through the official stripe SDK, against a local Stripe (test/providers/stripe/support.ts).
      workerd('edge-stripe', ['test/providers/stripe/**/*.test.ts'], { STRIPE_SECRET_KEY: 'sk_test_fake_key', STRIPE_API_BASE: 'https://api.stripe.fake' }, 1),
      // Workers AI is a binding, not a host: test/providers/workers-ai/support.ts binds its fake as `AI`.
      workerd('edge-workers-ai', ['test/providers/workers-ai/**/*.test.ts'], {}, 1),
      // A designer's ComfyUI at this address, reached through a local fake (test/providers/comfyui/support.ts).
      workerd('edge-comfyui', ['test/providers/comfyui/**/*.test.ts'], { COMFYUI_URL: 'http://comfyui.fake:8188' }, 1),
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
