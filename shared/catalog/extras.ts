// Where each licensed extra runs, in order of preference, like the models: the first
// configured provider wins and the offline renderer is always last.
import type { ProviderRoute } from './types';

export const extraKinds = ['upscale_4k', 'upscale_8k', 'no_background', 'svg'] as const;
export type ExtraKind = (typeof extraKinds)[number];

/** fal's ESRGAN multiplies by up to 4: 8K takes two calls, the second fed the first's output. */
const upscaler: ProviderRoute = { id: 'fal', endpoint: 'fal-ai/esrgan', max_images_per_call: 1, options: { sizing: 'none', extra: 'upscale', scale: 4 } };

export const extraRoutes: Record<ExtraKind, ProviderRoute[]> = {
  upscale_4k: [upscaler, { id: 'offline', endpoint: 'upscale', max_images_per_call: 1 }],
  upscale_8k: [upscaler, { id: 'offline', endpoint: 'upscale', max_images_per_call: 1 }],
  no_background: [{ id: 'fal', endpoint: 'fal-ai/birefnet', max_images_per_call: 1, options: { sizing: 'none', extra: 'cutout' } }, { id: 'offline', endpoint: 'cutout', max_images_per_call: 1 }],
  svg: [{ id: 'fal', endpoint: 'fal-ai/recraft/vectorize', max_images_per_call: 1, options: { sizing: 'none', extra: 'vectorize' } }, { id: 'offline', endpoint: 'vectorize', max_images_per_call: 1 }],
};

/** Longest side of 4K and 8K (UHD). */
export const extraLongSides = { upscale_4k: 3840, upscale_8k: 7680 } as const;
