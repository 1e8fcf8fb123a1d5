// How numbers read in the panel.
import type { PublicModel } from '../../shared/catalog/types';

export const credits = (n: number) => `${n.toLocaleString('en')} credit${n === 1 ? '' : 's'}`;

/** "2 credits per image" or "1–2 credits per image" across the model's resolutions. */
export function priceRange(model: Pick<PublicModel, 'resolutions'>): string {
  const prices = model.resolutions.map((r) => r.credits_per_image);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  return low === high ? `${credits(low)} per image` : `${low}–${high} credits per image`;
}

export const kindLabels: Record<PublicModel['kind'], string> = {
  base: 'Base model',
  artist: 'Artist Style',
  private: 'Private Style',
  agentic: 'Agentic',
};

/** What a model can do, in the words the catalog's `features` mean to a designer. */
export const featureLabels: Record<PublicModel['features'][number], string> = {
  reference: 'Reference image',
  image_to_prompt: 'Image to prompt',
  instruct: 'Instruct',
  character_pin: 'Character pin',
  product_pin: 'Product pin',
  replace: 'Replace',
  recreate: 'Recreate',
  erase: 'Erase',
};
