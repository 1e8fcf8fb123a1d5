// The Workers AI adapter against a binding that holds it to each model's published schema.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../edge/providers/types';
import { workersAiProvider } from '../../../edge/providers/workers-ai';
import { builtInModels } from '../../../shared/catalog/models';
import { createPng } from '../../fakes/png';
import { createWorkersAiFake } from '../../fakes/workers-ai';

const endpoint = builtInModels.find((m) => m.id === 'flux-schnell')!.providers.find((r) => r.id === 'workers-ai')!.endpoint;
const call = { endpoint, prompt: 'a red kite', n: 2, size: { width: 1024, height: 1024 }, aspectRatio: '1:1', seed: 3 };

describe('Workers AI', () => {
  it('makes one real JPEG per call from the schema’s own fields, and says what it could not honour', async () => {
    const ai = createWorkersAiFake();
    const submitted = await workersAiProvider(ai.binding).submit(call, null);
    expect(submitted.mode).toBe('sync');
    const images = (submitted as any).outcome.images as { bytes: Uint8Array; contentType: string }[];
    expect(images).toHaveLength(2);
    expect(images[0]!.contentType).toBe('image/jpeg');
    const decoded = PhotonImage.new_from_byteslice(images[0]!.bytes);
    expect([decoded.get_width(), decoded.get_height()]).toEqual([1024, 1024]);
    decoded.free();
    expect(ai.log).toEqual([
      { model: '@cf/black-forest-labs/flux-1-schnell', inputs: { prompt: 'a red kite', steps: 4 } },
      { model: '@cf/black-forest-labs/flux-1-schnell', inputs: { prompt: 'a red kite', steps: 4 } },
    ]);
    expect(submitted.warnings.map((w) => w.setting)).toEqual(['size', 'seed']);
  });

  it('keeps a long prompt within the model’s 2048 characters, cutting between characters', async () => {
    const ai = createWorkersAiFake();
    await workersAiProvider(ai.binding).submit({ ...call, n: 1, prompt: '🪁'.repeat(3000) }, null);
    expect(Array.from(ai.log[0]!.inputs.prompt as string)).toHaveLength(2048);
  });

  it('the fake refuses what Workers AI refuses: an unknown model, a field outside the schema, a missing prompt', async () => {
    const ai = createWorkersAiFake();
    await expect(ai.binding.run('@cf/black-forest-labs/flux-1-schnel', { prompt: 'x' })).rejects.toMatchObject({ name: 'AiError', message: '5007: No such model @cf/black-forest-labs/flux-1-schnel or task' });
    await expect(ai.binding.run(endpoint, { prompt: 'x', seed: 1 })).rejects.toThrow(/^5006: .*additional properties: seed/);
    await expect(ai.binding.run(endpoint, { steps: 4 })).rejects.toThrow("5006: Error: required properties at '/' are 'prompt'");
    await expect(ai.binding.run(endpoint, { prompt: 'x', steps: 9 })).rejects.toThrow(/^5006: /);
  });

  it('reports a catalog endpoint Workers AI does not have as final, in its words', async () => {
    const failed = await workersAiProvider(createWorkersAiFake().binding).submit({ ...call, endpoint: '@cf/black-forest-labs/flux-1-schnel' }, null).catch((e) => e);
    expect(failed).toBeInstanceOf(ProviderError);
    expect(failed.retryable).toBe(false);
    expect(failed.message).toMatch(/No such model/);
  });

  it('retries out-of-capacity and spent-allocation refusals, and not bad requests', async () => {
    for (const code of [3040, 3036]) {
      const ai = createWorkersAiFake();
      ai.behaviour.failNext = [code];
      const busy = await workersAiProvider(ai.binding).submit(call, null).catch((e) => e);
      expect(busy).toBeInstanceOf(ProviderError);
      expect(busy.retryable).toBe(true);
    }
  });

  it('refuses to paint a trained Style it cannot load, before calling the model', async () => {
    const ai = createWorkersAiFake();
    const refused = await workersAiProvider(ai.binding).submit({ ...call, loras: [{ path: 'https://x.test/style.safetensors', scale: 1 }] }, null).catch((e) => e);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused.retryable).toBe(false);
    expect(ai.log).toEqual([]);
  });

  it('captions an image for Image-to-Prompt, sending its bytes as the schema asks', async () => {
    const ai = createWorkersAiFake();
    const png = createPng(8, 8, [255, 0, 0]);
    expect(await workersAiProvider(ai.binding).caption({ bytes: png, contentType: 'image/png' })).toBe(`A ${png.length}-byte photograph of a red kite flying over a green field.`);
    expect(ai.log[0]).toMatchObject({ model: '@cf/llava-hf/llava-1.5-7b-hf', inputs: { image: [...png], prompt: expect.any(String), max_tokens: expect.any(Number) } });
  });

  it('reports bytes that are no image as a final refusal', async () => {
    const failed = await workersAiProvider(createWorkersAiFake().binding).caption({ bytes: new Uint8Array([1, 2, 3]), contentType: 'image/png' }).catch((e) => e);
    expect(failed).toBeInstanceOf(ProviderError);
    expect(failed.retryable).toBe(false);
  });
});
