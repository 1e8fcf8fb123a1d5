// Where captures land for the side panel: the references tray and the training-set tray
// (kept across sessions), and for this session the last notice, a prompt to fill, a pin to
// name and a page's collected images, each versioned with its migrations.
import { z } from 'zod';
import { Capture, CaptureNotice, TrainingItem } from '../capture/capture';
import { CollectAnswer } from '../capture/page-protocol';
import { defineStored, listOf } from './stored';

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

export const referencesTray = defineStored('local:referencesTray', { schema: listOf(Capture, 'reference'), fallback: [], version: 3, migrations: trayMigrations });
export const trainingTray = defineStored('local:trainingTray', { schema: listOf(TrainingItem, 'training image'), fallback: [], version: 3, migrations: trayMigrations });

// storage.session is emptied whenever the extension is updated, so an earlier shape of these
// is never read back: they stay at version 1, with nothing to migrate.
export const captureNotice = defineStored('session:captureNotice', { schema: CaptureNotice.nullable(), fallback: null, version: 1, migrations: {} });
export const pendingPrompt = defineStored('session:pendingPrompt', { schema: Capture.nullable(), fallback: null, version: 1, migrations: {} });
export const pendingPin = defineStored('session:pendingPin', { schema: Capture.nullable(), fallback: null, version: 1, migrations: {} });
export const collection = defineStored('session:collection', { schema: z.nullable(CollectAnswer), fallback: null, version: 1, migrations: {} });

/** The training set takes 5 to 50 images; the references tray what the model takes (Agentic: 10). */
export const TRAINING_MAX = 50;
export const TRAINING_MIN = 5;
export const REFERENCES_MAX = 10;

/** The same stored image once: a capture already in the tray (by image id) is not added twice. */
const isCopy = (tray: Capture[], c: Capture) => tray.some((t) => t.id === c.id || (c.image_id && t.image_id === c.image_id));

export async function addReferences(captures: Capture[]): Promise<number> {
  const tray = await referencesTray.getValue();
  const fresh = captures.filter((c) => !isCopy(tray, c));
  const next = [...tray, ...fresh].slice(0, REFERENCES_MAX);
  await referencesTray.setValue(next);
  return next.length - tray.length;
}

export async function addTraining(captures: Capture[]): Promise<number> {
  const tray = await trainingTray.getValue();
  const fresh = captures.filter((c) => !tray.some((t) => t.id === c.id));
  const next = [...tray, ...fresh.map((c) => ({ ...c, description: c.alt }))].slice(0, TRAINING_MAX);
  await trainingTray.setValue(next);
  return next.length - tray.length;
}

/**
 * Puts the finished upload in place of its provisional entry (found by capture id). If the
 * same image was already in the references tray, the new entry goes.
 */
export async function settleCapture(capture: Capture): Promise<void> {
  const references = await referencesTray.getValue();
  if (references.some((t) => t.id === capture.id)) {
    const duplicate = references.some((t) => t.id !== capture.id && t.image_id === capture.image_id);
    await referencesTray.setValue(duplicate ? references.filter((t) => t.id !== capture.id) : references.map((t) => (t.id === capture.id ? capture : t)));
  }
  const training = await trainingTray.getValue();
  if (training.some((t) => t.id === capture.id)) {
    await trainingTray.setValue(training.map((t) => (t.id === capture.id ? { ...capture, description: t.description } : t)));
  }
}

/** A capture whose upload failed leaves the trays. */
export async function dropCapture(id: string): Promise<void> {
  await referencesTray.setValue((await referencesTray.getValue()).filter((t) => t.id !== id));
  await trainingTray.setValue((await trainingTray.getValue()).filter((t) => t.id !== id));
}
