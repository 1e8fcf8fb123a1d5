// /v1/webhooks/fal, /v1/webhooks/replicate and /v1/webhooks/stripe: provider reports, read as
// the raw bytes their signature covers and handed to the domain.
import type { Context } from 'hono';
import { falWebhook, replicateWebhook, stripeWebhook } from '../../../shared/api/routes/webhooks';
import type { ProviderId } from '../../../shared/catalog/types';
import { DomainError } from '../../domain/errors';
import { receivePayment } from '../../domain/purchases';
import { receiveWebhook } from '../../domain/webhooks';
import type { AppEnv } from '../../env';
import { readBytes } from '../../http/body';
import { router, serve } from '../../http/openapi';
import { verifiedReport } from '../../payments/stripe';
import { providersFor } from '../../providers/registry';
import { deliverMailSoon, eventsFor } from '../../services';

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

serve(
  webhookRoutes,
  stripeWebhook,
  async (c) => {
    const secret = c.env.STRIPE_WEBHOOK_SECRET;
    if (!secret) throw new DomainError('service_unavailable', 'Stripe webhooks are not set up on this server yet (STRIPE_WEBHOOK_SECRET is not set).');
    const now = new Date();
    const report = await verifiedReport(await readBytes(c, webhookCap), c.req.header('stripe-signature') ?? null, secret, now);
    const deps = { db: c.env.DB, events: eventsFor(c.env), waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p) };
    const received = await receivePayment(deps, report, now);
    // The receipt (or notice) it wrote goes out now where a mail API is set, not at the next cron.
    deliverMailSoon(c.env, c.executionCtx);
    return c.json(received, 200);
  },
  { cap: webhookCap },
);
