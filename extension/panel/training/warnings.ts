// What would train badly, said before training: small images and duplicates.
import type { TrainingItem } from '../../lib/captures';

export const SHARP_SIDE = 1024;

export function trainingWarnings(items: TrainingItem[]): Map<string, string[]> {
  const warnings = new Map<string, string[]>();
  const firstBySha = new Map<string, number>();
  items.forEach((item, i) => {
    const notes: string[] = [];
    if (Math.min(item.width, item.height) < SHARP_SIDE) notes.push(`Under ${SHARP_SIDE} px (${item.width}×${item.height}): it may train softly.`);
    const first = firstBySha.get(item.sha256);
    if (first !== undefined) notes.push(`The same image as number ${first + 1}.`);
    else firstBySha.set(item.sha256, i);
    if (!item.description.trim()) notes.push('Needs a short description.');
    warnings.set(item.id, notes);
  });
  return warnings;
}
