// A training set as the FLUX LoRA trainers (fal's and Replicate's) read it: a zip with each
// image beside a .txt of the same name holding its caption.
import { zipSync } from 'fflate';
import type { TrainingCall } from './types';

const extensionOf: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** image_001.png beside image_001.txt, and so on; stored, not deflated (images are compressed already). */
export function trainingArchive(call: TrainingCall): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  call.images.forEach((image, i) => {
    const name = `image_${String(i + 1).padStart(3, '0')}`;
    entries[`${name}.${extensionOf[image.contentType] ?? 'png'}`] = image.bytes;
    entries[`${name}.txt`] = new TextEncoder().encode(image.caption);
  });
  return zipSync(entries, { level: 0 });
}
