// The catalog's promises, checked on the data itself.
import { describe, expect, it } from 'vitest';
import { builtInModels, findModel, PublicModel, publicModel, searchModels } from '../../shared/catalog';

describe('the built-in catalog', () => {
  it('describes every model in the public shape, without provider routing', () => {
    for (const model of builtInModels) {
      expect(() => PublicModel.strict().parse(publicModel(model))).not.toThrow();
      expect(publicModel(model)).not.toHaveProperty('provider');
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

  it('gives every model batch 12, unique ids, unique resolution ids and a provider that can run it', () => {
    expect(new Set(builtInModels.map((m) => m.id)).size).toBe(builtInModels.length);
    for (const m of builtInModels) {
      expect(m.max_batch).toBe(12);
      expect(new Set(m.resolutions.map((r) => r.id)).size).toBe(m.resolutions.length);
      expect(m.aspect_ratios.every((a) => /^\d+:\d+$/.test(a))).toBe(true);
      expect(m.provider.max_images_per_call).toBeGreaterThan(0);
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
