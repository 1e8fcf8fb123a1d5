// Training one Style version, in the jobs queue. At a provider (fal's flux-lora-fast-training,
// Replicate's trainings): the set goes as a zip behind a short-lived link, captions are the
// descriptions, completion comes by webhook with polling as the fallback, and the weights
// land on the version and the Style. Offline, an honest stand-in: the set's style components
// measured image by image (the measuring POST /v1/style-components does) and blended, which
// the offline renderer paints from. Every step is a guarded transition on the version
// (`WHERE status = 'training'`), so a duplicate webhook or a second poll changes nothing.
// A failed training refunds its hold in full; a finished one charges it, then makes the quiz.
import { and, eq, isNull, lt, lte, or } from 'drizzle-orm';
import { type StyleWeights, styleTriggerWord } from '../../../shared/catalog/styles';
import { blendComponents, completeComponents, type StyleComponents } from '../../../shared/style/components';
import { database } from '../../db/client';
import { newId } from '../../db/ids';
import { type StyleRow, type StyleVersionRow, styles, styleVersions } from '../../db/schema';
import { iso } from '../../db/time';
import type { RunDeps } from '../generations/run';
import { RetryLater } from '../generations/run';
import { UnconfirmedCreate } from '../../providers/http';
import { measure } from '../../providers/offline';
import { trainingArchive } from '../../providers/training-archive';
import { ProviderError, type TrainingImage, type TrainingOutcome } from '../../providers/types';
import { yieldToRequests } from '../../scheduling';
import { DomainError } from '../errors';
import { publishCredits } from '../events';
import { imagesAsInput } from '../inputs';
import { renditionBytes } from '../images';
import { getHold, settle } from '../ledger';
import type { TrainedImage } from './lifecycle';
import { collectQuiz, startQuiz } from './quiz';
import { publishStyle, styleRowById } from './view';

/** The sweep gives a training up after this long (fal trains in minutes, Replicate in tens of them). */
export const TRAINING_GIVE_UP_MINUTES = 180;
/** A start claimed this long ago and never recorded: the Worker stopped mid-call. */
const START_LOST_SECONDS = 120;
/** Polling a training that sends no webhook: every 15 s, for about the give-up time. */
const POLL_SECONDS = 15;
const MAX_POLL_ROUNDS = (TRAINING_GIVE_UP_MINUTES * 60) / POLL_SECONDS;
/** A start that claimed the version but has no request id yet. */
const CLAIM = 'claim:';

const trainerName = (id: string) => ({ fal: 'fal', replicate: 'Replicate', offline: 'The offline trainer' })[id] ?? id;

export async function versionById(db: D1Database, id: string): Promise<StyleVersionRow | undefined> {
  return database(db).select().from(styleVersions).where(eq(styleVersions.id, id)).get();
}

const stillTraining = (id: string) => and(eq(styleVersions.id, id), eq(styleVersions.status, 'training'));

/** The version's images that still pass the license gate, as their unmarked previews (what leaves for a trainer, or is measured). */
async function setImages(deps: RunDeps, style: StyleRow, version: StyleVersionRow) {
  const trained = JSON.parse(version.images) as TrainedImage[];
  const rows = await imagesAsInput(
    deps.db,
    style.owner_id,
    trained.map((t) => ({ path: 'training_set_id', id: t.image_id })),
  );
  return rows.map((row, i) => ({ row, description: trained[i]!.description }));
}

/** Stores how far a training has got: only forward, only while it trains; published when it moved. */
async function recordProgress(deps: RunDeps, version: StyleVersionRow, progress: number, now: Date) {
  const fraction = Math.round(Math.min(1, Math.max(0, progress)) * 100) / 100;
  const moved = await database(deps.db)
    .update(styleVersions)
    .set({ progress: fraction, updated_at: iso(now) })
    .where(and(stillTraining(version.id), or(isNull(styleVersions.progress), lt(styleVersions.progress, fraction))))
    .run();
  if (moved.meta.changes > 0) await publishStyle(deps.db, deps.events, version.style_id);
}

/** A training that ended without weights: the version failed, its hold refunded in full, the Style `failed` with the reason. */
export async function failTraining(deps: RunDeps, version: StyleVersionRow, reason: string, now: Date): Promise<void> {
  const d = database(deps.db);
  const moved = await d
    .update(styleVersions)
    .set({ status: 'failed', error: reason, completed_at: iso(now), updated_at: iso(now) })
    .where(stillTraining(version.id))
    .returning({ id: styleVersions.id })
    .get();
  if (!moved) return;
  if (version.hold_id) await settle(deps.db, { holdId: version.hold_id, charge: 0, now });
  await d
    .update(styles)
    .set({ status: 'failed', updated_at: iso(now) })
    .where(and(eq(styles.id, version.style_id), eq(styles.version, version.version), eq(styles.status, 'training')))
    .run();
  await publishStyle(deps.db, deps.events, version.style_id);
  const style = await styleRowById(deps.db, version.style_id);
  if (style && version.hold_id) await publishCredits(deps.db, deps.events, style.owner_id);
}

/**
 * A training that made its Style: the version and the Style take the weights (and the measured
 * components the offline renderer falls back on), the hold is charged, and the quiz is made.
 */
async function succeedTraining(deps: RunDeps, version: StyleVersionRow, made: { weights: StyleWeights | null; components: StyleComponents | null }, origin: string | undefined, now: Date) {
  const d = database(deps.db);
  const components = made.components ? JSON.stringify(made.components) : version.components;
  const weights = made.weights ? JSON.stringify(made.weights) : null;
  const moved = await d
    .update(styleVersions)
    .set({ status: 'succeeded', progress: 1, weights, components, completed_at: iso(now), updated_at: iso(now) })
    .where(stillTraining(version.id))
    .returning()
    .get();
  if (!moved) return;
  await d
    .update(styles)
    .set({ weights, ...(components ? { components } : {}), updated_at: iso(now) })
    .where(and(eq(styles.id, version.style_id), eq(styles.version, version.version), eq(styles.status, 'training')))
    .run();
  await continueToQuiz(deps, moved, origin, now);
}

/**
 * After a successful training (or, from the sweep, after one whose next steps were
 * interrupted): charge the hold, then make the quiz. Each step is safe to repeat.
 */
export async function continueToQuiz(deps: RunDeps, version: StyleVersionRow, origin: string | undefined, now: Date): Promise<void> {
  if (version.hold_id) {
    const hold = await getHold(deps.db, version.hold_id);
    if (hold.status === 'held') {
      await settle(deps.db, { holdId: hold.id, charge: hold.amount, now });
      await publishCredits(deps.db, deps.events, hold.userId);
    }
  }
  await publishStyle(deps.db, deps.events, version.style_id);
  const style = await styleRowById(deps.db, version.style_id);
  if (!style || style.status !== 'training' || style.version !== version.version) return;
  await startQuiz(deps, style, version, origin, now);
  await collectQuiz(deps, style.id, version.version, now);
}

/** Offline: measure each image's style components, publishing progress as it goes, and blend them. */
async function trainOffline(deps: RunDeps, style: StyleRow, version: StyleVersionRow, now: Date): Promise<void> {
  const images = await setImages(deps, style, version);
  const measured: { components: StyleComponents }[] = [];
  let published = -1;
  for (const [i, image] of images.entries()) {
    const bytes = await renditionBytes(deps.bucket, deps.renderer, image.row, 'preview');
    measured.push({ components: await measure(deps.renderer, { bytes, contentType: 'image/jpeg' }) });
    // Nine tenths for measuring; the last tenth is the blend and the quiz's start.
    const progress = ((i + 1) / images.length) * 0.9;
    if (Math.floor(progress * 10) !== published) {
      published = Math.floor(progress * 10);
      await recordProgress(deps, version, progress, new Date());
    }
    await yieldToRequests();
  }
  const blended = blendComponents(measured);
  if (!blended) return failTraining(deps, version, 'None of the set’s images could be measured.', now);
  await succeedTraining(deps, version, { weights: null, components: blended }, undefined, now);
}

/**
 * At a provider: claim the version (of two deliveries of one message, one starts it), send the
 * set and record the request id. A throttled or unreachable trainer is tried again later; a
 * start whose outcome is unknown is never sent again: it fails and is refunded.
 */
async function startAtTrainer(deps: RunDeps, style: StyleRow, version: StyleVersionRow, origin: string | undefined, now: Date): Promise<void> {
  const trainer = deps.providers.trainer;
  if (!trainer || trainer.id !== version.provider) return failTraining(deps, version, `${trainerName(version.provider)} is no longer configured to train Styles; nothing was charged.`, now);
  const d = database(deps.db);
  const claim = `${CLAIM}${newId('start')}`;
  const claimed = await d
    .update(styleVersions)
    .set({ request_id: claim, updated_at: iso(now) })
    .where(and(stillTraining(version.id), isNull(styleVersions.request_id)))
    .returning({ id: styleVersions.id })
    .get();
  if (!claimed) return;
  const release = () =>
    d
      .update(styleVersions)
      .set({ request_id: null })
      .where(and(eq(styleVersions.id, version.id), eq(styleVersions.request_id, claim)))
      .run();

  let requestId: string;
  let components: StyleComponents | null;
  try {
    const images = await setImages(deps, style, version);
    const trigger = styleTriggerWord(style.id);
    const files: TrainingImage[] = [];
    const measured: { components: StyleComponents }[] = [];
    for (const image of images) {
      // The previews (longest side 1024, what FLUX LoRA trainers train at), unmarked: the set is the caller's own.
      const bytes = await renditionBytes(deps.bucket, deps.renderer, image.row, 'preview');
      files.push({ bytes, contentType: 'image/jpeg', caption: `${trigger}, ${image.description}` });
      measured.push({ components: await measure(deps.renderer, { bytes, contentType: 'image/jpeg' }) });
      await yieldToRequests();
    }
    components = blendComponents(measured);
    const call = { images: files, triggerWord: trigger };
    let archiveUrl: string | undefined;
    if (origin) {
      // The zip waits in R2 behind a link that serves it alone, for minutes.
      const key = `training/${version.id}.zip`;
      await deps.bucket.put(key, trainingArchive(call), { httpMetadata: { contentType: 'application/zip' } });
      archiveUrl = await deps.inputLinks(origin, key, now);
    }
    const webhookUrl = origin && deps.providers.get(trainer.id)?.verifyWebhook ? `${origin.replace(/\/+$/, '')}/v1/webhooks/${trainer.id}` : null;
    requestId = (await trainer.startTraining({ ...call, ...(archiveUrl ? { archiveUrl } : {}) }, webhookUrl)).requestId;
    if (!webhookUrl) await deps.queue.send({ type: 'train-poll', version_id: version.id, round: 0, ...(origin ? { origin } : {}) }, { delaySeconds: POLL_SECONDS });
  } catch (error) {
    if (error instanceof ProviderError && !(error instanceof UnconfirmedCreate) && (error.options.status === 429 || error.retryable)) {
      await release();
      throw new RetryLater(Math.min(300, error.options.retryAfterSeconds ?? 30), error.message);
    }
    if (!(error instanceof ProviderError) && !(error instanceof DomainError)) {
      // A passing fault of ours (R2, D1): try again; nothing left for the trainer yet.
      await release();
      throw error;
    }
    const reason = error instanceof DomainError ? error.detail : error.message;
    return failTraining(deps, version, `Training could not start: ${reason} Nothing was charged.`, now);
  }
  await d
    .update(styleVersions)
    .set({ request_id: requestId, ...(components ? { components: JSON.stringify(components) } : {}), updated_at: iso(now) })
    .where(and(eq(styleVersions.id, version.id), eq(styleVersions.request_id, claim)))
    .run();
  await publishStyle(deps.db, deps.events, style.id);
}

/** The `train` job: one version, offline or at its trainer. */
export async function runTraining(deps: RunDeps, versionId: string, origin: string | undefined, now: Date): Promise<void> {
  const version = await versionById(deps.db, versionId);
  if (!version || version.status !== 'training') return;
  const style = await styleRowById(deps.db, version.style_id);
  if (!style || style.version !== version.version) return;
  try {
    if (version.provider === 'offline') return await trainOffline(deps, style, version, now);
    return await startAtTrainer(deps, style, version, origin, now);
  } catch (error) {
    // A set image deleted or locked since: said in the gate's own words, and refunded.
    if (error instanceof DomainError) return failTraining(deps, version, `Training could not use the set: ${error.detail}`, now);
    throw error;
  }
}

/** A trainer's report (webhook or polling), applied once. */
export async function finishTraining(deps: RunDeps, versionId: string, outcome: TrainingOutcome, origin: string | undefined, now: Date): Promise<void> {
  const version = await versionById(deps.db, versionId);
  if (!version || version.status !== 'training') {
    // Finished before, but what follows may have been interrupted: the sweep resumes it.
    return;
  }
  switch (outcome.state) {
    case 'pending':
      if (outcome.progress !== undefined) await recordProgress(deps, version, outcome.progress, now);
      return;
    case 'failed':
      return failTraining(deps, version, `${outcome.error} Nothing was charged; you may train again.`, now);
    case 'canceled':
      return failTraining(deps, version, `${trainerName(version.provider)} canceled the training. Nothing was charged; you may train again.`, now);
    case 'succeeded': {
      const weights: StyleWeights | null =
        outcome.weights.kind === 'lora' && version.provider === 'fal'
          ? { provider: 'fal', kind: 'lora', url: outcome.weights.url }
          : outcome.weights.kind === 'version' && version.provider === 'replicate'
            ? { provider: 'replicate', kind: 'version', version: outcome.weights.version }
            : null;
      if (!weights) return failTraining(deps, version, `${trainerName(version.provider)} answered with weights it does not make. Nothing was charged.`, now);
      const components = parseComponents(version.components);
      return succeedTraining(deps, version, { weights, components }, origin, now);
    }
  }
}

const parseComponents = (json: string | null): StyleComponents | null => (json ? completeComponents(JSON.parse(json) as StyleComponents) : null);

/** Asks the trainer once; the report is applied, or asked again later while it trains. */
async function askTrainer(deps: RunDeps, version: StyleVersionRow, origin: string | undefined, now: Date): Promise<'ended' | 'pending' | 'unknown'> {
  const trainer = deps.providers.trainer;
  if (!trainer || trainer.id !== version.provider || !version.request_id || version.request_id.startsWith(CLAIM)) return 'unknown';
  const outcome = await trainer.trainingStatus(version.request_id);
  await finishTraining(deps, version.id, outcome, origin, now);
  return outcome.state === 'pending' ? 'pending' : 'ended';
}

/** The `train-poll` job: a training that sends no webhook, asked every few seconds. */
export async function pollTraining(deps: RunDeps, versionId: string, round: number, origin: string | undefined, now: Date): Promise<void> {
  const version = await versionById(deps.db, versionId);
  if (!version || version.status !== 'training') return;
  const state = await askTrainer(deps, version, origin, now);
  if (state === 'pending' && round + 1 < MAX_POLL_ROUNDS) {
    await deps.queue.send({ type: 'train-poll', version_id: versionId, round: round + 1, ...(origin ? { origin } : {}) }, { delaySeconds: POLL_SECONDS });
  }
}

export interface StyleSweepLimits {
  /** Ask a trainer about a training it has not reported on for this long; resend a start that never went. */
  pollAfterSeconds: number;
}

/**
 * The cron's part: trainings whose webhook never came are asked; starts whose message was
 * lost are sent again; trainings that never end are given up (and refunded); Styles whose
 * training finished but whose quiz was interrupted go on to it.
 */
export async function sweepStyles(deps: RunDeps, limits: StyleSweepLimits, origin: string | undefined, now: Date): Promise<{ polled: number; resent: number; failed: number; resumed: number }> {
  const d = database(deps.db);
  const stale = iso(new Date(now.getTime() - limits.pollAfterSeconds * 1000));
  const hopeless = iso(new Date(now.getTime() - TRAINING_GIVE_UP_MINUTES * 60_000));
  const lost = iso(new Date(now.getTime() - START_LOST_SECONDS * 1000));
  const open = await d
    .select()
    .from(styleVersions)
    .where(and(eq(styleVersions.status, 'training'), lte(styleVersions.updated_at, stale)))
    .orderBy(styleVersions.updated_at)
    .limit(50);
  let polled = 0;
  let resent = 0;
  let failed = 0;
  for (const version of open) {
    if (version.created_at <= hopeless) {
      await failTraining(deps, version, `${trainerName(version.provider)} did not finish the training in ${TRAINING_GIVE_UP_MINUTES / 60} hours. Nothing was charged; you may train again.`, now);
      failed++;
      continue;
    }
    await d.update(styleVersions).set({ updated_at: iso(now) }).where(eq(styleVersions.id, version.id)).run();
    if (version.provider === 'offline' || version.request_id === null) {
      await deps.queue.send({ type: 'train', version_id: version.id, ...(origin ? { origin } : {}) });
      resent++;
    } else if (version.request_id.startsWith(CLAIM)) {
      if (version.updated_at <= lost) {
        await failTraining(deps, version, `${trainerName(version.provider)} never confirmed it started this training, so it was not asked again. Nothing was charged; you may train again.`, now);
        failed++;
      }
    } else {
      try {
        await askTrainer(deps, version, origin, now);
        polled++;
      } catch (error) {
        console.error(`asking about training ${version.id} failed`, error);
      }
    }
  }
  // Trained, charged or not, but never brought to its quiz (the steps after were interrupted).
  const stuck = await d
    .select({ version: styleVersions })
    .from(styles)
    .innerJoin(styleVersions, and(eq(styleVersions.style_id, styles.id), eq(styleVersions.version, styles.version)))
    .where(and(eq(styles.status, 'training'), eq(styleVersions.status, 'succeeded'), lte(styles.updated_at, stale)))
    .limit(20);
  for (const { version } of stuck) {
    try {
      await continueToQuiz(deps, version, origin, now);
    } catch (error) {
      console.error(`resuming the quiz of ${version.style_id} failed`, error);
    }
  }
  return { polled, resent, failed, resumed: stuck.length };
}
