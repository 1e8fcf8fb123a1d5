// Workers AI through the AI binding: synchronous, one image per call, returned as base64
// JPEG. Inputs are exactly the model's published schema (FLUX schnell takes a prompt and
// steps, nothing else). Errors arrive as InferenceUpstreamError "code: description"; timeouts
// and 3036 and 3040 (out of allocation or capacity) are worth retrying, the rest are final.
import { fromBase64 } from '../../shared/encoding';
import type { Captioner, ImageProvider, Warning } from './types';
import { ProviderError } from './types';

/** The part of the AI binding these adapters use (and the self-check: `models` lists what the account can run). */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
  models?(params?: { search?: string }): Promise<{ name: string }[]>;
}

const RETRYABLE_CODES = new Set(['3007', '3008', '3036', '3040']);
export const CAPTION_MODEL = '@cf/llava-hf/llava-1.5-7b-hf';
/** FLUX schnell's published limits: a prompt of 1–2048 characters, at most 8 steps (4 by default). */
const MAX_PROMPT = 2048;
const STEPS = 4;

function asProviderError(error: unknown): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  const code = /^(\d{4}):/.exec(message)?.[1];
  return new ProviderError(`Workers AI refused the request: ${message}`, { retryable: code ? RETRYABLE_CODES.has(code) : true });
}

export function workersAiProvider(ai: AiBinding): ImageProvider & Captioner {
  return {
    id: 'workers-ai',

    async submit(call) {
      // A Style painted without its weights would be a different image sold as that Style.
      if (call.loras?.length) throw new ProviderError('Workers AI cannot paint with a trained Style.', { retryable: false });
      const warnings: Warning[] = [{ type: 'unsupported-setting', setting: 'size', details: 'Workers AI FLUX picks its own size' }];
      if (call.seed !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'seed', details: 'Workers AI FLUX takes no seed: the same prompt may look different each time' });
      if (call.files?.length) warnings.push({ type: 'unsupported-setting', setting: 'files', details: 'Workers AI FLUX takes no reference image' });
      if (call.mask) warnings.push({ type: 'unsupported-setting', setting: 'mask', details: 'Workers AI FLUX takes no mask' });
      // Cut at a code point, never inside one.
      const prompt = Array.from(call.prompt).slice(0, MAX_PROMPT).join('');
      const images = [];
      for (let i = 0; i < call.n; i++) {
        let result: unknown;
        try {
          result = await ai.run(call.endpoint, { prompt, steps: STEPS });
        } catch (error) {
          throw asProviderError(error);
        }
        const image = (result as { image?: unknown })?.image;
        if (typeof image !== 'string') throw new ProviderError('Workers AI answered without an image', { retryable: false });
        images.push({ bytes: fromBase64(image), contentType: 'image/jpeg' });
      }
      return { mode: 'sync', outcome: { state: 'succeeded', images, rejected: 0 }, warnings };
    },

    async status() {
      return { state: 'failed', error: 'Workers AI answers when it is called.' };
    },

    async cancel() {},

    async caption(image) {
      let result: unknown;
      try {
        result = await ai.run(CAPTION_MODEL, { image: [...image.bytes], prompt: 'Describe this image as a prompt for an image generator: subject, medium, style.', max_tokens: 200 });
      } catch (error) {
        throw asProviderError(error);
      }
      const description = (result as { description?: unknown })?.description;
      if (typeof description !== 'string') throw new ProviderError('Workers AI answered without a description', { retryable: false });
      return description.trim();
    },
  };
}
