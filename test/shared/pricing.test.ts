// Cost = credits per image (model, resolution) × batch, and nothing quoted that cannot run.
import { describe, expect, it } from 'vitest';
import { QuoteBody } from '../../shared/api/generation';
import { builtInModels, findModel } from '../../shared/catalog';
import { priceGeneration } from '../../shared/pricing';

const pro = findModel('flux-pro')!;
const body = (over: Partial<QuoteBody> = {}): QuoteBody => ({ model_id: 'flux-pro', batch: 1, resolution: 'hd', aspect_ratio: '1:1', ...over });

describe('pricing a generation', () => {
  it('is credits per image × batch for every model, resolution and batch', () => {
    for (const model of builtInModels) {
      for (const resolution of model.resolutions) {
        for (const batch of [1, 5, 12]) {
          const result = priceGeneration(model, { model_id: model.id, batch, resolution: resolution.id, aspect_ratio: model.aspect_ratios[0]! });
          expect(result).toEqual({
            ok: true,
            price: { model_id: model.id, credits_per_image: resolution.credits_per_image, batch, total: resolution.credits_per_image * batch },
          });
        }
      }
    }
  });

  it('names each field outside the model’s lists', () => {
    const result = priceGeneration(pro, body({ batch: 13, resolution: 'sd', aspect_ratio: '5:4' }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('validation_failed');
      expect(result.errors.map((e) => e.path).sort()).toEqual(['aspect_ratio', 'batch', 'resolution']);
    }
  });

  it('refuses features before sizes: a model without pins says feature_not_supported', () => {
    const result = priceGeneration(pro, body({ pin_ids: ['p'], resolution: 'nope' }));
    expect(result).toMatchObject({ ok: false, code: 'feature_not_supported', errors: [{ path: 'pin_ids' }] });
  });

  it('allows style components only on the Agentic model', () => {
    const components = { img_1: { palette: 0.5 } };
    expect(priceGeneration(pro, body({ style_components: components }))).toMatchObject({ ok: false, errors: [{ path: 'style_components' }] });
    const agentic = findModel('exactly-agentic')!;
    expect(priceGeneration(agentic, { ...body({ style_components: components }), model_id: agentic.id }).ok).toBe(true);
  });

  it('caps references at the model’s own maximum', () => {
    expect(priceGeneration(pro, body({ reference_image_ids: ['a'] })).ok).toBe(true);
    expect(priceGeneration(pro, body({ reference_image_ids: ['a', 'b'] }))).toMatchObject({ ok: false, errors: [{ path: 'reference_image_ids' }] });
  });
});

describe('the generation body schema', () => {
  it('accepts a quote without a prompt but holds batch to 1..12', () => {
    expect(QuoteBody.safeParse(body()).success).toBe(true);
    expect(QuoteBody.safeParse(body({ batch: 0 })).success).toBe(false);
    expect(QuoteBody.safeParse(body({ batch: 12.5 })).success).toBe(false);
  });
});
