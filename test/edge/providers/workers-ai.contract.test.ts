// The Workers AI adapter against a binding that behaves as Workers AI's does.
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../edge/providers/types';
import { workersAiProvider } from '../../../edge/providers/workers-ai';
import { createPng } from '../../fakes/png';

/** The AI binding's shape: run(model, inputs) → { image: base64 } or throws InferenceUpstreamError. */
function fakeAi(fail?: string) {
  const calls: { model: string; inputs: Record<string, unknown> }[] = [];
  return {
    calls,
    async run(model: string, inputs: Record<string, unknown>) {
      calls.push({ model, inputs });
      if (fail) throw Object.assign(new Error(fail), { name: 'InferenceUpstreamError' });
      if (model.includes('llava')) return { description: ' A red kite over a field. ' };
      let s = '';
      for (const b of createPng(8, 8, [255, 0, 0])) s += String.fromCharCode(b);
      return { image: btoa(s) };
    },
  };
}

const call = { endpoint: '@cf/black-forest-labs/flux-1-schnell', prompt: 'a red kite', n: 2, size: { width: 1024, height: 1024 }, aspectRatio: '1:1', seed: 3 };

describe('Workers AI', () => {
  it('makes one image per call, synchronously, and says it picks its own size', async () => {
    const ai = fakeAi();
    const submitted = await workersAiProvider(ai).submit(call, null);
    expect(submitted.mode).toBe('sync');
    expect((submitted as any).outcome.images).toHaveLength(2);
    expect(ai.calls.map((c) => c.inputs)).toEqual([{ prompt: 'a red kite', steps: 4, seed: 3 }, { prompt: 'a red kite', steps: 4, seed: 4 }]);
    expect(submitted.warnings).toEqual([expect.objectContaining({ setting: 'size' })]);
  });

  it('retries out-of-capacity errors and not bad requests', async () => {
    const busy = await workersAiProvider(fakeAi('3040: Capacity temporarily exceeded')).submit(call, null).catch((e) => e);
    expect(busy).toBeInstanceOf(ProviderError);
    expect(busy.retryable).toBe(true);
    const bad = await workersAiProvider(fakeAi('5007: No such model')).submit(call, null).catch((e) => e);
    expect(bad.retryable).toBe(false);
  });

  it('captions an image for Image-to-Prompt', async () => {
    const ai = fakeAi();
    expect(await workersAiProvider(ai).caption({ bytes: new Uint8Array([1, 2, 3]), contentType: 'image/png' })).toBe('A red kite over a field.');
    expect(ai.calls[0]!.inputs).toMatchObject({ image: [1, 2, 3] });
  });
});
