// Where captures land for the side panel: the references tray and the training-set tray
// (kept across sessions), and for this session the last notice, a prompt to fill, a pin to
// name and a page's collected images.
import { storage } from '#imports';
import type { Capture } from '../capture/flow';
import type { CollectAnswer } from '../capture/page-protocol';

export interface TrainingItem extends Capture {
  description: string;
}

export interface CaptureNotice {
  kind: 'ok' | 'error';
  message: string;
  at: string;
}

export const referencesTray = storage.defineItem<Capture[]>('local:referencesTray', { fallback: [] });
export const trainingTray = storage.defineItem<TrainingItem[]>('local:trainingTray', { fallback: [] });
export const captureNotice = storage.defineItem<CaptureNotice | null>('session:captureNotice', { fallback: null });
export const pendingPrompt = storage.defineItem<Capture | null>('session:pendingPrompt', { fallback: null });
export const pendingPin = storage.defineItem<Capture | null>('session:pendingPin', { fallback: null });
export const collection = storage.defineItem<CollectAnswer | null>('session:collection', { fallback: null });

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
