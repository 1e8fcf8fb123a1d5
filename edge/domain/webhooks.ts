// A provider's report about a call or a Style training: verified (signature and freshness),
// matched to the call or training version we recorded, deduplicated by its event id, and
// handed to the jobs queue. A report about a request we have not recorded yet is refused so
// the provider tries again; the cron's polling covers the rest.
import { and, eq } from 'drizzle-orm';
import type { ProviderId } from '../../shared/catalog/types';
import { database } from '../db/client';
import { generationTasks, providerEvents, styleVersions } from '../db/schema';
import { iso } from '../db/time';
import type { JobMessage, SerializableOutcome } from '../jobs/messages';
import type { ImageProvider, StyleTrainer } from '../providers/types';
import { WebhookRejected } from '../providers/types';
import { DomainError, notFound } from './errors';

export interface WebhookDeps {
  d1: D1Database;
  queue: Queue<JobMessage>;
  provider: Pick<ImageProvider, 'verifyWebhook' | 'parseWebhook'> | undefined;
  /** The Style trainer configured here: reports about its trainings are read by it. */
  trainer?: Pick<StyleTrainer, 'id' | 'parseTrainingWebhook'> | null;
  /** This API's public origin (where the provider reached us): the quiz after a training sends its webhooks there too. */
  origin?: string;
}

export async function receiveWebhook(deps: WebhookDeps, id: ProviderId, headers: Headers, raw: string, now: Date): Promise<{ received: true; duplicate?: true }> {
  const { provider } = deps;
  if (!provider?.verifyWebhook || !provider.parseWebhook) throw notFound(`The ${id} webhook`);
  let event;
  try {
    await provider.verifyWebhook(headers, raw, now);
    event = provider.parseWebhook(headers, raw);
  } catch (error) {
    if (error instanceof WebhookRejected || error instanceof SyntaxError) {
      throw new DomainError('unauthorized', `This ${id} webhook was refused: ${error.message}.`);
    }
    throw error;
  }
  const db = database(deps.d1);
  const task = await db
    .select({ id: generationTasks.id })
    .from(generationTasks)
    .where(and(eq(generationTasks.provider, id), eq(generationTasks.request_id, event.requestId)))
    .get();
  if (!task) return receiveTrainingReport(deps, id, headers, raw, event.requestId, now);
  const seen = await db
    .select({ event_id: providerEvents.event_id })
    .from(providerEvents)
    .where(and(eq(providerEvents.provider, id), eq(providerEvents.event_id, event.eventId)))
    .get();
  if (seen) return { received: true, duplicate: true };
  // Queued first, recorded after: if queueing fails the provider's retry is not mistaken for a
  // duplicate. Two copies at once both queue; collecting is idempotent.
  await deps.queue.send({ type: 'collect', task_id: task.id, outcome: event.outcome as SerializableOutcome });
  await db.insert(providerEvents).values({ provider: id, event_id: event.eventId, received_at: iso(now) }).onConflictDoNothing();
  return { received: true };
}

/** A verified report about a Style training: read by the trainer, deduplicated, queued for the version. */
async function receiveTrainingReport(deps: WebhookDeps, id: ProviderId, headers: Headers, raw: string, requestId: string, now: Date): Promise<{ received: true; duplicate?: true }> {
  const db = database(deps.d1);
  const version = await db
    .select({ id: styleVersions.id })
    .from(styleVersions)
    .where(and(eq(styleVersions.provider, id), eq(styleVersions.request_id, requestId)))
    .get();
  const trainer = deps.trainer?.id === id ? deps.trainer : null;
  if (!version || !trainer?.parseTrainingWebhook) throw notFound(`The ${id} request ${requestId}`);
  const report = trainer.parseTrainingWebhook(headers, raw);
  const seen = await db
    .select({ event_id: providerEvents.event_id })
    .from(providerEvents)
    .where(and(eq(providerEvents.provider, id), eq(providerEvents.event_id, report.eventId)))
    .get();
  if (seen) return { received: true, duplicate: true };
  await deps.queue.send({ type: 'train-result', version_id: version.id, outcome: report.outcome, ...(deps.origin ? { origin: deps.origin } : {}) });
  await db.insert(providerEvents).values({ provider: id, event_id: report.eventId, received_at: iso(now) }).onConflictDoNothing();
  return { received: true };
}
