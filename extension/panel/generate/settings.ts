// What the generate form holds, and how it follows the chosen model: every setting comes
// from that model's own lists, and what goes along with a generation (references, pins,
// Agentic weights and recipe) only where the model takes it.
import { z } from 'zod';
import type { GenerationBody } from '../../../shared/api/generation';
import type { Pin } from '../../../shared/api/pins';
import type { PublicModel } from '../../../shared/catalog/types';
import { componentNames, type ComponentWeights } from '../../../shared/style/components';

const Weight = z.number().min(0).max(1);
export const ReferenceWeights = z.object(Object.fromEntries(componentNames.map((n) => [n, Weight.optional()])) as Record<(typeof componentNames)[number], z.ZodOptional<typeof Weight>>);

export const FormState = z.object({
  modelId: z.string(),
  prompt: z.string(),
  batch: z.number().int().positive(),
  resolution: z.string(),
  aspectRatio: z.string(),
  /** Pins switched on (each goes only with a model that takes its kind). */
  pinIds: z.array(z.string()).default([]),
  /** References (image ids) the designer turned off; the others go, in tray order, up to the model's limit. */
  skipped: z.array(z.string()).default([]),
  /** Agentic: per reference (image id), per component, a weight 0..1 (absent = 1; 0 = ignore). */
  weights: z.record(z.string(), ReferenceWeights).default({}),
  /** Agentic: a saved recipe blended in. */
  recipeId: z.string().nullable().default(null),
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

export const pinFeature = (kind: Pin['kind']) => (kind === 'character' ? 'character_pin' : 'product_pin');

/** The references that go with this model: the tray's ready images, minus the ones turned off, up to its limit. */
export function referencesFor(form: FormState, model: PublicModel, trayImageIds: string[]): string[] {
  if (!model.features.includes('reference')) return [];
  return trayImageIds.filter((id) => !form.skipped.includes(id)).slice(0, model.max_references);
}

/** The pins that go with this model: switched on, still there, and of a kind it takes. */
export function pinsFor(form: FormState, model: PublicModel, pins: Pick<Pin, 'id' | 'kind'>[]): string[] {
  return pins.filter((p) => form.pinIds.includes(p.id) && model.features.includes(pinFeature(p.kind))).map((p) => p.id);
}

/** Only the weights that differ from the default (1), for the references that go. */
function weightsFor(form: FormState, references: string[]): Record<string, ComponentWeights> | undefined {
  const chosen = Object.fromEntries(
    references
      .map((id) => [id, Object.fromEntries(Object.entries(form.weights[id] ?? {}).filter(([, w]) => w !== undefined && w !== 1))] as const)
      .filter(([, w]) => Object.keys(w).length),
  );
  return Object.keys(chosen).length ? chosen : undefined;
}

export interface Chosen {
  /** The references tray's uploaded images, in order. */
  trayImageIds?: string[];
  /** The user's pins (their kinds decide which the model takes). */
  pins?: Pick<Pin, 'id' | 'kind'>[];
}

/** The request: nothing goes along that the model does not take or the designer turned off. */
export function toBody(form: FormState, model: PublicModel, chosen: Chosen = {}): GenerationBody {
  const references = referencesFor(form, model, chosen.trayImageIds ?? []);
  const pinIds = pinsFor(form, model, chosen.pins ?? []);
  const agentic = model.kind === 'agentic';
  const weights = agentic ? weightsFor(form, references) : undefined;
  return {
    model_id: form.modelId,
    prompt: form.prompt.trim(),
    batch: form.batch,
    resolution: form.resolution,
    aspect_ratio: form.aspectRatio,
    ...(references.length ? { reference_image_ids: references } : {}),
    ...(pinIds.length ? { pin_ids: pinIds } : {}),
    ...(weights ? { style_components: weights } : {}),
    ...(agentic && form.recipeId ? { recipe_id: form.recipeId } : {}),
  };
}
