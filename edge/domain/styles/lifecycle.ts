// Starting a Style's training: the first one (POST /v1/styles) and every retrain. Each writes
// the Style's new version, its set as trained, and the credits it holds in ONE batch, so
// nothing is half-made: an overdraft, a name already used, a replayed Idempotency-Key or a
// retrain that lost a race aborts all of it. The work itself runs in the jobs queue.
import { and, desc, eq, exists, sql } from 'drizzle-orm';
import type { Style } from '../../../shared/api/styles';
import { STYLE_TRAINING_CREDITS } from '../../../shared/catalog/styles';
import type { StyleStatus, StyleVisibility } from '../../../shared/statuses';
import { promptComponents } from '../../../shared/style/prompt';
import { violatesUnique } from '../../db/constraints';
import { type BatchItem, database } from '../../db/client';
import { newId } from '../../db/ids';
import { givenRow } from '../../db/insert-select';
import { quizResults, type StyleRow, styles, styleVersions } from '../../db/schema';
import { iso } from '../../db/time';
import type { JobMessage } from '../../jobs/messages';
import type { Providers } from '../../providers/registry';
import { conflict, DomainError, notFound } from '../errors';
import { type EventPublisher, publishCredits } from '../events';
import { imagesAsInput } from '../inputs';
import { explainOverdraft, prepareHold } from '../ledger';
import { readySet } from './training-sets';
import { ownStyleRow, publishStyle, styleRowById, styleView, styleViews } from './view';

/** A training's hold outlives the longest training the sweep waits for (TRAINING_GIVE_UP_MINUTES), so it never expires under running work. */
export const TRAINING_HOLD_MINUTES = 240;

/** One image of a version's set, as it was trained (style_versions.images). */
export interface TrainedImage {
  image_id: string;
  description: string;
}

export interface LifecycleDeps {
  db: D1Database;
  queue: Queue<JobMessage>;
  providers: Providers;
  events: EventPublisher;
  /** Lets the queue send and the live messages finish after the answer (the version is durable already). */
  waitUntil(promise: Promise<unknown>): void;
}

/** The set's images and descriptions as this version trains on them, once it is ready and every image still passes the license gate. */
async function trainableImages(db: D1Database, userId: string, setId: string): Promise<TrainedImage[]> {
  const { images } = await readySet(db, userId, setId);
  await imagesAsInput(
    db,
    userId,
    images.map((r) => ({ path: 'training_set_id', id: r.image_id })),
  );
  return images.map((r) => ({ image_id: r.image_id, description: r.description.trim() }));
}

/** The version a request with this key (create: or retrain:…) already made, with its Style. */
async function madeWithKey(db: D1Database, userId: string, key: string, styleId?: string): Promise<StyleRow | undefined> {
  const found = await database(db)
    .select({ style: styles })
    .from(styleVersions)
    .innerJoin(styles, eq(styles.id, styleVersions.style_id))
    .where(and(eq(styleVersions.idempotency_key, key), eq(styles.owner_id, userId), styleId ? eq(styles.id, styleId) : undefined))
    .get();
  return found?.style;
}

/** After the batch: queue the training, and tell the owner's channel of the Style and the credits it holds. */
function started(deps: LifecycleDeps, userId: string, styleId: string, versionId: string, origin: string) {
  deps.waitUntil(
    (async () => {
      await publishStyle(deps.db, deps.events, styleId);
      await deps.queue.send({ type: 'train', version_id: versionId, origin }).catch((error) => console.error(`queueing training ${versionId} failed; the cron will resend`, error));
      await publishCredits(deps.db, deps.events, userId);
    })(),
  );
}

export interface CreateStyleInput {
  userId: string;
  body: { training_set_id: string; name: string; visibility: StyleVisibility };
  idempotencyKey: string;
  /** This API's public origin: where trainers send webhooks and fetch the set from. */
  origin: string;
  now: Date;
}

/** POST /v1/styles: a new Style in `training`, version 1, its training held for. */
export async function createStyle(deps: LifecycleDeps, input: CreateStyleInput): Promise<Style> {
  const { db } = deps;
  const key = `create:${input.idempotencyKey}`;
  const replay = async () => {
    const first = await madeWithKey(db, input.userId, key);
    if (!first) return undefined;
    const same = first.name === input.body.name && first.visibility === input.body.visibility && first.training_set_id === input.body.training_set_id;
    if (!same) throw conflict('This Idempotency-Key was already used for a different request.');
    return styleView(db, first);
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const images = await trainableImages(db, input.userId, input.body.training_set_id);
  const d = database(db);
  const now = iso(input.now);
  const styleId = newId('sty');
  const versionId = newId('sv');
  const held = prepareHold(db, {
    userId: input.userId,
    amount: STYLE_TRAINING_CREDITS,
    ref: styleId,
    // The key the caller sent: a second request with it aborts here even if its body differs.
    idempotencyKey: `style:${input.idempotencyKey}`,
    now: input.now,
    ttlMinutes: TRAINING_HOLD_MINUTES,
  });
  const statements: [BatchItem, ...BatchItem[]] = [
    d.insert(styles).values({
      id: styleId,
      owner_id: input.userId,
      name: input.body.name,
      visibility: input.body.visibility,
      status: 'training',
      // What the descriptions say, until training measures the images themselves.
      components: JSON.stringify(promptComponents(images.map((i) => i.description).join(', '))),
      training_set_id: input.body.training_set_id,
      version: 1,
      created_at: now,
      updated_at: now,
    }),
    d.insert(styleVersions).values({
      id: versionId,
      style_id: styleId,
      version: 1,
      status: 'training',
      images: JSON.stringify(images),
      provider: deps.providers.trainer?.id ?? 'offline',
      hold_id: held.id,
      idempotency_key: key,
      progress: 0,
      created_at: now,
      updated_at: now,
    }),
    ...held.statements,
  ];
  try {
    await d.batch(statements);
  } catch (error) {
    await explainOverdraft(db, error, input.userId, STYLE_TRAINING_CREDITS);
    if (!violatesUnique(error, 'styles') && !violatesUnique(error, 'holds')) throw error;
    // The same key racing in (or retried): the first one stands.
    const first = await replay();
    if (first) return first;
    if (violatesUnique(error, 'styles')) throw conflict(`You already have a Style named “${input.body.name}”. Choose another name.`);
    throw conflict('This Idempotency-Key was already used for a different request.');
  }
  started(deps, input.userId, styleId, versionId, input.origin);
  return styleView(db, (await styleRowById(db, styleId))!);
}

/** Why a Style in this state cannot retrain, in words; null when it can. */
function retrainRefusal(row: StyleRow, quizFailed: boolean): string | null {
  const allowed: StyleStatus[] = ['failed', 'rejected'];
  if (allowed.includes(row.status) || (row.status === 'quiz' && quizFailed)) return null;
  switch (row.status) {
    case 'training':
      return 'This Style is training already; its quiz comes next.';
    case 'quiz':
      return 'Score the quiz first: a poor score makes the retrain free.';
    case 'ready':
      return 'This Style passed its quiz; it does not need retraining.';
    default:
      return `A Style that is ${row.status.replace('_', ' ')} cannot be retrained.`;
  }
}

export interface RetrainInput {
  userId: string;
  styleId: string;
  idempotencyKey: string;
  origin: string;
  now: Date;
}

/**
 * POST /v1/styles/:id/retrain: the next version from the set as it is now, back to `training`.
 * Free when the Style earned it (a failed quiz, a rejection): the flag is spent by the same
 * guarded update that moves the version on, so of two retrains at once only one is written.
 */
export async function retrainStyle(deps: LifecycleDeps, input: RetrainInput): Promise<Style> {
  const { db } = deps;
  const row = await ownStyleRow(db, input.userId, input.styleId);
  const key = `retrain:${input.idempotencyKey}`;
  const replayed = await madeWithKey(db, input.userId, key, row.id);
  if (replayed) return styleView(db, replayed);
  const d = database(db);
  const result = await d
    .select({ outcome: quizResults.outcome })
    .from(quizResults)
    .where(and(eq(quizResults.style_id, row.id), eq(quizResults.version, row.version)))
    .get();
  const refusal = retrainRefusal(row, result?.outcome === 'retrain');
  if (refusal) throw conflict(refusal);
  if (!row.training_set_id) throw conflict('This Style has no training set to train from.');
  const images = await trainableImages(db, input.userId, row.training_set_id);

  const now = iso(input.now);
  const version = row.version + 1;
  const versionId = newId('sv');
  const free = row.free_retrain;
  const written = exists(d.select({ one: sql`1` }).from(styleVersions).where(eq(styleVersions.id, versionId)));
  const held = free
    ? null
    : prepareHold(db, {
        userId: input.userId,
        amount: STYLE_TRAINING_CREDITS,
        ref: row.id,
        idempotencyKey: `style:${row.id}:${input.idempotencyKey}`,
        now: input.now,
        ttlMinutes: TRAINING_HOLD_MINUTES,
        onlyIf: written,
      });
  const statements: [BatchItem, ...BatchItem[]] = [
    // The guard: the Style exactly as read (its version, state and free flag).
    d
      .update(styles)
      .set({ version, status: 'training', free_retrain: false, updated_at: now })
      .where(and(eq(styles.id, row.id), eq(styles.version, row.version), eq(styles.status, row.status), eq(styles.free_retrain, free))),
    // Written only where the guard moved the Style on; where another retrain got there first,
    // its version has this number and the batch aborts whole.
    d.insert(styleVersions).select((qb) =>
      qb
        .select(
          givenRow(styleVersions, {
            id: versionId,
            style_id: row.id,
            version,
            status: 'training',
            images: JSON.stringify(images),
            provider: deps.providers.trainer?.id ?? 'offline',
            hold_id: held?.id ?? null,
            idempotency_key: key,
            progress: 0,
            created_at: now,
            updated_at: now,
          }),
        )
        .from(styles)
        .where(and(eq(styles.id, row.id), eq(styles.version, version))),
    ),
    ...(held?.statements ?? []),
  ];
  try {
    await d.batch(statements);
  } catch (error) {
    await explainOverdraft(db, error, input.userId, STYLE_TRAINING_CREDITS);
    if (!violatesUnique(error, 'style_versions') && !violatesUnique(error, 'holds')) throw error;
  }
  const mine = await d.select({ id: styleVersions.id }).from(styleVersions).where(eq(styleVersions.id, versionId)).get();
  if (!mine) {
    const first = await madeWithKey(db, input.userId, key, row.id);
    if (first) return styleView(db, first);
    throw conflict('This Style was retrained meanwhile; it is training its next version already.');
  }
  started(deps, input.userId, row.id, versionId, input.origin);
  return styleView(db, (await styleRowById(db, row.id))!);
}

/** GET /v1/styles: the caller's Styles, newest first. */
export async function listOwnStyles(db: D1Database, userId: string): Promise<{ items: Style[]; next_cursor: null }> {
  const rows = await database(db).select().from(styles).where(eq(styles.owner_id, userId)).orderBy(desc(styles.created_at), desc(styles.id)).limit(200);
  return { items: await styleViews(db, rows), next_cursor: null };
}
