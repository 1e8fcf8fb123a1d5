// What a generation costs: credits per image for the model and resolution, times the batch.
// It also refuses what the model cannot do, naming the field, so nothing is quoted that
// would later be refused.
import type { QuoteBody } from './api/generation';
import type { FieldError } from './api/problem';
import type { Feature, Model } from './catalog/types';

export interface Price {
  model_id: string;
  credits_per_image: number;
  batch: number;
  total: number;
}

export type PriceResult =
  | { ok: true; price: Price }
  | { ok: false; code: 'validation_failed' | 'feature_not_supported'; errors: FieldError[] };

/** The features a request uses, each with the field that uses it. */
function featuresUsed(body: QuoteBody): { field: string; anyOf: Feature[] }[] {
  const used: { field: string; anyOf: Feature[] }[] = [];
  if (body.reference_image_ids?.length) used.push({ field: 'reference_image_ids', anyOf: ['reference'] });
  if (body.pin_ids?.length) used.push({ field: 'pin_ids', anyOf: ['character_pin', 'product_pin'] });
  return used;
}

export function priceGeneration(model: Model, body: QuoteBody): PriceResult {
  const unsupported: FieldError[] = [];
  for (const { field, anyOf } of featuresUsed(body)) {
    if (!anyOf.some((f) => model.features.includes(f))) {
      unsupported.push({ path: field, message: `${model.name} does not take ${anyOf.join(' or ')}` });
    }
  }
  if (body.style_components && model.kind !== 'agentic') {
    unsupported.push({ path: 'style_components', message: `${model.name} does not blend style components` });
  }
  if (body.recipe_id && model.kind !== 'agentic') {
    unsupported.push({ path: 'recipe_id', message: `${model.name} does not take recipes: they are Agentic blends` });
  }
  if (unsupported.length) return { ok: false, code: 'feature_not_supported', errors: unsupported };

  const invalid: FieldError[] = [];
  const resolution = model.resolutions.find((r) => r.id === body.resolution);
  if (!resolution) {
    invalid.push({
      path: 'resolution',
      message: `${model.name} offers ${model.resolutions.map((r) => r.id).join(', ')}`,
    });
  }
  if (!model.aspect_ratios.includes(body.aspect_ratio)) {
    invalid.push({ path: 'aspect_ratio', message: `${model.name} offers ${model.aspect_ratios.join(', ')}` });
  }
  if (!Number.isInteger(body.batch) || body.batch < 1 || body.batch > model.max_batch) {
    invalid.push({ path: 'batch', message: `Batch is 1 to ${model.max_batch} images` });
  }
  const references = body.reference_image_ids?.length ?? 0;
  if (references > model.max_references) {
    invalid.push({
      path: 'reference_image_ids',
      message: `${model.name} takes at most ${model.max_references} reference image${model.max_references === 1 ? '' : 's'}`,
    });
  }
  if (invalid.length || !resolution) return { ok: false, code: 'validation_failed', errors: invalid };

  return {
    ok: true,
    price: {
      model_id: model.id,
      credits_per_image: resolution.credits_per_image,
      batch: body.batch,
      total: resolution.credits_per_image * body.batch,
    },
  };
}
