// Where captures land for the side panel, each item the signed-in user's own: the references
// tray and the training-set tray (kept across sessions), and for this session the last notice,
// a prompt to fill, a pin to name and a page's collected images, each versioned.
import { z } from 'zod';
import { Capture, CaptureNotice, TrainingItem } from '../capture/capture';
import { CollectAnswer } from '../capture/page-protocol';
import { defineStored, defineUserStored, listOf, type StoredItem } from './stored';

export { Capture, CaptureNotice, TrainingItem };

/** A step applied to every entry of a stored tray; anything else is left for the parse to drop. */
function eachEntry(step: (entry: Record<string, unknown>) => Record<string, unknown>) {
  return (tray: unknown) => (Array.isArray(tray) ? tray.map((entry) => (entry && typeof entry === 'object' ? step(entry) : entry)) : tray);
}

/**
 * The trays' shapes as they shipped: 1 had neither thumbnail nor status, 2 added the
 * thumbnail made from the captured bytes, 3 the uploading status. Trays stored before items
 * were versioned all read as version 1 whatever their shape, so each step keeps what an
 * entry already has.
 */
const trayMigrations = {
  2: eachEntry((c) => ({ ...c, thumb_data: c.thumb_data ?? null })),
  3: eachEntry((c) => ({ ...c, status: c.status ?? 'ready' })),
};

const trays = { fallback: [], version: 3, migrations: trayMigrations };

/** Each signed-in user's own trays, kept across sessions. */
export const referencesTray = defineUserStored('local', 'referencesTray', { schema: listOf(Capture, 'reference'), ...trays });
export const trainingTray = defineUserStored('local', 'trainingTray', { schema: listOf(TrainingItem, 'training image'), ...trays });

// storage.session is emptied whenever the extension is updated, so an earlier shape of these
// is never read back: they stay at version 1, with nothing to migrate.
export const captureNotice = defineUserStored('session', 'captureNotice', { schema: CaptureNotice.nullable(), fallback: null, version: 1, migrations: {} });
export const pendingPrompt = defineUserStored('session', 'pendingPrompt', { schema: Capture.nullable(), fallback: null, version: 1, migrations: {} });
export const pendingPin = defineUserStored('session', 'pendingPin', { schema: Capture.nullable(), fallback: null, version: 1, migrations: {} });
export const collection = defineUserStored('session', 'collection', { schema: z.nullable(CollectAnswer), fallback: null, version: 1, migrations: {} });

/**
 * A capture tried while nobody was signed in: nothing was stored, and the sign-in form says
 * why until someone signs in. It belongs to no user (it names none of their work).
 */
export const signInNeeded = defineStored('session:signInNeeded', { schema: CaptureNotice.nullable(), fallback: null, version: 1, migrations: {} });

// The trays as they were kept before they were per user: one of each for the whole browser.
const unscopedReferences = defineStored('local:referencesTray', { schema: listOf(Capture, 'reference'), ...trays });
const unscopedTraining = defineStored('local:trainingTray', { schema: listOf(TrainingItem, 'training image'), ...trays });

/**
 * Moves trays kept before they were per user to this user, once (the unscoped ones are then
 * gone): moved rather than dropped because on almost every browser they are the one
 * designer's captures and training descriptions, and until this release every account there
 * saw them anyway. From here on they are this user's alone.
 */
export async function adoptUnscopedTrays(userId: string): Promise<void> {
  await adopt(unscopedReferences, referencesTray.of(userId), REFERENCES_MAX);
  await adopt(unscopedTraining, trainingTray.of(userId), TRAINING_MAX);
}

async function adopt<T extends Capture>(unscoped: StoredItem<T[]>, mine: StoredItem<T[]>, max: number) {
  // In today's shape first, whichever release stored it.
  await unscoped.migrate();
  const old = await unscoped.getValue();
  if (old.length) {
    const tray = await mine.getValue();
    await mine.setValue([...tray, ...old.filter((c) => !tray.some((t) => t.id === c.id))].slice(0, max));
  }
  await unscoped.removeValue({ removeMeta: true });
}

/** What signing in settles: the trays kept before they were per user, and the sign-in notice, now answered. */
export async function afterSignIn(userId: string): Promise<void> {
  await adoptUnscopedTrays(userId);
  await signInNeeded.setValue(null);
}

/** The training set takes 5 to 50 images; the references tray what the model takes (Agentic: 10). */
export const TRAINING_MAX = 50;
export const TRAINING_MIN = 5;
export const REFERENCES_MAX = 10;

/** The same stored image once: a capture already in the tray (by image id) is not added twice. */
const isCopy = (tray: Capture[], c: Capture) => tray.some((t) => t.id === c.id || (c.image_id && t.image_id === c.image_id));

export async function addReferences(userId: string, captures: Capture[]): Promise<number> {
  const item = referencesTray.of(userId);
  const tray = await item.getValue();
  const fresh = captures.filter((c) => !isCopy(tray, c));
  const next = [...tray, ...fresh].slice(0, REFERENCES_MAX);
  await item.setValue(next);
  return next.length - tray.length;
}

export async function addTraining(userId: string, captures: Capture[]): Promise<number> {
  const item = trainingTray.of(userId);
  const tray = await item.getValue();
  const fresh = captures.filter((c) => !tray.some((t) => t.id === c.id));
  const next = [...tray, ...fresh.map((c) => ({ ...c, description: c.alt }))].slice(0, TRAINING_MAX);
  await item.setValue(next);
  return next.length - tray.length;
}

/**
 * Puts the finished upload in place of its provisional entry (found by capture id) in this
 * user's trays. If the same image was already in the references tray, the new entry goes.
 */
export async function settleCapture(userId: string, capture: Capture): Promise<void> {
  const referencesItem = referencesTray.of(userId);
  const references = await referencesItem.getValue();
  if (references.some((t) => t.id === capture.id)) {
    const duplicate = references.some((t) => t.id !== capture.id && t.image_id === capture.image_id);
    await referencesItem.setValue(duplicate ? references.filter((t) => t.id !== capture.id) : references.map((t) => (t.id === capture.id ? capture : t)));
  }
  const trainingItem = trainingTray.of(userId);
  const training = await trainingItem.getValue();
  if (training.some((t) => t.id === capture.id)) {
    await trainingItem.setValue(training.map((t) => (t.id === capture.id ? { ...capture, description: t.description } : t)));
  }
}

/** A capture whose upload failed leaves this user's trays. */
export async function dropCapture(userId: string, id: string): Promise<void> {
  const references = referencesTray.of(userId);
  const training = trainingTray.of(userId);
  await references.setValue((await references.getValue()).filter((t) => t.id !== id));
  await training.setValue((await training.getValue()).filter((t) => t.id !== id));
}
