// The built-in generators: what each can do, at which sizes, for how many credits, and which
// provider endpoint runs it. One source of truth for the Worker (pricing, routing) and the
// extension (what the panel offers). Trained Styles join this list from D1 later.
import type { Model } from './types';

const sharedFluxAspectRatios = ['1:1', '4:3', '3:4', '16:9', '9:16'] as const;

export const builtInModels: readonly Model[] = [
  {
    id: 'flux-schnell',
    kind: 'base',
    name: 'FLUX.1 [schnell]',
    description: 'Fast drafts from a prompt. Downloadable and free for commercial use at once.',
    features: ['image_to_prompt'],
    resolutions: [
      { id: 'sd', width: 512, height: 512, credits_per_image: 1 },
      { id: 'hd', width: 1024, height: 1024, credits_per_image: 2 },
    ],
    aspect_ratios: [...sharedFluxAspectRatios],
    max_batch: 12,
    max_references: 0,
    license: 'free',
    verified: true,
    providers: [
      { id: 'fal', endpoint: 'fal-ai/flux/schnell', max_images_per_call: 4, options: { sizing: 'image_size' } },
      { id: 'replicate', endpoint: 'black-forest-labs/flux-schnell', max_images_per_call: 4 },
      { id: 'workers-ai', endpoint: '@cf/black-forest-labs/flux-1-schnell', max_images_per_call: 1 },
      { id: 'offline', endpoint: 'scene', max_images_per_call: 12 },
    ],
  },
  {
    id: 'flux-pro',
    kind: 'base',
    name: 'FLUX1.1 [pro]',
    description: 'Detailed, photographic images; follows a reference image. Free for commercial use.',
    features: ['reference', 'image_to_prompt'],
    resolutions: [
      { id: 'hd', width: 1024, height: 1024, credits_per_image: 5 },
      { id: '2k', width: 2048, height: 2048, credits_per_image: 9 },
    ],
    aspect_ratios: ['1:1', '3:2', '2:3', '16:9', '9:16', '21:9'],
    max_batch: 12,
    max_references: 1,
    license: 'free',
    verified: true,
    providers: [
      { id: 'fal', endpoint: 'fal-ai/flux-pro/v1.1-ultra', max_images_per_call: 4, options: { sizing: 'aspect_ratio', reference: 'image_url' } },
      { id: 'offline', endpoint: 'scene', max_images_per_call: 12 },
    ],
  },
  {
    id: 'flux-edit',
    kind: 'base',
    name: 'FLUX.1 Kontext & Fill',
    description: 'Edits an image: change it by instruction, replace or erase a masked area, or recreate it as a variation. Free for commercial use.',
    features: ['instruct', 'replace', 'recreate', 'erase', 'image_to_prompt'],
    edit_only: true,
    resolutions: [{ id: 'hd', width: 1024, height: 1024, credits_per_image: 3 }],
    aspect_ratios: ['1:1', '4:3', '3:4', '16:9', '9:16'],
    max_batch: 12,
    max_references: 0,
    license: 'free',
    verified: true,
    providers: [
      {
        id: 'fal',
        endpoint: 'fal-ai/flux-pro/kontext',
        max_images_per_call: 1,
        // Each edit runs on the endpoint made for it.
        options: {
          sizing: 'none',
          operations: {
            instruct: 'fal-ai/flux-pro/kontext',
            replace: 'fal-ai/flux-pro/v1/fill',
            erase: 'fal-ai/flux-pro/v1/fill',
            recreate: 'fal-ai/flux/dev/image-to-image',
          },
        },
      },
      { id: 'offline', endpoint: 'edit', max_images_per_call: 1 },
    ],
  },
  {
    id: 'sdxl',
    kind: 'base',
    name: 'Stable Diffusion XL',
    description:
      'Runs on your own GPU through ComfyUI when the studio is pointed at one: from a prompt, from a reference image, ' +
      'or editing a masked area. Free for commercial use.',
    features: ['reference', 'image_to_prompt', 'replace', 'recreate', 'erase'],
    resolutions: [
      { id: 'sd', width: 768, height: 768, credits_per_image: 1 },
      { id: 'hd', width: 1024, height: 1024, credits_per_image: 1 },
    ],
    aspect_ratios: ['1:1', '4:3', '3:4', '3:2', '2:3', '16:9', '9:16'],
    max_batch: 12,
    max_references: 1,
    license: 'free',
    verified: true,
    providers: [
      // The workflow (text-to-image, image-to-image, inpaint) follows from the call's inputs;
      // the checkpoint is the designer's (COMFYUI_CHECKPOINT), these are SDXL's usual settings.
      {
        id: 'comfyui',
        endpoint: 'sdxl',
        max_images_per_call: 4,
        options: { checkpoint: 'sd_xl_base_1.0.safetensors', steps: 25, cfg: 7, sampler_name: 'dpmpp_2m', scheduler: 'karras' },
      },
      // Offline, edits take the classical path the edit model uses.
      { id: 'offline', endpoint: 'scene', max_images_per_call: 12, options: { operations: { replace: 'edit', recreate: 'edit', erase: 'edit' } } },
    ],
  },
  {
    id: 'exactly-agentic',
    kind: 'agentic',
    name: 'Exactly 1.0 Agentic',
    description:
      'No training: builds the image from the composition, lighting, palette and grading of up to 10 references, ' +
      'blended one component at a time. Free for commercial use; redistributing the file as-is is not permitted.',
    features: ['reference', 'image_to_prompt', 'character_pin', 'product_pin'],
    resolutions: [
      { id: 'hd', width: 1024, height: 1024, credits_per_image: 4 },
      { id: '2k', width: 2048, height: 2048, credits_per_image: 4 },
    ],
    aspect_ratios: ['1:1', '4:5', '3:2', '2:3', '16:9', '9:16'],
    max_batch: 12,
    max_references: 10,
    license: 'free',
    verified: true,
    // Agentic composes from measured style components: our own pipeline, no provider model.
    providers: [{ id: 'offline', endpoint: 'agentic', max_images_per_call: 12 }],
  },
];
