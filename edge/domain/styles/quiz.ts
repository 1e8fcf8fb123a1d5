// The quiz after each training: QUIZ_SAMPLE_COUNT sample images made with the new version
// through the normal generation pipeline (owner: the creator, model: the Style), then scored
// 1..5 by the creator. The samples are paid for inside the training's price: their
// generations hold nothing and charge nothing (credits per image 0, no hold; their `hold_id`
// names the version that paid). A good average makes the Style `ready`; a poor one keeps it
// at its quiz with a free retrain.
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { QuizResult as QuizResultSchema } from '../../../shared/api/styles';
import { QUIZ_PASS_AVERAGE, QUIZ_SAMPLE_COUNT, QUIZ_SAMPLE_SIDE } from '../../../shared/catalog/styles';
import { quizPrompts } from '../../../shared/styles/quiz';
import { hash32 } from '../../../shared/style/prompt';
import { type BatchItem, database } from '../../db/client';
import { violatesUnique } from '../../db/constraints';
import { newId } from '../../db/ids';
import { givenRow } from '../../db/insert-select';
import { generations, generationTasks, images, quizResults, quizSamples, type StyleRow, type StyleVersionRow, styles, styleVersions } from '../../db/schema';
import { iso } from '../../db/time';
import type { JobMessage } from '../../jobs/messages';
import type { Providers } from '../../providers/registry';
import { conflict, DomainError } from '../errors';
import type { EventPublisher } from '../events';
import type { GenerationParams, GenerationRow } from '../generations/rows';
import { generationMachine, isOpenGeneration, taskMachine } from '../generations/states';
import { modelOfImage } from '../models';
import type { TrainedImage } from './lifecycle';
import { ownStyleRow, publishStyle, styleRowById, styleView } from './view';

type QuizResult = z.infer<typeof QuizResultSchema>;

export interface QuizDeps {
  db: D1Database;
  queue: Queue<JobMessage>;
  providers: Providers;
  events: EventPublisher;
}

/**
 * The idempotency key of a version's i-th sample generation. It names the version by its id,
 * which the API never shows, so no request of the creator's can take a sample's place.
 */
const sampleKey = (versionId: string, i: number) => `quiz:${versionId}:${i}`;

/** The version a sample generation belongs to, or null for any other generation. */
export function quizVersionOf(generation: Pick<GenerationRow, 'idempotency_key' | 'hold_id' | 'credits_per_image'>): string | null {
  const match = /^quiz:([^:]+):\d+$/.exec(generation.idempotency_key);
  return match && match[1] === generation.hold_id && generation.credits_per_image === 0 ? match[1]! : null;
}

function promptsOf(style: StyleRow, version: StyleVersionRow) {
  const trained = JSON.parse(version.images) as TrainedImage[];
  return quizPrompts({ descriptions: trained.map((t) => t.description), count: QUIZ_SAMPLE_COUNT, seed: `${style.id}:${version.version}` });
}

/**
 * Starts the version's sample generations, one per prompt, each with its own key: started
 * again (a retried job, the sweep), nothing is added twice, and calls still waiting are sent.
 */
export async function startQuiz(deps: QuizDeps, style: StyleRow, version: StyleVersionRow, origin: string | undefined, now: Date): Promise<void> {
  const model = await modelOfImage(deps.db, style.id);
  if (!model) return;
  const { route } = deps.providers.route(model);
  const tier = model.resolutions[0]!;
  const size = { width: QUIZ_SAMPLE_SIDE, height: QUIZ_SAMPLE_SIDE };
  const d = database(deps.db);
  const at = iso(now);
  const statements: BatchItem[] = [];
  promptsOf(style, version).forEach(({ prompt }, i) => {
    const id = newId('gen');
    const key = sampleKey(version.id, i);
    const params: GenerationParams = { seed: hash32(key), webhook_base: origin ?? '' };
    const row: GenerationRow = {
      id,
      user_id: style.owner_id,
      model_id: style.id,
      operation: 'generate',
      status: generationMachine.initial,
      prompt,
      batch: 1,
      resolution: tier.id,
      aspect_ratio: '1:1',
      width: size.width,
      height: size.height,
      params: JSON.stringify(params),
      credits_per_image: 0,
      hold_id: version.id,
      idempotency_key: key,
      request_hash: key,
      warnings: '[]',
      error: null,
      created_at: at,
      updated_at: at,
      completed_at: null,
    };
    const task = { id: newId('task'), generation_id: id, provider: route.id, endpoint: route.endpoint, first_index: 0, count: 1, status: taskMachine.initial, created_at: at, updated_at: at };
    statements.push(
      d.insert(generations).values(row).onConflictDoNothing(),
      // Only where this sample's generation was written (not where an earlier start made it).
      d.insert(generationTasks).select((qb) => qb.select(givenRow(generationTasks, task)).from(generations).where(eq(generations.id, id))),
    );
  });
  if (!statements.length) return;
  await d.batch(statements as [BatchItem, ...BatchItem[]]);
  const waiting = await d
    .select({ id: generationTasks.id })
    .from(generationTasks)
    .innerJoin(generations, eq(generations.id, generationTasks.generation_id))
    .where(and(eq(generations.user_id, style.owner_id), eq(generations.hold_id, version.id), eq(generationTasks.status, 'pending')));
  if (waiting.length) await deps.queue.sendBatch(waiting.map((t) => ({ body: { type: 'submit', task_id: t.id } satisfies JobMessage })));
}

/**
 * Once every sample generation has ended: their images become the quiz and the Style moves to
 * `quiz`. No image at all: the Style `failed`, and its retrain is free (the training was
 * charged). Safe to call again; only the first call that finds everything ended moves it.
 */
export async function collectQuiz(deps: QuizDeps, styleId: string, versionNumber: number, now: Date): Promise<void> {
  const d = database(deps.db);
  const style = await styleRowById(deps.db, styleId);
  if (!style || style.status !== 'training' || style.version !== versionNumber) return;
  const version = await d
    .select()
    .from(styleVersions)
    .where(and(eq(styleVersions.style_id, styleId), eq(styleVersions.version, versionNumber)))
    .get();
  if (!version || version.status !== 'succeeded') return;
  const prompts = promptsOf(style, version);
  const made = await d
    .select()
    .from(generations)
    .where(and(eq(generations.user_id, style.owner_id), inArray(generations.idempotency_key, prompts.map((_, i) => sampleKey(version.id, i)))));
  const samples = made.filter((g) => quizVersionOf(g) === version.id);
  if (samples.length < prompts.length || samples.some((g) => isOpenGeneration(g.status))) return;
  const outputs = await d
    .select({ id: images.id, generation_id: images.generation_id })
    .from(images)
    .where(and(inArray(images.generation_id, samples.map((g) => g.id)), eq(images.kind, 'generated')))
    .orderBy(images.output_index);
  const at = iso(now);
  const current = and(eq(styles.id, styleId), eq(styles.version, versionNumber), eq(styles.status, 'training'));
  if (!outputs.length) {
    const reasons = [...new Set(samples.map((g) => g.error).filter(Boolean))].join(' ');
    await d.batch([
      d
        .update(styleVersions)
        .set({ error: `No quiz sample could be made. ${reasons} The training was charged, so the retrain is free.`.replace(/\s+/g, ' '), updated_at: at })
        .where(eq(styleVersions.id, version.id)),
      d.update(styles).set({ status: 'failed', free_retrain: true, updated_at: at }).where(current),
    ]);
    await publishStyle(deps.db, deps.events, styleId);
    return;
  }
  const position = new Map(samples.map((g) => [g.id, Number(g.idempotency_key.split(':').at(-1))]));
  const prompt = new Map(samples.map((g) => [g.id, g.prompt]));
  const rows = outputs
    .map((o) => ({ style_id: styleId, version: versionNumber, image_id: o.id, prompt: prompt.get(o.generation_id!)!, position: position.get(o.generation_id!)! }))
    .sort((a, b) => a.position - b.position);
  await d.batch([d.insert(quizSamples).values(rows).onConflictDoNothing(), d.update(styles).set({ status: 'quiz', updated_at: at }).where(current)]);
  await publishStyle(deps.db, deps.events, styleId);
}

/** Called when any generation ends: a quiz sample's ending may complete its quiz. */
export async function sampleEnded(deps: QuizDeps, generation: GenerationRow, now: Date): Promise<void> {
  const versionId = quizVersionOf(generation);
  if (!versionId) return;
  const version = await database(deps.db).select({ style_id: styleVersions.style_id, version: styleVersions.version }).from(styleVersions).where(eq(styleVersions.id, versionId)).get();
  if (version) await collectQuiz(deps, version.style_id, version.version, now);
}

/**
 * POST /v1/styles/:id/quiz: every sample of the current version scored once, 1..5. Only at
 * the quiz, only once (quiz_results' UNIQUE aborts a second scoring that raced in).
 */
export async function scoreQuiz(
  deps: { db: D1Database; events: EventPublisher },
  input: { userId: string; styleId: string; scores: { image_id: string; score: number }[]; now: Date },
): Promise<QuizResult> {
  const { db } = deps;
  const style = await ownStyleRow(db, input.userId, input.styleId);
  const d = database(db);
  const scored = await d
    .select({ outcome: quizResults.outcome })
    .from(quizResults)
    .where(and(eq(quizResults.style_id, style.id), eq(quizResults.version, style.version)))
    .get();
  if (scored) throw conflict('This quiz was already scored.');
  if (style.status !== 'quiz') throw conflict(`This Style has no quiz to score now: it is ${style.status.replace('_', ' ')}.`);
  const samples = await d
    .select()
    .from(quizSamples)
    .where(and(eq(quizSamples.style_id, style.id), eq(quizSamples.version, style.version)))
    .orderBy(quizSamples.position);
  const ids = new Set(samples.map((s) => s.image_id));
  const seen = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  input.scores.forEach((s, i) => {
    if (!ids.has(s.image_id)) errors.push({ path: `scores.${i}.image_id`, message: 'Not one of this quiz’s samples' });
    else if (seen.has(s.image_id)) errors.push({ path: `scores.${i}.image_id`, message: 'This sample is scored twice' });
    seen.add(s.image_id);
  });
  const missing = samples.filter((s) => !seen.has(s.image_id)).length;
  if (missing) errors.push({ path: 'scores', message: `Score every sample: ${missing} of ${samples.length} ${missing === 1 ? 'is' : 'are'} not scored` });
  if (errors.length) {
    throw new DomainError('validation_failed', `Score each of this quiz’s ${samples.length} samples once, from 1 to 5.`, { errors });
  }
  const average = Math.round((input.scores.reduce((sum, s) => sum + s.score, 0) / input.scores.length) * 100) / 100;
  const outcome = average >= QUIZ_PASS_AVERAGE ? 'pass' : 'retrain';
  const at = iso(input.now);
  const statements: [BatchItem, ...BatchItem[]] = [
    d.insert(quizResults).values({ style_id: style.id, version: style.version, average, outcome, created_at: at }),
    ...input.scores.map((s) =>
      d
        .update(quizSamples)
        .set({ score: s.score, scored_at: at })
        .where(and(eq(quizSamples.style_id, style.id), eq(quizSamples.version, style.version), eq(quizSamples.image_id, s.image_id))),
    ),
    // Pass: ready (a private Style is usable at once; a public one may publish). Retrain: it
    // stays at its quiz, and its retrain is free.
    d
      .update(styles)
      .set(outcome === 'pass' ? { status: 'ready', updated_at: at } : { free_retrain: true, updated_at: at })
      .where(and(eq(styles.id, style.id), eq(styles.version, style.version), eq(styles.status, 'quiz'))),
  ];
  try {
    await d.batch(statements);
  } catch (error) {
    if (violatesUnique(error, 'quiz_results')) throw conflict('This quiz was already scored.');
    throw error;
  }
  await publishStyle(db, deps.events, style.id);
  return { outcome, average, style: await styleView(db, (await styleRowById(db, style.id))!) };
}
