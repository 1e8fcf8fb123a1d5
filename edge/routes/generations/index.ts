// /v1/generations: start (Idempotency-Key), read, list, cancel.
import { cancelGeneration, generate, generation, generations } from '../../../shared/api/routes/generations';
import { readConfig } from '../../config';
import { createGeneration } from '../../domain/generations/create';
import { listGenerations, ownGeneration, toGenerationDto } from '../../domain/generations/rows';
import { cancelGeneration as cancel } from '../../domain/generations/run';
import { idempotencyKey, requestHash } from '../../http/idempotency';
import { router, serve } from '../../http/openapi';
import { runDepsFor } from '../../jobs/deps';
import { providersFor } from '../../providers/registry';
import { eventsFor } from '../../services';

export const generationRoutes = router();

serve(generationRoutes, generate, async (c) => {
  const body = c.req.valid('json');
  const { generation } = await createGeneration(
    { db: c.env.DB, queue: c.env.JOBS, providers: providersFor(c.env), holdTtlMinutes: readConfig(c.env).holdTtlMinutes, events: eventsFor(c.env), waitUntil: (p) => c.executionCtx.waitUntil(p) },
    {
      userId: c.get('user').id,
      body,
      idempotencyKey: idempotencyKey(c),
      requestHash: await requestHash({ generate: body }),
      webhookBase: c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin,
      now: new Date(),
      guard: c.get('admission'),
    },
  );
  return c.json(generation, 202);
}, { limits: ['work'], admitInBatch: true });

serve(generationRoutes, generations, async (c) => c.json(await listGenerations(c.env.DB, c.get('user').id, c.req.valid('query')), 200));

serve(generationRoutes, generation, async (c) => {
  const row = await ownGeneration(c.env.DB, c.get('user').id, c.req.valid('param').id);
  return c.json(await toGenerationDto(c.env.DB, row), 200);
});

serve(generationRoutes, cancelGeneration, async (c) => {
  const row = await cancel(runDepsFor(c.env), c.get('user').id, c.req.valid('param').id, new Date());
  return c.json(await toGenerationDto(c.env.DB, row), 200);
});
