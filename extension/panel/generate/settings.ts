// What the generate form holds, and how it follows the chosen model: every setting comes
// from that model's own lists.
import { z } from 'zod';
import type { GenerationBody } from '../../../shared/api/generation';
import type { PublicModel } from '../../../shared/catalog/types';

export const FormState = z.object({
  modelId: z.string(),
  prompt: z.string(),
  batch: z.number().int().positive(),
  resolution: z.string(),
  aspectRatio: z.string(),
});
export type FormState = z.infer<typeof FormState>;

/** Keeps what still fits when the model changes; otherwise the model's first choice. */
export function fitToModel(form: FormState, model: PublicModel): FormState {
  return {
    ...form,
    modelId: model.id,
    batch: Math.min(Math.max(1, form.batch), model.max_batch),
    resolution: model.resolutions.some((r) => r.id === form.resolution) ? form.resolution : model.resolutions[0]!.id,
    aspectRatio: model.aspect_ratios.includes(form.aspectRatio) ? form.aspectRatio : model.aspect_ratios[0]!,
  };
}

/** The request; references go along when the model takes them, up to its limit. */
export function toBody(form: FormState, model: PublicModel, referenceIds: string[] = []): GenerationBody {
  const references = model.features.includes('reference') ? referenceIds.slice(0, model.max_references) : [];
  return {
    model_id: form.modelId,
    prompt: form.prompt.trim(),
    batch: form.batch,
    resolution: form.resolution,
    aspect_ratio: form.aspectRatio,
    ...(references.length ? { reference_image_ids: references } : {}),
  };
}
