// Training sets: the owner's images a Style trains from, each measured once when it is added
// (size, SHA-256, perceptual hash) and judged by shared/styles/training-set.ts, so what would
// train badly is refused in words before any credit is spent.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TrainingImage, TrainingSet, TrainingSetSummary } from '../../../shared/api/styles';
import { STYLE_TRAINING_CREDITS } from '../../../shared/catalog/styles';
import { judgeSet, perceptualHash, refusalOf, type TrainingCandidate, warningsOf } from '../../../shared/styles/training-set';
import { type Database, database } from '../../db/client';
import { newId } from '../../db/ids';
import { type ImageRow, type TrainingImageRow, trainingImages, type TrainingSetRow, trainingSets } from '../../db/schema';
import { iso } from '../../db/time';
import { DamagedImage, type ImageRenderer, ImageTooLarge, UndecodableImage } from '../../imaging/renderer';
import { DomainError, notFound } from '../errors';
import { imagesAsInput } from '../inputs';

/** The hash reads a 9×8 grid of averages: a copy this small holds all of it, and decodes in little memory. */
const HASH_SIDE = 128;

export interface OwnTrainingSet {
  set: TrainingSetRow;
  /** Oldest first (the order they were added). */
  images: TrainingImageRow[];
}

const candidateOf = (row: TrainingImageRow): TrainingCandidate => ({
  imageId: row.image_id,
  width: row.width,
  height: row.height,
  sha256: row.sha256,
  hash: row.hash,
  description: row.description,
});

const refused = (reason: string, path = 'image_id') => new DomainError('validation_failed', reason, { errors: [{ path, message: reason }] });

/**
 * A set's images in the order they were added. SQLite's rowid orders them exactly: a new row's
 * rowid is above every row present when it was inserted (created_at can tie, or disagree with
 * the order of concurrent inserts).
 */
async function imagesOfSets(d: Database, setIds: string[]): Promise<TrainingImageRow[]> {
  if (!setIds.length) return [];
  return d
    .select()
    .from(trainingImages)
    .where(inArray(trainingImages.set_id, setIds))
    .orderBy(sql`rowid`);
}

/** The owner's set with its images, or 404 (another user's set does not exist for you). */
export async function ownTrainingSet(db: D1Database, userId: string, setId: string): Promise<OwnTrainingSet> {
  const d = database(db);
  const set = await d
    .select()
    .from(trainingSets)
    .where(and(eq(trainingSets.id, setId), eq(trainingSets.owner_id, userId)))
    .get();
  if (!set) throw notFound('That training set');
  return { set, images: await imagesOfSets(d, [set.id]) };
}

/**
 * The owner's set, once it can train (5 to 50 images, each described); otherwise 422 with what
 * keeps it from training, in words. Training calls it before quoting or holding anything.
 */
export async function readySet(db: D1Database, userId: string, setId: string): Promise<OwnTrainingSet> {
  const own = await ownTrainingSet(db, userId, setId);
  const { ready, problems } = judgeSet(own.images.map(candidateOf));
  if (!ready) {
    throw new DomainError('validation_failed', `This training set cannot train yet: ${problems.join(' ')}`, {
      errors: problems.map((message) => ({ path: 'training_set_id', message })),
    });
  }
  return own;
}

/** One image as the API shows it: its own warnings, then what is weak about the set as a whole. */
function imageView(row: TrainingImageRow, setWarnings: string[]): TrainingImage {
  return {
    image_id: row.image_id,
    description: row.description,
    width: row.width,
    height: row.height,
    warnings: [...warningsOf(candidateOf(row)), ...setWarnings],
  };
}

function setView({ set, images }: OwnTrainingSet): TrainingSet {
  const judged = judgeSet(images.map(candidateOf));
  return {
    id: set.id,
    name: set.name,
    images: images.map((row) => imageView(row, judged.warnings)),
    ready: judged.ready,
    problems: judged.problems,
    training_cost: STYLE_TRAINING_CREDITS,
    created_at: set.created_at,
    updated_at: set.updated_at,
  };
}

export async function createTrainingSet(db: D1Database, userId: string, input: { name: string }, now: Date): Promise<TrainingSet> {
  const set = { id: newId('tst'), owner_id: userId, name: input.name, created_at: iso(now), updated_at: iso(now) };
  await database(db).insert(trainingSets).values(set);
  return setView({ set, images: [] });
}

export async function getTrainingSet(db: D1Database, userId: string, setId: string): Promise<TrainingSet> {
  return setView(await ownTrainingSet(db, userId, setId));
}

/** The owner's sets, newest first, each with its image count and whether it can train. */
export async function listTrainingSets(db: D1Database, userId: string): Promise<TrainingSetSummary[]> {
  const d = database(db);
  const sets = await d.select().from(trainingSets).where(eq(trainingSets.owner_id, userId)).orderBy(desc(trainingSets.created_at), desc(trainingSets.id));
  const rows = await imagesOfSets(
    d,
    sets.map((s) => s.id),
  );
  return sets.map((set) => {
    const mine = rows.filter((row) => row.set_id === set.id);
    return { id: set.id, name: set.name, image_count: mine.length, ready: judgeSet(mine.map(candidateOf)).ready, created_at: set.created_at, updated_at: set.updated_at };
  });
}

/**
 * The 64-bit perceptual hash of an image's original, read from R2 at reduced size; a file that
 * does not decode is refused in words.
 */
async function measuredHash(bucket: R2Bucket, renderer: ImageRenderer, image: ImageRow): Promise<string> {
  const original = await bucket.get(image.r2_key);
  if (!original) throw refused('This image is unreadable: its file is missing. Upload it again.');
  try {
    return perceptualHash(await renderer.decode(new Uint8Array(await original.arrayBuffer()), HASH_SIDE));
  } catch (error) {
    if (error instanceof DamagedImage) throw refused('This image is unreadable: its file is damaged or incomplete. Upload it again from the original.');
    if (error instanceof UndecodableImage) throw refused('This image is unreadable here: its format cannot be decoded. Add a PNG, JPEG or WebP copy instead.');
    if (error instanceof ImageTooLarge) throw refused(error.message);
    throw error;
  }
}

const alreadyInSet = () => refused('This image is already in the set.');

/**
 * Adds one of the owner's images, measured once. Judged before the insert (nothing is kept
 * of a refusal) and again after it against every image added before it, so two adds racing
 * cannot both land as near-duplicates of each other or as a 51st image: the later of the two
 * (by insertion order) sees the earlier one, takes itself out and is refused.
 */
export async function addTrainingImage(
  deps: { db: D1Database; bucket: R2Bucket; renderer: ImageRenderer },
  userId: string,
  setId: string,
  input: { image_id: string; description: string },
  now: Date,
): Promise<TrainingImage> {
  const { images: before } = await ownTrainingSet(deps.db, userId, setId);
  // The gate: another user's image is 404, a locked one (unlicensed Style output) 403.
  const image = (await imagesAsInput(deps.db, userId, [{ path: 'image_id', id: input.image_id }], 'not_found'))[0]!;
  if (before.some((row) => row.image_id === image.id)) throw alreadyInSet();
  const sized: TrainingCandidate = { imageId: image.id, width: image.width, height: image.height, sha256: image.sha256, hash: '', description: input.description };
  // Against no other image only its own size can refuse it: said before anything is decoded.
  const tooSmall = refusalOf(sized, []);
  if (tooSmall) throw refused(tooSmall);
  const candidate = { ...sized, hash: await measuredHash(deps.bucket, deps.renderer, image) };
  const refusal = refusalOf(candidate, before.map(candidateOf));
  if (refusal) throw refused(refusal);

  const d = database(deps.db);
  const inserted = await d
    .insert(trainingImages)
    .values({ set_id: setId, image_id: image.id, description: input.description, width: image.width, height: image.height, sha256: image.sha256, hash: candidate.hash, created_at: iso(now) })
    .onConflictDoNothing()
    .returning()
    .get();
  if (!inserted) throw alreadyInSet(); // added by a concurrent request in the meantime

  const after = await imagesOfSets(d, [setId]);
  const position = after.findIndex((row) => row.image_id === image.id);
  const lateRefusal = refusalOf(candidate, after.slice(0, position).map(candidateOf));
  if (lateRefusal) {
    await d.delete(trainingImages).where(and(eq(trainingImages.set_id, setId), eq(trainingImages.image_id, image.id)));
    throw refused(lateRefusal);
  }
  await touch(d, setId, now);
  return imageView(inserted, judgeSet(after.map(candidateOf)).warnings);
}

async function touch(d: Database, setId: string, now: Date) {
  await d.update(trainingSets).set({ updated_at: iso(now) }).where(eq(trainingSets.id, setId));
}

function inSet(own: OwnTrainingSet, imageId: string): TrainingImageRow {
  const row = own.images.find((r) => r.image_id === imageId);
  if (!row) throw notFound('That image in this set');
  return row;
}

export async function describeTrainingImage(db: D1Database, userId: string, setId: string, imageId: string, description: string, now: Date): Promise<TrainingImage> {
  const own = await ownTrainingSet(db, userId, setId);
  inSet(own, imageId);
  const d = database(db);
  const updated = await d
    .update(trainingImages)
    .set({ description })
    .where(and(eq(trainingImages.set_id, setId), eq(trainingImages.image_id, imageId)))
    .returning()
    .get();
  if (!updated) throw notFound('That image in this set'); // removed meanwhile
  await touch(d, setId, now);
  return imageView(updated, judgeSet(own.images.map(candidateOf)).warnings);
}

/** Takes an image out of the set; the image itself stays the owner's. */
export async function removeTrainingImage(db: D1Database, userId: string, setId: string, imageId: string, now: Date): Promise<void> {
  inSet(await ownTrainingSet(db, userId, setId), imageId);
  const d = database(db);
  await d.delete(trainingImages).where(and(eq(trainingImages.set_id, setId), eq(trainingImages.image_id, imageId)));
  await touch(d, setId, now);
}
