// /v1/webhooks/:provider: provider reports, verified (signature and freshness), deduplicated
// by event id, and handed to the jobs queue. A report about a call we have not recorded yet
// is refused so the provider tries again; the cron's polling covers the rest.
import { Hono } from 'hono';
import type { ProviderId } from '../../../shared/catalog/types';
import { iso } from '../../db/time';
import { DomainError, notFound } from '../../domain/errors';
import type { AppEnv } from '../../env';
import { readBytes } from '../../http/body';
import type { SerializableOutcome } from '../../jobs/messages';
import { providersFor } from '../../providers/registry';
import { WebhookRejected } from '../../providers/types';

const MAX_WEBHOOK_BYTES = 1024 * 1024;

export const webhookRoutes = new Hono<AppEnv>().post('/:provider{fal|replicate}', async (c) => {
  const id = c.req.param('provider') as ProviderId;
  const provider = providersFor(c.env).get(id);
  if (!provider?.verifyWebhook || !provider.parseWebhook) throw notFound(`The ${id} webhook`);
  const raw = new TextDecoder().decode(await readBytes(c, MAX_WEBHOOK_BYTES, 'This webhook body is too large.'));
  const now = new Date();
  let event;
  try {
    await provider.verifyWebhook(c.req.raw.headers, raw, now);
    event = provider.parseWebhook(c.req.raw.headers, raw);
  } catch (error) {
    if (error instanceof WebhookRejected || error instanceof SyntaxError) {
      throw new DomainError('unauthorized', `This ${id} webhook was refused: ${error.message}.`);
    }
    throw error;
  }
  const task = await c.env.DB.prepare('SELECT id FROM generation_tasks WHERE provider = ?1 AND request_id = ?2').bind(id, event.requestId).first<{ id: string }>();
  if (!task) throw notFound(`The ${id} request ${event.requestId}`);
  const seen = await c.env.DB.prepare('SELECT 1 AS seen FROM provider_events WHERE provider = ?1 AND event_id = ?2').bind(id, event.eventId).first();
  if (seen) return c.json({ received: true, duplicate: true });
  // Queued first, recorded after: if queueing fails the provider's retry is not mistaken for a
  // duplicate. Two copies at once both queue; collecting is idempotent.
  await c.env.JOBS.send({ type: 'collect', task_id: task.id, outcome: event.outcome as SerializableOutcome });
  await c.env.DB.prepare('INSERT INTO provider_events (provider, event_id, received_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING').bind(id, event.eventId, iso(now)).run();
  return c.json({ received: true });
});
