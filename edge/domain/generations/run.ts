// Running a generation's provider calls to the end: submit each call, collect what it
// delivered into R2, and when every call has ended, settle the hold exactly:
// charged = credits per image × images delivered, the rest refunded. Every step is a guarded
// transition (`WHERE status IN (…)`), so a duplicate or late report changes nothing.
import { readImageHeader } from '../../../shared/imaging/header';
import { MAX_UPLOAD_BYTES } from '../../../shared/imaging/limits';
import { and, count, eq, getTableColumns, gt, inArray, lt, lte, notExists, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { database } from '../../db/client';
import { newId } from '../../db/ids';
import { generations, generationTasks, images } from '../../db/schema';
import { iso } from '../../db/time';
import type { ImageRenderer } from '../../imaging/renderer';
import type { JobMessage, SerializableOutcome } from '../../jobs/messages';
import { UnconfirmedCreate } from '../../providers/http';
import { fetchOutput } from '../../providers/outputs';
import type { Providers } from '../../providers/registry';
import { yieldToRequests } from '../../scheduling';
import { type GenerateCall, type ProviderFile, type ProviderOutcome, ProviderError, type Warning } from '../../providers/types';
import { sha256Hex } from '../auth/secrets';
import { DomainError } from '../errors';
import { type EventPublisher, publishCredits, publishGeneration } from '../events';
import { imageFiles, type ImageRow, renderRendition, renditionBytes, renditionKey } from '../images';
import { type ImageInput, imagesAsInput, listed } from '../inputs';
import { imagePolicyOf } from '../licenses';
import { settle } from '../ledger';
import { quizVersionOf, sampleEnded } from '../styles/quiz';
import { modelOfImage } from '../models';
import { ownPins } from '../pins';
import { recordStyleUsage } from '../styles/verification';
import { schedulePoll } from './poll';
import type { InputLinker } from '../provider-inputs';
import { type GenerationParams, type GenerationRow, generationById, ownGeneration, type TaskRow, taskById, tasksOf } from './rows';
import { isOpenGeneration, isOpenTask, moveGeneration, moveTask, moveTasks, openGenerationStates, openTaskStates } from './states';

export interface RunDeps {
  db: D1Database;
  bucket: R2Bucket;
  queue: Queue<JobMessage>;
  providers: Providers;
  renderer: ImageRenderer;
  /** Keys each locked image's own watermark (edge/domain/watermark.ts). */
  watermarkSecret: string;
  /** Signs the short-lived links providers fetch a call's inputs by (edge/domain/provider-inputs.ts). */
  inputLinks: InputLinker;
  maxAttempts: number;
  /** The user's live channel, told of each change once it committed. */
  events: EventPublisher;
  fetch?: typeof fetch;
  /** Development only: a provider on this machine (a local fake) may serve outputs from loopback, over plain http too. */
  loopbackOutputs?: boolean;
  /** Creates each provider may have running at once (submitted, or on their way there); unset: no limit of ours. */
  concurrency?: Partial<Record<string, number>>;
  /** How long a call may wait for room at its provider (throttled, or at our limit) before it is refunded; default 30. */
  maxWaitMinutes?: number;
}

/** How soon a call held back by our own concurrency limit looks for room again. */
const ROOM_CHECK_SECONDS = 15;
/** A create still marked as on its way after this long never got its answer recorded (the Worker stopped mid-call). */
const SENDING_LOST_SECONDS = 120;

/** Thrown to have the queue try a message again later. */
export class RetryLater extends Error {
  constructor(readonly delaySeconds: number, reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

async function appendWarnings(db: D1Database, generationId: string, warnings: Warning[]) {
  if (!warnings.length) return;
  const row = await generationById(db, generationId);
  if (!row) return;
  const current = JSON.parse(row.warnings) as Warning[];
  const merged = [...current, ...warnings.filter((w) => !current.some((c) => c.setting === w.setting && c.details === w.details))];
  await database(db).update(generations).set({ warnings: JSON.stringify(merged) }).where(eq(generations.id, generationId)).run();
}

/**
 * The images a call sends along: references and pins (as previews), or the image to edit and
 * its mask. They pass the license gate again here: what leaves for a provider is never locked.
 * Each carries a short-lived link to its preview in R2, so a provider that fetches its inputs
 * is never sent the bytes inline; the link is made here, after the gate, for this call only.
 */
export async function inputFiles(deps: RunDeps, generation: GenerationRow, params: GenerationParams): Promise<{ files: ProviderFile[]; mask?: ProviderFile }> {
  const now = new Date();
  // Previews (JPEG, longest side 1024): enough for a reference, far smaller than originals.
  // renditionBytes keeps the preview in R2, unmarked (a gated input is free to leave), so the
  // link serves exactly these bytes.
  const asFile = async (image: ImageRow): Promise<ProviderFile> => {
    const bytes = await renditionBytes(deps.bucket, deps.renderer, image, 'preview');
    const url = params.webhook_base ? await deps.inputLinks(params.webhook_base, renditionKey(image, 'preview', false), now) : undefined;
    return { bytes, contentType: 'image/jpeg', ...(url ? { url } : {}) };
  };
  const pins = await ownPins(deps.db, generation.user_id, params.pin_ids ?? []);
  const inputs: ImageInput[] = [
    ...(params.source_image_id ? [{ path: 'id', id: params.source_image_id }] : []),
    ...listed('reference_image_ids', params.reference_image_ids ?? []),
    ...pins.flatMap((pin, i) => pin.image_ids.map((id) => ({ path: `pin_ids.${i}`, id }))),
  ];
  const files: ProviderFile[] = [];
  for (const image of await imagesAsInput(deps.db, generation.user_id, inputs)) files.push(await asFile(image));
  const maskImage = params.mask_image_id ? (await imagesAsInput(deps.db, generation.user_id, [{ path: 'mask_image_id', id: params.mask_image_id }]))[0] : undefined;
  return { files, mask: maskImage ? await asFile(maskImage) : undefined };
}

async function callFor(db: D1Database, generation: GenerationRow, task: TaskRow, params: GenerationParams, inputs: { files: ProviderFile[]; mask?: ProviderFile }): Promise<GenerateCall> {
  const model = await modelOfImage(db, generation.model_id);
  // One route per provider in a model; an edit's endpoint may differ from the route's default.
  const route = model?.providers.find((r) => r.id === task.provider);
  const weights = (params.reference_image_ids ?? []).map((id) => params.style_components?.[id]);
  // A trained Style paints with its weights, called up by its trigger word (shared/catalog/styles.ts).
  const loras = route?.options?.loras as GenerateCall['loras'];
  const trigger = route?.options?.trigger_word;
  return {
    endpoint: task.endpoint,
    prompt: typeof trigger === 'string' ? `${trigger}, ${generation.prompt}` : generation.prompt,
    ...(loras ? { loras } : {}),
    n: task.count,
    size: { width: generation.width, height: generation.height },
    aspectRatio: generation.aspect_ratio,
    seed: (params.seed + task.first_index) >>> 0,
    files: inputs.files,
    mask: inputs.mask,
    providerOptions: {
      ...route?.options,
      operation: generation.operation,
      reference_weights: weights,
      // Agentic: the recipe's components as they were when the generation started.
      ...(params.recipe_components ? { recipe: params.recipe_components } : {}),
    },
  };
}

async function failTask(deps: RunDeps, task: TaskRow, reason: string, now: Date) {
  await moveTask(deps.db, task.id, 'failed', { error: reason, updated_at: iso(now) });
  await finishGeneration(deps, task.generation_id, now);
}

/**
 * Creates at this provider that count against its concurrency limit: submitted (running
 * there), or on their way (claimed moments ago). A claim left behind by a stopped Worker stops
 * counting after a while, so a lost slot comes back.
 */
function busyAt(db: D1Database, provider: string, now: Date) {
  const busy = alias(generationTasks, 'busy');
  const since = iso(new Date(now.getTime() - SENDING_LOST_SECONDS * 1000));
  return database(db)
    .select({ n: count() })
    .from(busy)
    .where(and(eq(busy.provider, provider), or(eq(busy.status, 'submitted'), and(eq(busy.status, 'pending'), gt(busy.sending_since, since)))));
}

/**
 * A call that waits for room at its provider (a 429, or our own limit): nothing was sent, so
 * the attempt is given back; after `maxWaitMinutes` since the generation asked, it is refunded.
 */
async function waitForRoom(deps: RunDeps, task: TaskRow, now: Date, seconds: number, reason: string, attempts: number | null): Promise<void> {
  if (attempts !== null) {
    await database(deps.db)
      .update(generationTasks)
      .set({ attempts, sending_since: null })
      .where(and(eq(generationTasks.id, task.id), eq(generationTasks.status, 'pending'), eq(generationTasks.attempts, attempts + 1)))
      .run();
  }
  const waited = (now.getTime() - Date.parse(task.created_at)) / 60_000;
  const limit = deps.maxWaitMinutes ?? 30;
  if (waited + seconds / 60 > limit) {
    return failTask(deps, task, `${providerName(task.provider)} stayed too busy to take this work for ${limit} minutes (${reason}); nothing was made.`, now);
  }
  throw new RetryLater(Math.max(1, Math.min(Math.ceil(seconds), Math.ceil((limit - waited) * 60))), reason);
}

const providerName = (id: string) => ({ fal: 'fal', replicate: 'Replicate', 'workers-ai': 'Workers AI', offline: 'The offline renderer' })[id] ?? id;

/**
 * Sends one provider call. A 429 or our own concurrency limit waits, outside the attempt
 * budget; other passing failures retry through the queue up to `maxAttempts`; a create whose
 * outcome is unknown (a 5xx or a timeout) is never sent again: the call fails and is refunded.
 */
export async function submitTask(deps: RunDeps, taskId: string, now: Date): Promise<void> {
  const task = await taskById(deps.db, taskId);
  if (!task || task.status !== 'pending') return;
  const generation = await generationById(deps.db, task.generation_id);
  if (!generation) return;
  if (!isOpenGeneration(generation.status)) {
    await moveTask(deps.db, task.id, 'canceled', { updated_at: iso(now) });
    return;
  }
  const provider = deps.providers.get(task.provider as never);
  if (!provider) return failTask(deps, task, `The provider ${task.provider} is no longer configured.`, now);
  const params = JSON.parse(generation.params) as GenerationParams;
  // Claim this attempt: of two deliveries of one submit message, only one calls the provider;
  // and only while the provider has room under our limit (counted in the same statement, so
  // two claims at once cannot both take the last slot). Not a move: the task stays pending,
  // the attempt counter is the guard, and sending_since says a create is on its way.
  const limit = deps.concurrency?.[task.provider];
  const claimed = await database(deps.db)
    .update(generationTasks)
    .set({ attempts: sql`${generationTasks.attempts} + 1`, sending_since: iso(now), updated_at: iso(now) })
    .where(
      and(
        eq(generationTasks.id, task.id),
        eq(generationTasks.status, 'pending'),
        eq(generationTasks.attempts, task.attempts),
        limit ? lt(busyAt(deps.db, task.provider, now), limit) : undefined,
      ),
    )
    .returning({ attempts: generationTasks.attempts })
    .get();
  if (!claimed) {
    const again = limit ? await taskById(deps.db, task.id) : undefined;
    // Still waiting with the same attempts: nobody else claimed it, the provider is full.
    if (again?.status === 'pending' && again.attempts === task.attempts) {
      return waitForRoom(deps, task, now, ROOM_CHECK_SECONDS, `${providerName(task.provider)} already runs ${limit} of our calls`, null);
    }
    return;
  }
  const attempts = claimed.attempts;

  let submission;
  // No public origin known (work the cron started): no webhook, the queue polls instead.
  const webhookUrl = provider.verifyWebhook && params.webhook_base ? `${params.webhook_base}/v1/webhooks/${provider.id}` : null;
  try {
    const call = await callFor(deps.db, generation, task, params, await inputFiles(deps, generation, params));
    submission = await provider.submit(call, webhookUrl);
  } catch (error) {
    if (error instanceof ProviderError && error.options.status === 429) {
      // Throttled: nothing started. Wait as long as the provider says (10 s when it does not).
      return waitForRoom(deps, task, now, error.options.retryAfterSeconds ?? 10, error.message, attempts - 1);
    }
    const passing = error instanceof ProviderError ? error.retryable : !(error instanceof DomainError);
    // A refused input (deleted since, or locked) is said in the gate's own words.
    const reason = error instanceof ProviderError ? error.message : error instanceof DomainError ? error.detail : 'The image could not be made.';
    if (!(error instanceof ProviderError) && !(error instanceof DomainError)) console.error(`submitting ${task.id} failed`, error);
    if (error instanceof UnconfirmedCreate) console.error(`submitting ${task.id}: ${error.message}`);
    if (passing && attempts < deps.maxAttempts) {
      await database(deps.db).update(generationTasks).set({ sending_since: null }).where(and(eq(generationTasks.id, task.id), eq(generationTasks.attempts, attempts))).run();
      const wait = error instanceof ProviderError && error.options.retryAfterSeconds ? error.options.retryAfterSeconds : 2 ** (attempts - 1);
      throw new RetryLater(Math.min(300, wait), reason);
    }
    return failTask(deps, task, reason, now);
  }
  await appendWarnings(deps.db, generation.id, submission.warnings);
  // The call's request id is recorded before anyone is told the generation runs, so whoever
  // sees it running (the panel, a cancel) can reach the provider's request.
  if (submission.mode === 'async') await moveTask(deps.db, task.id, 'submitted', { request_id: submission.requestId, sending_since: null, updated_at: iso(now) });
  else await database(deps.db).update(generationTasks).set({ sending_since: null }).where(eq(generationTasks.id, task.id)).run();
  // No webhook will come: the queue asks the provider until the call ends.
  if (submission.mode === 'async' && !webhookUrl) await schedulePoll(deps.queue, task.id, 0);
  if (await moveGeneration(deps.db, generation.id, 'running', { updated_at: iso(now) })) await publishGeneration(deps.db, deps.events, generation.id);
  if (submission.mode === 'sync') return collectTask(deps, task.id, submission.outcome, now);
}

/** An output's bytes: in hand, or fetched from the provider's declared output hosts only (else null: not delivered). */
async function outputBytes(deps: RunDeps, provider: string, image: Extract<ProviderOutcome, { state: 'succeeded' }>['images'][number]): Promise<Uint8Array | null> {
  if ('bytes' in image) return image.bytes;
  const allowed = { hosts: deps.providers.get(provider as never)?.outputHosts ?? [], loopback: deps.loopbackOutputs };
  let response: Response | null;
  try {
    response = await fetchOutput(deps.fetch ?? ((input, init) => fetch(input, init)), image.url, allowed, { signal: AbortSignal.timeout(30_000) });
  } catch {
    throw new RetryLater(5, 'could not download an output from the provider');
  }
  if (!response) {
    console.error(`refused an output address outside ${provider}'s output hosts`);
    return null;
  }
  if (response.status >= 500) throw new RetryLater(5, `the output host answered ${response.status}`);
  if (!response.ok || Number(response.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES) return null;
  const bytes = new Uint8Array(await response.arrayBuffer());
  return bytes.byteLength <= MAX_UPLOAD_BYTES ? bytes : null;
}

const openGeneration = (generationId: string) => and(eq(generations.id, generationId), inArray(generations.status, openGenerationStates));

async function stillOpen(db: D1Database, generationId: string): Promise<boolean> {
  return (await database(db).select({ id: generations.id }).from(generations).where(openGeneration(generationId)).get()) !== undefined;
}

/** Outputs stored for a generation (never more than its batch). */
async function deliveredCount(db: D1Database, generation: GenerationRow): Promise<number> {
  const n = await database(db).$count(images, and(eq(images.generation_id, generation.id), eq(images.kind, 'generated')));
  return Math.min(generation.batch, n);
}

/**
 * Stores an output only while its generation is open, in one statement (a cancel in between
 * cannot let it in); a repeated report of the same output changes nothing.
 */
async function insertOutputWhileOpen(db: D1Database, image: ImageRow): Promise<boolean> {
  const d = database(db);
  // drizzle's INSERT … SELECT wants every column, in the table's order.
  const fields = Object.fromEntries(Object.keys(getTableColumns(images)).map((k) => [k, sql`${image[k as keyof ImageRow]}`.as(k)])) as { [K in keyof ImageRow]: SQL.Aliased<ImageRow[K]> };
  const inserted = await d
    .insert(images)
    .select(d.select(fields).from(generations).where(openGeneration(image.generation_id!)))
    .onConflictDoNothing()
    .run();
  return inserted.meta.changes > 0;
}

/** Stores what a provider call delivered (once, whatever the number of reports), then settles if all calls ended. */
export async function collectTask(deps: RunDeps, taskId: string, outcome: ProviderOutcome | SerializableOutcome, now: Date): Promise<void> {
  const task = await taskById(deps.db, taskId);
  if (!task) return;
  if (outcome.state === 'pending') {
    // A report that did not say how the call ended (fal: a result it could not put in the
    // webhook): ask the provider now rather than wait for the cron.
    const provider = deps.providers.get(task.provider as never);
    if (!provider || !task.request_id || !isOpenTask(task.status)) return;
    outcome = await provider.status(task.endpoint, task.request_id);
    if (outcome.state === 'pending') return;
  }
  // Already ended (a repeated report, or a retry after settling failed): make sure it settles.
  if (!isOpenTask(task.status)) return finishGeneration(deps, task.generation_id, now);
  const generation = await generationById(deps.db, task.generation_id);
  if (!generation) return;
  if (!isOpenGeneration(generation.status)) {
    // Canceled meanwhile: what arrives late is neither stored nor charged.
    await moveTask(deps.db, task.id, 'canceled', { updated_at: iso(now) });
    return;
  }
  if (outcome.state === 'failed') return failTask(deps, task, outcome.error, now);
  if (outcome.state === 'canceled') return failTask(deps, task, 'The provider canceled the request.', now);

  let index = 0;
  for (const image of outcome.images.slice(0, task.count)) {
    const bytes = await outputBytes(deps, task.provider, image);
    const header = bytes ? readImageHeader(bytes) : null;
    const outputIndex = index++;
    if (!bytes || !header) continue;
    // The key is fixed per output, so a repeated report overwrites instead of adding.
    const key = `generated/${task.id}/${outputIndex}`;
    const row: ImageRow = {
      id: newId('img'),
      owner_id: generation.user_id,
      kind: 'generated',
      content_type: header.type,
      bytes: bytes.byteLength,
      width: header.width,
      height: header.height,
      sha256: await sha256Hex(bytes),
      r2_key: key,
      source_url: null,
      page_url: null,
      page_title: null,
      model_id: generation.model_id,
      generation_id: generation.id,
      task_id: task.id,
      output_index: task.first_index + outputIndex,
      created_at: iso(now),
    };
    // The thumbnail is made while the original is stored, so the panel's first look at the
    // image needs no decoding; if it cannot be made here, it is tried again when asked for.
    const { watermarked } = await imagePolicyOf(deps.db, row);
    await Promise.all([
      deps.bucket.put(key, bytes, { httpMetadata: { contentType: header.type } }),
      renderRendition(deps.bucket, deps.renderer, row, 'thumb', watermarked ? deps.watermarkSecret : null, bytes).catch(() => null),
    ]);
    await yieldToRequests();
    // Stored only while the generation is open: an output that lands after a cancel is
    // neither shown nor charged (and its files go).
    const stored = await insertOutputWhileOpen(deps.db, row);
    if (stored) {
      await publishGeneration(deps.db, deps.events, generation.id);
      // The user has received an image from this model: a public Style counts them once. A
      // failure to count is logged, never a reason to deliver the image again.
      await recordStyleUsage(deps.db, deps.events, { modelId: generation.model_id, userId: generation.user_id, now }).catch((error) =>
        console.error(`counting ${generation.user_id} toward ${generation.model_id} failed`, error),
      );
    }
    else if (!(await stillOpen(deps.db, generation.id))) await deps.bucket.delete(imageFiles(row));
    await yieldToRequests();
  }
  const delivered = Math.min(task.count, await database(deps.db).$count(images, eq(images.task_id, task.id)));
  const missing = task.count - delivered;
  const note = missing ? `${missing} of ${task.count} image${task.count === 1 ? '' : 's'} not delivered${outcome.rejected ? ' (held back by the provider’s safety filter)' : ''}` : null;
  await moveTask(deps.db, task.id, 'succeeded', { delivered, error: note, updated_at: iso(now) });
  await finishGeneration(deps, generation.id, now);
}

/** When every call has ended: settle the hold by what was delivered, and say how it went. */
export async function finishGeneration(deps: RunDeps, generationId: string, now: Date): Promise<void> {
  const generation = await generationById(deps.db, generationId);
  if (!generation || !isOpenGeneration(generation.status)) return;
  const tasks = await tasksOf(deps.db, generationId);
  if (tasks.some((t) => isOpenTask(t.status))) return;
  // What the user can see is what is charged: the stored outputs, however each call ended.
  const delivered = await deliveredCount(deps.db, generation);
  await settleGeneration(deps, generation, delivered, now);
  const status = delivered === generation.batch ? 'succeeded' : delivered > 0 ? 'partial' : 'failed';
  const reasons = [...new Set(tasks.map((t) => t.error).filter(Boolean))];
  const error = status === 'succeeded' ? null : `${delivered} of ${generation.batch} images delivered; the rest were refunded. ${reasons.join(' ')}`.trim();
  if (await moveGeneration(deps.db, generationId, status, { error, completed_at: iso(now), updated_at: iso(now) })) {
    await publishGeneration(deps.db, deps.events, generationId);
    await publishCredits(deps.db, deps.events, generation.user_id);
    // A Style's quiz sample: the last one to end makes the quiz.
    await sampleEnded(deps, generation, now);
  }
}

/**
 * Charges what was delivered and refunds the rest. A quiz sample holds nothing (its training
 * paid for it: credits per image 0, no hold), so there is nothing to settle.
 */
async function settleGeneration(deps: RunDeps, generation: GenerationRow, delivered: number, now: Date) {
  if (generation.credits_per_image === 0 && quizVersionOf(generation)) return;
  await settle(deps.db, { holdId: generation.hold_id, charge: delivered * generation.credits_per_image, now });
}

/** Stops a generation: calls not yet made are dropped, running ones canceled at the provider; what was delivered is charged. */
export async function cancelGeneration(deps: RunDeps, userId: string, generationId: string, now: Date): Promise<GenerationRow> {
  const generation = await ownGeneration(deps.db, userId, generationId);
  const canceled = await moveGeneration(deps.db, generationId, 'canceled', { updated_at: iso(now), completed_at: iso(now) });
  // A canceled generation whose settling was interrupted settles now; any other end is final.
  if (!canceled && generation.status !== 'canceled') {
    throw new DomainError('conflict', `This generation already ended (${generation.status}); there is nothing to cancel.`);
  }
  const tasks = await tasksOf(deps.db, generationId);
  for (const task of tasks.filter((t) => t.status === 'submitted' && t.request_id)) {
    await deps.providers
      .get(task.provider as never)
      ?.cancel(task.endpoint, task.request_id!)
      .catch((error) => console.error(`canceling ${task.id} at ${task.provider} failed`, error));
  }
  await moveTasks(deps.db, { generationId }, 'canceled', { updated_at: iso(now) });
  // Counted after the status changed: no output can be stored any more, and each stored one is charged.
  const delivered = await deliveredCount(deps.db, generation);
  await settleGeneration(deps, generation, delivered, now);
  await publishGeneration(deps.db, deps.events, generationId);
  await publishCredits(deps.db, deps.events, userId);
  return (await generationById(deps.db, generationId))!;
}

export interface SweepLimits {
  /** Ask the provider about a call it has not reported on for this long. */
  pollAfterSeconds: number;
  /** Send again a call whose submit was claimed but never finished (a lost message or a crash). */
  resendAfterSeconds: number;
  /** Give up on a call after this long. */
  giveUpAfterMinutes: number;
}

/**
 * The cron's part: resend calls whose queue message was lost, poll providers whose webhook
 * never came, give up on calls that never end, and finish generations whose calls all ended.
 */
export async function sweepGenerations(deps: RunDeps, limits: SweepLimits, now: Date): Promise<{ resent: number; polled: number; expired: number; finished: number }> {
  const stale = iso(new Date(now.getTime() - limits.pollAfterSeconds * 1000));
  const hopeless = iso(new Date(now.getTime() - limits.giveUpAfterMinutes * 60_000));
  const d = database(deps.db);
  const results: TaskRow[] = await d
    .select()
    .from(generationTasks)
    .where(and(inArray(generationTasks.status, openTaskStates), lte(generationTasks.updated_at, stale)))
    .orderBy(generationTasks.updated_at)
    .limit(50);
  let resent = 0;
  let polled = 0;
  let expired = 0;
  for (const task of results) {
    if (task.created_at <= hopeless) {
      await failTask(deps, task, 'The provider never answered.', now);
      expired++;
      continue;
    }
    if (task.status === 'pending') {
      if (task.updated_at > iso(new Date(now.getTime() - limits.resendAfterSeconds * 1000))) continue;
      // A create that left and never came back (the Worker stopped mid-call) may have started
      // at the provider: sending it again could run it twice, so it is refunded instead.
      if (task.sending_since && task.attempts > 0) {
        await failTask(deps, task, `${providerName(task.provider)} never confirmed it started this work, so it was not asked again; nothing was charged for it.`, now);
        expired++;
        continue;
      }
      await d.update(generationTasks).set({ updated_at: iso(now) }).where(eq(generationTasks.id, task.id)).run();
      await deps.queue.send({ type: 'submit', task_id: task.id });
      resent++;
      continue;
    }
    await d.update(generationTasks).set({ updated_at: iso(now) }).where(eq(generationTasks.id, task.id)).run();
    const provider = deps.providers.get(task.provider as never);
    if (!provider || !task.request_id) continue;
    try {
      const outcome = await provider.status(task.endpoint, task.request_id);
      polled++;
      if (outcome.state !== 'pending') await collectTask(deps, task.id, outcome, now);
    } catch (error) {
      console.error(`polling ${task.id} failed`, error);
    }
  }
  // Generations whose calls all ended but that never settled (settling was interrupted).
  const openCalls = d
    .select({ id: generationTasks.id })
    .from(generationTasks)
    .where(and(eq(generationTasks.generation_id, generations.id), inArray(generationTasks.status, openTaskStates)));
  const unsettled = await d
    .select({ id: generations.id })
    .from(generations)
    .where(and(inArray(generations.status, openGenerationStates), lte(generations.updated_at, stale), notExists(openCalls)))
    .limit(50);
  for (const { id } of unsettled) await finishGeneration(deps, id, now);
  return { resent, polled, expired, finished: unsettled.length };
}
