// Workers AI through the AI binding: synchronous, one image per call, returned as base64
// JPEG. Errors arrive as InferenceUpstreamError "code: description"; 3036 and 3040 (out of
// allocation or capacity) are worth retrying, the rest are final.
import { fromBase64 } from '../../shared/encoding';
import type { Captioner, ImageProvider } from './types';
import { ProviderError } from './types';

/** The part of the AI binding these adapters use. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

const RETRYABLE_CODES = new Set(['3007', '3008', '3036', '3040']);
const CAPTION_MODEL = '@cf/llava-hf/llava-1.5-7b-hf';

function asProviderError(error: unknown): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  const code = /^(\d{4}):/.exec(message)?.[1];
  return new ProviderError(`Workers AI refused the request: ${message}`, { retryable: code ? RETRYABLE_CODES.has(code) : true });
}

export function workersAiProvider(ai: AiBinding): ImageProvider & Captioner {
  return {
    id: 'workers-ai',

    async submit(call) {
      const warnings = [
        { type: 'unsupported-setting' as const, setting: 'size', details: 'Workers AI FLUX picks its own size' },
        ...(call.files?.length ? [{ type: 'unsupported-setting' as const, setting: 'files', details: 'Workers AI FLUX takes no reference image' }] : []),
      ];
      const images = [];
      for (let i = 0; i < call.n; i++) {
        let result: unknown;
        try {
          result = await ai.run(call.endpoint, { prompt: call.prompt.slice(0, 2048), steps: 4, ...(call.seed !== undefined ? { seed: call.seed + i } : {}) });
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
