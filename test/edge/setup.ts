// Every workerd test file starts from the real schema: the same migrations wrangler applies,
// and ends once the work it started inside the Worker has finished.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll } from 'vitest';
import { database } from '../../edge/db/client';
import { generationTasks, imageVariants } from '../../edge/db/schema';
import { openTaskStates } from '../../edge/domain/generations/states';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

/**
 * Offline renders and licensed extras run on in the queue after a test has its answer, and
 * each then publishes to its user's live channel. A Durable Object first met after the file
 * ended is loaded while the test runner closes (an unhandled teardown error), so a file ends
 * when the local work it started is done: no offline call or variant still open.
 */
afterAll(async () => {
  const d = database(env.DB);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const [calls, variants] = await Promise.all([
      d.select({ id: generationTasks.id }).from(generationTasks).where(and(eq(generationTasks.provider, 'offline'), inArray(generationTasks.status, openTaskStates))).limit(1).all(),
      d.select({ id: imageVariants.image_id }).from(imageVariants).where(eq(imageVariants.status, 'queued')).limit(1).all(),
    ]);
    if (!calls.length && !variants.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // What finishing published is on its way to the channels.
  await new Promise((r) => setTimeout(r, 250));
}, 30_000);
