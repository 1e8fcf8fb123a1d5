// Starting a generation: price it from the catalog, check that every image it uses is the
// caller's own, then write the generation, its provider calls and the credit hold in ONE
// atomic batch (an overdraft or a replayed idempotency key aborts all of it), and queue the
// calls. The request path does no provider work: auth, a quote, one batch, one queue send;
// the batch can carry the request's admission too (its sign-in check and rate counts).
import type { GenerationBody, QuoteBody } from '../../../shared/api/generation';
import { type Model, outputSize } from '../../../shared/catalog';
import { priceGeneration } from '../../../shared/pricing';
import { and, eq, exists, sql } from 'drizzle-orm';
import type { BatchGuard } from '../../db/batch-guard';
import { type BatchItem, database } from '../../db/client';
import { givenRow } from '../../db/insert-select';
import { violatesUnique } from '../../db/constraints';
import { generations, generationTasks, users } from '../../db/schema';
import { newId } from '../../db/ids';
import { iso } from '../../db/time';
import type { JobMessage } from '../../jobs/messages';
import type { Providers } from '../../providers/registry';
import type { Warning } from '../../providers/types';
import { conflict, DomainError } from '../errors';
import { type EventPublisher, publishCredits } from '../events';
import { imagesAsInput, listed } from '../inputs';
import { explainOverdraft, prepareHold } from '../ledger';
import { modelFor } from '../models';
import { ownPins } from '../pins';
import { ownRecipe } from '../recipes';
import type { Generation } from '../../../shared/api/generation';
import { type GenerationParams, type GenerationRow, generationDto, toGenerationDto } from './rows';
import { generationMachine, taskMachine } from './states';

export interface CreateDeps {
  db: D1Database;
  queue: Queue<JobMessage>;
  providers: Providers;
  holdTtlMinutes: number;
  /** The user's live channel: told of the new generation and the credits it holds. */
  events: EventPublisher;
  /** Lets work finish after the response (the queue send: the tasks are already durable). */
  waitUntil(promise: Promise<unknown>): void;
}

export interface CreateInput {
  userId: string;
  body: GenerationBody;
  /** generate, or an edit op. */
  operation?: string;
  /** Edits: the image changed and the mask saying where. */
  sourceImageId?: string;
  maskImageId?: string;
  /** What the caller should know before it runs (an edit handed to the catalog's edit model). */
  warnings?: Warning[];
  /** Edits keep the source's shape; generations take the tier at the aspect ratio. */
  size?: { width: number; height: number };
  idempotencyKey: string;
  requestHash: string;
  webhookBase: string;
  now: Date;
  /**
   * What the request must still pass, checked inside the batch (the sign-in and the rate
   * counts): where it fails, nothing is written and its refusal is thrown.
   */
  guard?: BatchGuard;
}

function priced(model: Model, body: QuoteBody) {
  const result = priceGeneration(model, body);
  if (!result.ok) throw new DomainError(result.code, result.errors.map((e) => e.message).join('. ') + '.', { errors: result.errors });
  return result.price;
}

/**
 * What a generation (or its quote) asks, checked before anything is priced or held: a model
 * the caller may use that makes images from a prompt, the features it has, and a recipe of
 * the caller's own (another user's reads as unknown: its id says nothing). An edit passes
 * its operation: an edit-only model is what it runs on.
 */
export async function checkRequest(db: D1Database, userId: string, body: QuoteBody, operation = 'generate') {
  const model = await modelFor(db, userId, body.model_id);
  if (!model) throw new DomainError('validation_failed', 'That model is not in the catalog.', { errors: [{ path: 'model_id', message: 'Unknown model' }] });
  if (model.edit_only && operation === 'generate') {
    const detail = `${model.name} edits images: choose an image to edit (POST /v1/images/{id}/edits).`;
    throw new DomainError('validation_failed', detail, { errors: [{ path: 'model_id', message: detail }] });
  }
  const price = priced(model, body);
  const recipe = body.recipe_id ? await ownRecipe(db, userId, body.recipe_id) : undefined;
  if (body.recipe_id && !recipe) {
    throw new DomainError('validation_failed', 'That recipe was not found among yours.', { errors: [{ path: 'recipe_id', message: 'No such recipe' }] });
  }
  return { model, price, recipe };
}

/** Every image a generation uses passes the license gate: the caller's own, and free to use. */
async function checkImages(db: D1Database, userId: string, model: Model, input: CreateInput) {
  const refs = input.body.reference_image_ids ?? [];
  await imagesAsInput(db, userId, listed('reference_image_ids', refs));
  const pinIds = input.body.pin_ids ?? [];
  if (pinIds.length) {
    const pins = await ownPins(db, userId, pinIds);
    const byId = new Map(pins.map((p) => [p.id, p]));
    const missing = pinIds.map((id, i) => ({ id, i })).filter(({ id }) => !byId.has(id));
    if (missing.length) {
      throw new DomainError('validation_failed', 'Some pins were not found.', { errors: missing.map(({ i }) => ({ path: `pin_ids.${i}`, message: 'No such pin' })) });
    }
    const unsupported = pins.filter((p) => !model.features.includes(p.kind === 'character' ? 'character_pin' : 'product_pin'));
    if (unsupported.length) {
      throw new DomainError('feature_not_supported', `${model.name} does not take ${unsupported[0]!.kind} pins.`, {
        errors: [{ path: 'pin_ids', message: `${model.name} does not take ${unsupported[0]!.kind} pins` }],
      });
    }
    // A pin's images pass the gate again: the pin may predate it.
    await imagesAsInput(db, userId, pinIds.flatMap((id, i) => byId.get(id)!.image_ids.map((imageId) => ({ path: `pin_ids.${i}`, id: imageId }))));
  }
}

async function byIdempotencyKey(db: D1Database, userId: string, key: string): Promise<GenerationRow | undefined> {
  return database(db)
    .select()
    .from(generations)
    .where(and(eq(generations.user_id, userId), eq(generations.idempotency_key, key)))
    .get();
}

function replayOrConflict(existing: GenerationRow, requestHash: string): GenerationRow {
  if (existing.request_hash !== requestHash) throw conflict('This Idempotency-Key was already used for a different request.');
  return existing;
}

/**
 * Starts a generation and returns its first view. A replayed Idempotency-Key is noticed by the
 * batch itself (the generation's UNIQUE key aborts it before any credit moves), so the
 * common path reads nothing: one batch, one queue send.
 */
export async function createGeneration(deps: CreateDeps, input: CreateInput): Promise<{ generation: Generation; replayed: boolean }> {
  const { db } = deps;
  const { model, price, recipe } = await checkRequest(db, input.userId, input.body, input.operation);
  await checkImages(db, input.userId, model, input);

  const { route } = deps.providers.route(model);
  const tier = model.resolutions.find((r) => r.id === input.body.resolution)!;
  const size = input.size ?? outputSize(tier, input.body.aspect_ratio);
  const operation = input.operation ?? 'generate';
  // An edit runs on the endpoint the catalog names for it.
  const operations = route.options?.operations as Record<string, string> | undefined;
  const endpoint = operations?.[operation] ?? route.endpoint;
  const id = newId('gen');
  const now = iso(input.now);
  const params: GenerationParams = {
    reference_image_ids: input.body.reference_image_ids,
    pin_ids: input.body.pin_ids,
    style_components: input.body.style_components,
    // The recipe's values as they are now: deleting or changing it later leaves this run as asked.
    ...(recipe ? { recipe_id: recipe.id, recipe_components: recipe.components } : {}),
    seed: input.body.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]!,
    webhook_base: input.webhookBase,
    source_image_id: input.sourceImageId,
    mask_image_id: input.maskImageId,
  };

  // A batch larger than the provider's per-call maximum fans out into several calls.
  const tasks: { id: string; first: number; count: number }[] = [];
  for (let first = 0; first < price.batch; first += route.max_images_per_call) {
    tasks.push({ id: newId('task'), first, count: Math.min(route.max_images_per_call, price.batch - first) });
  }

  const { guard } = input;
  const d = database(db);
  // The generation is the one guarded write; its calls and its hold are written only where it was.
  const written = exists(d.select({ one: sql`1` }).from(generations).where(eq(generations.id, id)));
  const held = prepareHold(db, {
    userId: input.userId,
    amount: price.total,
    ref: id,
    idempotencyKey: `generation:${id}`,
    now: input.now,
    ttlMinutes: deps.holdTtlMinutes,
    onlyIf: written,
  });
  const row: GenerationRow = {
    id,
    user_id: input.userId,
    model_id: model.id,
    operation,
    status: generationMachine.initial,
    prompt: input.body.prompt,
    batch: price.batch,
    resolution: tier.id,
    aspect_ratio: input.body.aspect_ratio,
    width: size.width,
    height: size.height,
    params: JSON.stringify(params),
    credits_per_image: price.credits_per_image,
    hold_id: held.id,
    idempotency_key: input.idempotencyKey,
    request_hash: input.requestHash,
    warnings: JSON.stringify(input.warnings ?? []),
    error: null,
    created_at: now,
    updated_at: now,
    completed_at: null,
  };
  const taskRows = tasks.map((t) => ({
    id: t.id,
    generation_id: id,
    provider: route.id,
    endpoint,
    first_index: t.first,
    count: t.count,
    status: taskMachine.initial,
    created_at: now,
    updated_at: now,
  }));
  const work: [BatchItem, ...BatchItem[]] = [
    d
      .insert(generations)
      .select((qb) => qb.select(givenRow(generations, row)).from(users).where(and(eq(users.id, input.userId), guard?.condition)))
      .returning({ id: generations.id }),
    ...taskRows.map((task) => d.insert(generationTasks).select((qb) => qb.select(givenRow(generationTasks, task)).from(generations).where(eq(generations.id, id)))),
    ...held.statements,
  ];
  let results: unknown[];
  try {
    results = await d.batch(guard ? guard.around(work) : work);
  } catch (error) {
    if (!violatesUnique(error, 'generations')) {
      await explainOverdraft(db, error, input.userId, price.total);
      throw error;
    }
    // This key was used before (a retry, or the same request racing in): the first one stands.
    const first = await byIdempotencyKey(db, input.userId, input.idempotencyKey);
    if (!first) throw error;
    return { generation: await toGenerationDto(db, replayOrConflict(first, input.requestHash)), replayed: true };
  }
  // Refused (an ended sign-in, a rate limit): nothing was written, and the refusal is thrown here.
  const [inserted] = guard ? await guard.settle(results) : results;
  if (!(inserted as unknown[]).length) throw new Error(`generation ${id} passed its guard but was not written`);

  const generation = generationDto(row, route.id, { status: 'held', amount: price.total, charged: 0, refunded: 0 }, [], price.batch, model.license);
  // The answer need not wait for the queue: the calls are written and paid for, and the
  // cron re-sends any still pending, so a failed send loses nothing. The live channel hears
  // of the generation before its calls are queued, so its first message comes first.
  deps.waitUntil(
    (async () => {
      await deps.events.publish(input.userId, { type: 'generation.updated', data: generation });
      await deps.queue
        .sendBatch(tasks.map((t) => ({ body: { type: 'submit', task_id: t.id } satisfies JobMessage })))
        .catch((error) => console.error('queueing generation tasks failed; the cron will resend', error));
      // The hold moved what is available.
      await publishCredits(db, deps.events, input.userId);
    })(),
  );
  return { generation, replayed: false };
}
