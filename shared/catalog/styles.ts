// A Style as a model in the catalog: same interface as every generator, its license from the
// policy. A Style trained at a provider runs there with its trained weights (fal: FLUX with its
// LoRA; Replicate: the version the training pushed), and the offline renderer, painting from
// its measured style, stays behind it for a deployment where that provider is not configured.
import { modelLicense } from '../license';
import type { StyleVisibility } from '../statuses';
import type { StyleComponents } from '../style/components';
import type { Model, ProviderRoute } from './types';

export interface StyleRecord {
  id: string;
  name: string;
  description: string;
  visibility: StyleVisibility;
  verified: boolean;
  components: StyleComponents;
  creator: { handle: string; display_name: string } | null;
  /** The current version's trained weights at a provider (styles.weights); none when it trained offline. */
  weights?: StyleWeights | null;
}

/** What a training made, and where: fal's LoRA file, or the Replicate version it pushed. */
export type StyleWeights = { provider: 'fal'; kind: 'lora'; url: string } | { provider: 'replicate'; kind: 'version'; version: string };

/** fal's FLUX [dev] endpoint that takes `loras` (FAL_LORA_ENDPOINT in edge/providers/fal.ts). */
export const FAL_STYLE_ENDPOINT = 'fal-ai/flux-lora';

/** The word that calls a trained Style up in a prompt: trained with it, and put before every prompt it paints. */
export const styleTriggerWord = (styleId: string) => `STY${styleId.slice(-8).toUpperCase()}`;

/** Reads styles.weights (JSON), or null when absent or unreadable. */
export function parseStyleWeights(json: string | null | undefined): StyleWeights | null {
  if (!json) return null;
  try {
    const w = JSON.parse(json) as StyleWeights;
    if (w.provider === 'fal' && w.kind === 'lora' && typeof w.url === 'string') return w;
    if (w.provider === 'replicate' && w.kind === 'version' && typeof w.version === 'string') return w;
  } catch {
    // unreadable weights: the Style paints offline
  }
  return null;
}

function trainedRoutes(style: StyleRecord): ProviderRoute[] {
  const w = style.weights;
  if (!w) return [];
  const trigger_word = styleTriggerWord(style.id);
  if (w.provider === 'fal') return [{ id: 'fal', endpoint: FAL_STYLE_ENDPOINT, max_images_per_call: 4, options: { sizing: 'image_size', loras: [{ path: w.url, scale: 1 }], trigger_word } }];
  return [{ id: 'replicate', endpoint: w.version, max_images_per_call: 4, options: { trigger_word } }];
}

/** Credits for a per-image license of a Style's output. */
export const STYLE_LICENSE_PRICE = 20;

export function styleModel(style: StyleRecord): Model {
  const kind = style.visibility === 'public' ? 'artist' : 'private';
  return {
    id: style.id,
    kind,
    name: style.name,
    description: style.description || (kind === 'artist' ? 'An Artist Style from the community library.' : 'Your private Style.'),
    ...(style.creator ? { creator: style.creator } : {}),
    features: ['reference', 'image_to_prompt'],
    resolutions: [{ id: 'hd', width: 1024, height: 1024, credits_per_image: 3 }],
    aspect_ratios: ['1:1', '4:3', '3:4', '16:9', '9:16'],
    max_batch: 12,
    max_references: 1,
    license: modelLicense(kind, style.verified),
    ...(modelLicense(kind, style.verified) === 'per_image' ? { license_price: STYLE_LICENSE_PRICE } : {}),
    verified: style.verified,
    providers: [...trainedRoutes(style), { id: 'offline', endpoint: 'style', max_images_per_call: 12, options: { components: style.components } }],
  };
}

/**
 * What training a Style costs, in credits: the training run and its quiz samples together,
 * quoted before training, held when it starts and settled when it ends (refunded in full if
 * it fails). A retrain after a failed quiz or a rejection is free.
 */
export const STYLE_TRAINING_CREDITS = 120;
/** Sample images made for the quiz after each training. */
export const QUIZ_SAMPLE_COUNT = 6;
/** The quiz's samples are square, this many pixels a side: enough to judge a look, a quarter of a full image's work (and provider cost). */
export const QUIZ_SAMPLE_SIDE = 512;
/** The average score (1..5) a quiz needs to pass. */
export const QUIZ_PASS_AVERAGE = 3.5;
/** Distinct users (the creator not among them) who must receive an image before a public Style may be verified. */
export const VERIFICATION_USERS = 25;
/** Examples a published Style shows in the library (chosen from its generated results). */
export const MAX_STYLE_EXAMPLES = 8;
