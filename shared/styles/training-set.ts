// What makes a training set train well, judged before any credit is spent: 5 to 50 images,
// each described, none under 512 px on the short side, no image twice and no near-duplicate
// (the same picture re-encoded, resized or with a few pixels changed: a perceptual hash
// within a small Hamming distance); warnings for what is weak (under 1024 px, little
// variety). Pure: the Worker judges with it, and the panel can say the same before uploading.
import type { Raster } from '../style/components';

export const MIN_TRAINING_IMAGES = 5;
export const MAX_TRAINING_IMAGES = 50;
/** Refused under this short side. */
export const MIN_TRAINING_SIDE = 512;
/** Warned under this short side. */
export const SHARP_TRAINING_SIDE = 1024;
/** Hashes at most this many bits apart (of 64) are the same picture. */
export const NEAR_DUPLICATE_BITS = 6;
/** A set whose images are on average fewer bits apart than this looks too much alike. */
export const LITTLE_VARIETY_BITS = 18;

/**
 * A 64-bit difference hash (dHash), as 16 hex digits: the picture in grey, averaged down to
 * 9×8 cells, one bit per pair of neighbouring cells (is the right one brighter?). Re-encoding,
 * resizing and small edits move few bits; different pictures differ in about half.
 */
export function perceptualHash(image: Raster): string {
  const { width, height, rgba } = image;
  const cells = new Float64Array(9 * 8);
  const counts = new Float64Array(9 * 8);
  for (let y = 0; y < height; y++) {
    const cy = Math.min(7, Math.floor((y * 8) / height));
    for (let x = 0; x < width; x++) {
      const cx = Math.min(8, Math.floor((x * 9) / width));
      const i = (y * width + x) * 4;
      cells[cy * 9 + cx]! += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
      counts[cy * 9 + cx]! += 1;
    }
  }
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      const left = cells[y * 9 + x]! / Math.max(1, counts[y * 9 + x]!);
      const right = cells[y * 9 + x + 1]! / Math.max(1, counts[y * 9 + x + 1]!);
      byte = (byte << 1) | (right > left ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** How many of the 64 bits two hashes differ in. */
export function hashDistance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < 16; i += 2) {
    let v = parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16);
    for (; v; v &= v - 1) bits++;
  }
  return bits;
}

export interface TrainingCandidate {
  imageId: string;
  width: number;
  height: number;
  sha256: string;
  hash: string;
  description: string;
}

/** Why an image cannot join a set (in words), or null; `set` is what the set holds already. */
export function refusalOf(candidate: TrainingCandidate, set: readonly TrainingCandidate[]): string | null {
  const short = Math.min(candidate.width, candidate.height);
  if (short < MIN_TRAINING_SIDE) return `This image is ${candidate.width}×${candidate.height}; training images need at least ${MIN_TRAINING_SIDE} px on the short side.`;
  const others = set.filter((item) => item.imageId !== candidate.imageId);
  if (others.some((item) => item.sha256 === candidate.sha256)) return 'This image is already in the set.';
  const near = others.findIndex((item) => hashDistance(item.hash, candidate.hash) <= NEAR_DUPLICATE_BITS);
  if (near >= 0) return `This image is nearly the same as image ${near + 1} in the set (the same picture re-encoded, resized or lightly edited).`;
  if (others.length >= MAX_TRAINING_IMAGES) return `A set holds at most ${MAX_TRAINING_IMAGES} images.`;
  return null;
}

/** What is weak about one image of a set. */
export function warningsOf(item: TrainingCandidate): string[] {
  const short = Math.min(item.width, item.height);
  return short < SHARP_TRAINING_SIDE ? [`Under ${SHARP_TRAINING_SIDE} px on the short side (${item.width}×${item.height}): it may train softly.`] : [];
}

/** Whether the set can train, and if not, why; plus what is weak about it as a whole. */
export function judgeSet(items: readonly TrainingCandidate[]): { ready: boolean; problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  if (items.length < MIN_TRAINING_IMAGES) problems.push(`A set needs at least ${MIN_TRAINING_IMAGES} images; it has ${items.length}.`);
  if (items.length > MAX_TRAINING_IMAGES) problems.push(`A set holds at most ${MAX_TRAINING_IMAGES} images; it has ${items.length}.`);
  const undescribed = items.filter((item) => !item.description.trim()).length;
  if (undescribed) problems.push(`${undescribed === 1 ? 'One image needs' : `${undescribed} images need`} a short description.`);
  const warnings: string[] = [];
  if (items.length >= 2) {
    let total = 0;
    let pairs = 0;
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++, pairs++) total += hashDistance(items[i]!.hash, items[j]!.hash);
    if (total / pairs < LITTLE_VARIETY_BITS) warnings.push('These images look much alike: a Style learns more from variety (other subjects, framings and light).');
  }
  return { ready: problems.length === 0, problems, warnings };
}
