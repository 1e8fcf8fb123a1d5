// /v1/images/:id/edits: instruct, replace, recreate or erase an image the caller owns, as a
// generation-shaped job priced from the catalog.
import { edit } from '../../../shared/api/routes/generations';
import { readConfig } from '../../config';
import { startEdit } from '../../domain/edits';
import { idempotencyKey, requestHash } from '../../http/idempotency';
import { router, serve } from '../../http/openapi';
import { providersFor } from '../../providers/registry';
import { eventsFor } from '../../services';

export const editRoutes = router();

serve(editRoutes, edit, async (c) => {
  const body = c.req.valid('json');
  const imageId = c.req.valid('param').id;
  const deps = { db: c.env.DB, queue: c.env.JOBS, providers: providersFor(c.env), holdTtlMinutes: readConfig(c.env).holdTtlMinutes, events: eventsFor(c.env), waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p) };
  const generation = await startEdit(deps, {
    userId: c.get('user').id,
    imageId,
    body,
    idempotencyKey: idempotencyKey(c),
    requestHash: await requestHash({ edit: imageId, ...body }),
    webhookBase: c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin,
    now: new Date(),
  });
  return c.json(generation, 202);
}, { limits: ['work'] });
