// /v1/webhooks/fal and /v1/webhooks/replicate: provider reports, read as the raw bytes their
// signature covers and handed to the domain.
import type { Context } from 'hono';
import { falWebhook, replicateWebhook } from '../../../shared/api/routes/webhooks';
import type { ProviderId } from '../../../shared/catalog/types';
import { receiveWebhook } from '../../domain/webhooks';
import type { AppEnv } from '../../env';
import { readBytes } from '../../http/body';
import { router, serve } from '../../http/openapi';
import { providersFor } from '../../providers/registry';

const webhookCap = { bytes: 1024 * 1024, tooLarge: 'This webhook body is too large.' };

export const webhookRoutes = router();

async function receive(c: Context<AppEnv>, id: ProviderId) {
  const raw = new TextDecoder().decode(await readBytes(c, webhookCap));
  const providers = providersFor(c.env);
  const deps = { d1: c.env.DB, queue: c.env.JOBS, provider: providers.get(id), trainer: providers.trainer, origin: c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin };
  return receiveWebhook(deps, id, c.req.raw.headers, raw, new Date());
}

serve(webhookRoutes, falWebhook, async (c) => c.json(await receive(c, 'fal'), 200), { cap: webhookCap });
serve(webhookRoutes, replicateWebhook, async (c) => c.json(await receive(c, 'replicate'), 200), { cap: webhookCap });
