// Image-to-Prompt and style components of the user's own images: measured from the pixels,
// and, where a captioning provider is configured, its words for what the image shows.
import { blendComponents, extractComponents, type StyleComponents } from '../../../shared/style/components';
import { describeComponents } from '../../../shared/style/describe';
import type { ImageRenderer } from '../../imaging/renderer';
import { measure } from '../../providers/offline';
import type { Captioner } from '../../providers/types';
import { type ImageRow, renditionBytes } from '../images';
import { DomainError } from '../errors';
import { imagesAsInput, listed } from '../inputs';

// Both read the unmarked preview (and send it to the captioner): only images that passed the gate.
async function componentsOf(bucket: R2Bucket, renderer: ImageRenderer, image: ImageRow): Promise<StyleComponents> {
  return measure(renderer, { bytes: await renditionBytes(bucket, renderer, image, 'preview'), contentType: 'image/jpeg' });
}

export async function imageToPrompt(
  deps: { db: D1Database; bucket: R2Bucket; renderer: ImageRenderer; captioner: Captioner | null },
  userId: string,
  imageId: string,
) {
  const image = (await imagesAsInput(deps.db, userId, [{ path: 'image_id', id: imageId }], 'not_found'))[0]!;
  const bytes = await renditionBytes(deps.bucket, deps.renderer, image, 'preview');
  const components = extractComponents(await deps.renderer.decode(bytes, 128));
  const described = describeComponents(components);
  let subject: string | undefined;
  if (deps.captioner) {
    try {
      subject = await deps.captioner.caption({ bytes, contentType: 'image/jpeg' });
    } catch (error) {
      // The measured description still stands; say the caption was missed only in the log.
      console.error('captioning failed; describing from pixels alone', error);
    }
  }
  return {
    prompt: subject ? `${subject.replace(/\.$/, '')}. ${described.prompt}` : described.prompt,
    attributes: { ...(subject ? { subject } : {}), ...described.attributes },
    source: subject ? 'caption+pixels' : 'pixels',
  };
}

export async function styleComponentsOf(deps: { db: D1Database; bucket: R2Bucket; renderer: ImageRenderer }, userId: string, imageIds: string[]) {
  const unique = [...new Set(imageIds)];
  if (unique.length !== imageIds.length) {
    throw new DomainError('validation_failed', 'An image is listed twice.', { errors: [{ path: 'image_ids', message: 'Each image once' }] });
  }
  const images = await imagesAsInput(deps.db, userId, listed('image_ids', imageIds), 'not_found');
  const items = [];
  for (const image of images) items.push({ image_id: image.id, ...(await componentsOf(deps.bucket, deps.renderer, image)) });
  return { items, blended: blendComponents(items.map(({ image_id: _id, ...components }) => ({ components }))) };
}
