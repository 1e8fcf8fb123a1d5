// The body of a generation, which a quote takes too, and the quote itself.
import { z } from 'zod';
import { licenseKinds, providerIds } from '../catalog/types';
import { generationStatuses, imageKinds, openGenerationStatuses } from '../statuses';
import { Page } from './credits';

const Id = z.string().min(1).max(64);

export const StyleComponentWeights = z.record(
  z.string(),
  z.object({
    composition: z.number().min(0).max(1).optional(),
    lighting: z.number().min(0).max(1).optional(),
    palette: z.number().min(0).max(1).optional(),
    grading: z.number().min(0).max(1).optional(),
  }),
);

export const GenerationBody = z.object({
  model_id: Id,
  prompt: z.string().trim().min(1, { message: 'Write a prompt' }).max(4000),
  batch: z.number().int().min(1).max(12),
  resolution: z.string().min(1).max(32),
  aspect_ratio: z.string().min(1).max(16),
  reference_image_ids: z.array(Id).max(50).optional(),
  pin_ids: z.array(Id).max(10).optional(),
  style_components: StyleComponentWeights.optional(),
  /** Agentic: a saved blend (POST /v1/recipes), alone or mixed with the references' components. */
  recipe_id: Id.optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
});
export type GenerationBody = z.infer<typeof GenerationBody>;

/** A quote may be asked for before the prompt is written. */
export const QuoteBody = GenerationBody.extend({ prompt: z.string().max(4000).optional() });
export type QuoteBody = z.infer<typeof QuoteBody>;

export const Quote = z.object({
  model_id: z.string(),
  credits_per_image: z.number().int(),
  batch: z.number().int(),
  total: z.number().int(),
  available: z.number().int(),
  affordable: z.boolean(),
}).meta({ id: 'Quote' });
export type Quote = z.infer<typeof Quote>;


export const ImagePolicy = z.object({
  watermarked: z.boolean(),
  license: z.enum(licenseKinds),
  licensed: z.boolean(),
  downloadable: z.boolean(),
}).meta({ id: 'ImagePolicy' });

export const Generation = z.object({
  id: z.string(),
  model_id: z.string(),
  operation: z.string(),
  status: z.enum(generationStatuses),
  prompt: z.string(),
  batch: z.number().int(),
  resolution: z.string(),
  aspect_ratio: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  cost: z.object({ credits_per_image: z.number().int(), held: z.number().int(), charged: z.number().int(), refunded: z.number().int() }),
  progress: z.object({
    delivered: z.number().int(),
    pending: z.number().int(),
    /** While it runs, how far it has got (0–1), where its provider reports steps (ComfyUI); absent otherwise. */
    fraction: z.number().min(0).max(1).optional(),
  }),
  images: z.array(
    z.object({
      id: z.string(),
      status: z.literal('succeeded'),
      width: z.number().int(),
      height: z.number().int(),
      preview_url: z.string(),
      thumb_url: z.string(),
      policy: ImagePolicy,
    }),
  ),
  /** The seed the images were made from (a vary or an exact re-run starts from it). */
  seed: z.number().int().min(0),
  /** Edits: the image that was edited (the "before"). */
  source_image_id: z.string().optional(),
  /** Which provider made the images; `offline` is the embedded renderer, which paints colours and light, not subjects. */
  provider: z.enum(providerIds),
  warnings: z.array(z.object({ setting: z.string().optional(), details: z.string() })),
  error: z.string().optional(),
  created_at: z.string(),
  completed_at: z.string().optional(),
}).meta({ id: 'Generation' });
export type Generation = z.infer<typeof Generation>;

export const GenerationPage = Page(Generation);

export const isGenerationOpen = (g: Pick<Generation, 'status'>) => (openGenerationStatuses as readonly string[]).includes(g.status);

export const UploadedImage = z.object({
  id: z.string(),
  kind: z.enum(imageKinds),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  content_type: z.string(),
  source_url: z.string().nullable(),
  page_url: z.string().nullable(),
  page_title: z.string().nullable(),
  policy: ImagePolicy,
  preview_url: z.string(),
  thumb_url: z.string(),
  created_at: z.string(),
}).meta({ id: 'UploadedImage' });
export type UploadedImage = z.infer<typeof UploadedImage>;
