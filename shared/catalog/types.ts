// The shape of a generator in the catalog. The public part is what GET /v1/models returns;
// `provider` says where the Worker sends the work and never leaves the server.
import { z } from 'zod';

export const modelKinds = ['base', 'artist', 'private', 'agentic'] as const;
export type ModelKind = (typeof modelKinds)[number];

export const features = [
  'reference',
  'image_to_prompt',
  'instruct',
  'character_pin',
  'product_pin',
  'replace',
  'recreate',
  'erase',
] as const;
export type Feature = (typeof features)[number];

export const licenseKinds = ['free', 'per_image', 'not_available'] as const;
export type LicenseKind = (typeof licenseKinds)[number];

export const Resolution = z.object({
  id: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  credits_per_image: z.number().int().positive(),
});
export type Resolution = z.infer<typeof Resolution>;

export const PublicModel = z.object({
  id: z.string(),
  kind: z.enum(modelKinds),
  name: z.string(),
  description: z.string(),
  creator: z.object({ handle: z.string(), display_name: z.string() }).optional(),
  title_image_url: z.string().optional(),
  /** A published Style's examples (public previews), chosen by its creator from their results. */
  example_image_urls: z.array(z.string()).optional(),
  /** Artist Styles: how many distinct users have received an image from it (the library's popularity). */
  users: z.number().int().optional(),
  published_at: z.string().optional(),
  features: z.array(z.enum(features)),
  resolutions: z.array(Resolution).min(1),
  aspect_ratios: z.array(z.string()).min(1),
  max_batch: z.number().int().positive(),
  max_references: z.number().int().min(0),
  license: z.enum(licenseKinds),
  /** Credits for a per-image license of one output (per_image models only). */
  license_price: z.number().int().positive().optional(),
  /** What a license allows, in words (per_image models). */
  license_terms: z.string().optional(),
  verified: z.boolean(),
  /** It edits images and cannot make one from a prompt alone (the panel asks for the image to edit). */
  edit_only: z.boolean().optional(),
});
export type PublicModel = z.infer<typeof PublicModel>;

export const providerIds = ['fal', 'replicate', 'workers-ai', 'comfyui', 'offline'] as const;
export type ProviderId = (typeof providerIds)[number];

export interface ProviderRoute {
  /** Which adapter runs it: a network provider, or the embedded offline renderer. */
  id: ProviderId;
  endpoint: string;
  max_images_per_call: number;
  /** How this endpoint takes its inputs, passed to the adapter as provider options. */
  options?: Record<string, unknown>;
}

/** A model and where it runs, in order of preference: the first configured provider wins. */
export type Model = PublicModel & { providers: ProviderRoute[] };

/** The model an edit runs on when the caller names none (the API and the panel both). */
export const DEFAULT_EDIT_MODEL = 'flux-edit';

export const editOps = ['instruct', 'replace', 'recreate', 'erase'] as const satisfies readonly Feature[];
export type EditOp = (typeof editOps)[number];

/**
 * Editing tools work with any model: one that declares the edit runs it itself, any other
 * hands it to the catalog's edit model (DEFAULT_EDIT_MODEL). Undefined only when the catalog
 * given has no edit model at all.
 */
export function editModelFor<M extends PublicModel>(model: M | undefined, op: EditOp, models: readonly M[]): M | undefined {
  if (model?.features.includes(op)) return model;
  const fallback = models.find((m) => m.id === DEFAULT_EDIT_MODEL);
  return fallback?.features.includes(op) ? fallback : undefined;
}
