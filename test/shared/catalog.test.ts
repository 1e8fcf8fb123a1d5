// The catalog's promises, checked on the data itself.
import { describe, expect, it } from 'vitest';
import { builtInModels, findModel, outputSize, PublicModel, publicModel, searchModels } from '../../shared/catalog';

describe('the built-in catalog', () => {
  it('describes every model in the public shape, without provider routing', () => {
    for (const model of builtInModels) {
      expect(() => PublicModel.strict().parse(publicModel(model))).not.toThrow();
      expect(publicModel(model)).not.toHaveProperty('providers');
    }
  });

  it('has at least two base models with different resolution lists and prices', () => {
    const base = builtInModels.filter((m) => m.kind === 'base');
    expect(base.length).toBeGreaterThanOrEqual(2);
    const signature = (m: (typeof base)[number]) => JSON.stringify(m.resolutions.map((r) => [r.id, r.width, r.height, r.credits_per_image]));
    expect(new Set(base.map(signature)).size).toBe(base.length);
  });

  it('has the Agentic model at 4 credits per image with up to 10 references, free to use', () => {
    const agentic = findModel('exactly-agentic')!;
    expect(agentic.kind).toBe('agentic');
    expect(agentic.max_references).toBe(10);
    expect(agentic.license).toBe('free');
    expect(new Set(agentic.resolutions.map((r) => r.credits_per_image))).toEqual(new Set([4]));
    expect(agentic.description).toMatch(/redistribut/i);
  });

  it('gives every model batch 12, unique ids, unique resolution ids and providers that can run it', () => {
    expect(new Set(builtInModels.map((m) => m.id)).size).toBe(builtInModels.length);
    for (const m of builtInModels) {
      expect(m.max_batch).toBe(12);
      expect(new Set(m.resolutions.map((r) => r.id)).size).toBe(m.resolutions.length);
      expect(m.aspect_ratios.every((a) => /^\d+:\d+$/.test(a))).toBe(true);
      for (const route of m.providers) expect(route.max_images_per_call).toBeGreaterThan(0);
      // One route per provider: a call finds its route by provider.
      expect(new Set(m.providers.map((r) => r.id)).size).toBe(m.providers.length);
      // Always runnable with no key: the offline renderer is the last resort.
      expect(m.providers.at(-1)!.id).toBe('offline');
      expect(m.features.includes('reference')).toBe(m.max_references > 0);
    }
  });

  it('searches by kind and by words in name or description', () => {
    expect(searchModels({ kind: 'base' }).every((m) => m.kind === 'base')).toBe(true);
    expect(searchModels({ q: 'photographic' }).map((m) => m.id)).toEqual(['flux-pro']);
    expect(searchModels({ q: '  ' })).toHaveLength(builtInModels.length);
    expect(searchModels({ kind: 'artist' })).toEqual([]);
  });
});

describe('output sizes', () => {
  it('keep the tier’s pixel budget at the aspect ratio, in multiples of 16', () => {
    expect(outputSize({ width: 1024, height: 1024 }, '1:1')).toEqual({ width: 1024, height: 1024 });
    expect(outputSize({ width: 1024, height: 1024 }, '16:9')).toEqual({ width: 1360, height: 768 });
    const tall = outputSize({ width: 2048, height: 2048 }, '9:16');
    expect(tall.width % 16 + tall.height % 16).toBe(0);
    expect(tall.width * tall.height / (2048 * 2048)).toBeCloseTo(1, 1);
  });
});
