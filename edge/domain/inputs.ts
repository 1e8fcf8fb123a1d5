// The one license gate: the only way an image id becomes an input to other work (an edit's
// source and mask, references and Agentic references, pins, Image-to-Prompt, style
// components, upscales, cut-outs and SVGs). An input must be the caller's own image and one
// its policy lets leave unmarked; otherwise a free model would hand back, or a provider
// receive, the locked original.
import { DomainError, notFound } from './errors';
import { type ImageRow, ownImages } from './images';
import { imagePolicyOf } from './licenses';

/** One image a request names, and the field it named it in (said back in any problem). */
export interface ImageInput {
  path: string;
  id: string;
}

/** The ids of a list field, each with its own path: `reference_image_ids.2`. */
export const listed = (field: string, ids: readonly string[]): ImageInput[] => ids.map((id, i) => ({ path: `${field}.${i}`, id }));

export const lockedDetail =
  'That image is watermarked until it is licensed, so it cannot be edited, described, upscaled, or used as a reference, mask or pin yet.';

/**
 * The images named, in the order named, once each is the caller's own and free to use.
 * `missing` says how an image that is not the caller's is refused: `not_found` where the
 * image is the resource the request is about (`/v1/images/{id}/…`, Image-to-Prompt),
 * `validation_failed` naming the field where it is one input among others.
 */
export async function imagesAsInput(
  db: D1Database,
  userId: string,
  inputs: ImageInput[],
  missing: 'not_found' | 'validation_failed' = 'validation_failed',
): Promise<ImageRow[]> {
  const own = new Map((await ownImages(db, userId, [...new Set(inputs.map((i) => i.id))])).map((row) => [row.id, row]));
  const absent = inputs.filter((i) => !own.has(i.id));
  if (absent.length) {
    if (missing === 'not_found') throw notFound('That image');
    throw new DomainError('validation_failed', 'Some images were not found.', { errors: absent.map((i) => ({ path: i.path, message: 'No such image' })) });
  }
  const locked: ImageInput[] = [];
  const policies = new Map<string, boolean>();
  for (const input of inputs) {
    if (!policies.has(input.id)) policies.set(input.id, (await imagePolicyOf(db, own.get(input.id)!)).downloadable);
    if (!policies.get(input.id)) locked.push(input);
  }
  if (locked.length) {
    throw new DomainError('not_licensed', lockedDetail, { errors: locked.map((i) => ({ path: i.path, message: 'License this image first' })) });
  }
  return inputs.map((i) => own.get(i.id)!);
}
