// The catalog over HTTP, and quotes priced from it.
import { describe, expect, it } from 'vitest';
import { builtInModels } from '../../shared/catalog';
import { call, expectProblem, grant, json, signIn } from './support';

const quote = (token: string, body: Record<string, unknown>) => call('/v1/quotes', { method: 'POST', token, json: body });
const schnell = { model_id: 'flux-schnell', prompt: 'a lighthouse at dusk', batch: 4, resolution: 'hd', aspect_ratio: '16:9' };

describe('GET /v1/models', () => {
  it('lists every built-in model without its provider routing', async () => {
    const { items, next_cursor } = await json(await call('/v1/models'));
    expect(items.map((m: any) => m.id)).toEqual(builtInModels.map((m) => m.id));
    expect(next_cursor).toBeNull();
    for (const m of items) {
      expect(m).not.toHaveProperty('providers');
      expect(m).toMatchObject({ max_batch: 12, features: expect.any(Array), resolutions: expect.any(Array), aspect_ratios: expect.any(Array) });
    }
  });

  it('filters by kind and by words', async () => {
    const agentic = await json(await call('/v1/models?kind=agentic'));
    expect(agentic.items.map((m: any) => m.id)).toEqual(['exactly-agentic']);
    const search = await json(await call('/v1/models?q=SCHNELL'));
    expect(search.items.map((m: any) => m.id)).toEqual(['flux-schnell']);
    await expectProblem(await call('/v1/models?kind=robot'), 422, 'validation_failed');
  });

  it('shows one model, or 404', async () => {
    expect(await json(await call('/v1/models/exactly-agentic'))).toMatchObject({ kind: 'agentic', max_references: 10, license: 'free' });
    await expectProblem(await call('/v1/models/nope'), 404, 'not_found');
  });
});

describe('POST /v1/quotes', () => {
  it('prices credits per image × batch against what is available', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    expect(await json(await quote(me.access_token, schnell))).toEqual({
      model_id: 'flux-schnell',
      credits_per_image: 2,
      batch: 4,
      total: 8,
      available: 10,
      affordable: true,
    });
    const big = await json(await quote(me.access_token, { ...schnell, batch: 12 }));
    expect(big).toMatchObject({ total: 24, affordable: false });
  });

  it('prices the Agentic model at 4 credits per image', async () => {
    const me = await signIn();
    const q = await json(await quote(me.access_token, { model_id: 'exactly-agentic', batch: 3, resolution: '2k', aspect_ratio: '4:5', reference_image_ids: ['a', 'b'] }));
    expect(q).toMatchObject({ credits_per_image: 4, total: 12 });
  });

  it('names the field when batch, resolution or aspect ratio are outside the model’s lists', async () => {
    const me = await signIn();
    for (const [field, value] of [['batch', 0], ['batch', 13], ['resolution', '2k'], ['aspect_ratio', '21:9']] as const) {
      const body = await expectProblem(await quote(me.access_token, { ...schnell, [field]: value }), 422, 'validation_failed');
      expect(body.errors.map((e: any) => e.path)).toContain(field);
    }
  });

  it('refuses a feature the model lacks with feature_not_supported', async () => {
    const me = await signIn();
    const refs = await expectProblem(await quote(me.access_token, { ...schnell, reference_image_ids: ['img_1'] }), 422, 'feature_not_supported');
    expect(refs.errors).toEqual([{ path: 'reference_image_ids', message: expect.stringMatching(/reference/) }]);
    const pins = await expectProblem(await quote(me.access_token, { ...schnell, pin_ids: ['pin_1'] }), 422, 'feature_not_supported');
    expect(pins.errors[0].path).toBe('pin_ids');
  });

  it('holds the Agentic model to 10 references', async () => {
    const me = await signIn();
    const eleven = Array.from({ length: 11 }, (_, i) => `img_${i}`);
    const body = await expectProblem(
      await quote(me.access_token, { model_id: 'exactly-agentic', batch: 1, resolution: 'hd', aspect_ratio: '1:1', reference_image_ids: eleven }),
      422,
      'validation_failed',
    );
    expect(body.errors[0].path).toBe('reference_image_ids');
  });

  it('refuses an unknown model and needs a signed-in user', async () => {
    const me = await signIn();
    const body = await expectProblem(await quote(me.access_token, { ...schnell, model_id: 'gpt-paint' }), 422, 'validation_failed');
    expect(body.errors[0].path).toBe('model_id');
    await expectProblem(await call('/v1/quotes', { method: 'POST', json: schnell }), 401, 'unauthorized');
  });
});
