// The generation API's promises, with the offline renderer: money never lost or spent
// twice, images that are someone else's never used, results deterministic.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { createPng } from '../fakes/png';
import { ledgerSums } from './db';
import { generate, waitForGeneration } from './generation-support';
import { call, expectProblem, grant, json, signIn } from './support';

const cheap = { model_id: 'flux-schnell', prompt: 'a small boat', batch: 1, resolution: 'sd', aspect_ratio: '1:1' };

async function account(credits: number) {
  const me = await signIn();
  if (credits) await grant(me.email, credits);
  return me;
}

async function upload(token: string, bytes: Uint8Array<ArrayBuffer>) {
  return json(await call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': 'image/png' } }));
}

async function ledgerMatches(me: { access_token: string; user: { id: string } }) {
  const credits = await json(await call('/v1/credits', { token: me.access_token }));
  const sums = await ledgerSums(me.user.id);
  expect([sums.amount, sums.held]).toEqual([credits.balance, credits.held]);
  return credits;
}

describe('paying for generations', () => {
  it('30 concurrent generations on a balance that covers 10: exactly 10 accepted, the rest 402', async () => {
    const me = await account(10);
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => generate(me.access_token, { ...cheap, prompt: `boat ${i}` })));
    const accepted = responses.filter((r) => r.status === 202);
    const refused = responses.filter((r) => r.status === 402);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const r of refused) expect(await json(r)).toMatchObject({ code: 'insufficient_credits', needed: 1 });
    const ids = await Promise.all(accepted.map(async (r) => (await json(r)).id));
    for (const id of ids) expect((await waitForGeneration(me.access_token, id)).status).toBe('succeeded');
    expect(await ledgerMatches(me)).toEqual({ balance: 0, held: 0, available: 0, owed: 0 });
  });

  it('replays a retried request with the same Idempotency-Key instead of paying twice', async () => {
    const me = await account(10);
    const first = await json(await generate(me.access_token, cheap, 'retry-1'));
    const replays = await Promise.all(Array.from({ length: 5 }, () => generate(me.access_token, cheap, 'retry-1')));
    for (const r of replays) {
      expect(r.status).toBe(202);
      expect((await json(r)).id).toBe(first.id);
    }
    await waitForGeneration(me.access_token, first.id);
    expect(await ledgerMatches(me)).toEqual({ balance: 9, held: 0, available: 9, owed: 0 });
    await expectProblem(await generate(me.access_token, { ...cheap, prompt: 'another boat' }, 'retry-1'), 409, 'conflict');
  });

  it('lets concurrent first requests with one key make one generation', async () => {
    const me = await account(10);
    const responses = await Promise.all(Array.from({ length: 6 }, () => generate(me.access_token, cheap, 'race-key')));
    const ids = new Set(await Promise.all(responses.map(async (r) => (await json(r)).id)));
    expect(ids.size).toBe(1);
    await waitForGeneration(me.access_token, [...ids][0]!);
    expect(await ledgerMatches(me)).toEqual({ balance: 9, held: 0, available: 9, owed: 0 });
  });

  it('names the field when the request breaks the model’s rules, charging nothing', async () => {
    const me = await account(10);
    const batch = await expectProblem(await generate(me.access_token, { ...cheap, batch: 13 }), 422, 'validation_failed');
    expect(batch.errors[0].path).toBe('batch');
    const prompt = await expectProblem(await generate(me.access_token, { ...cheap, prompt: '   ' }), 422, 'validation_failed');
    expect(prompt.errors[0].path).toBe('prompt');
    const ratio = await expectProblem(await generate(me.access_token, { ...cheap, aspect_ratio: '21:9' }), 422, 'validation_failed');
    expect(ratio.errors[0].path).toBe('aspect_ratio');
    const refs = await expectProblem(await generate(me.access_token, { ...cheap, reference_image_ids: ['img_x'] }), 422, 'feature_not_supported');
    expect(refs.errors[0].path).toBe('reference_image_ids');
    expect(await ledgerMatches(me)).toEqual({ balance: 10, held: 0, available: 10, owed: 0 });
  });
});

describe('images a generation uses', () => {
  it('must be the caller’s own', async () => {
    const owner = await account(0);
    const thief = await account(20);
    const theirs = await upload(owner.access_token, createPng(32, 32, [10, 200, 10]));
    const body = await expectProblem(
      await generate(thief.access_token, { model_id: 'exactly-agentic', prompt: 'x', batch: 1, resolution: 'hd', aspect_ratio: '1:1', reference_image_ids: [theirs.id] }),
      422,
      'validation_failed',
    );
    expect(body.errors).toEqual([{ path: 'reference_image_ids.0', message: 'No such image' }]);
    expect((await json(await call('/v1/credits', { token: thief.access_token }))).held).toBe(0);
  });

  it('shape an Agentic image: a green reference makes a green picture', async () => {
    const me = await account(20);
    const green = await upload(me.access_token, createPng(48, 48, [20, 190, 40]));
    const request = { model_id: 'exactly-agentic', prompt: 'a quiet harbour', batch: 1, resolution: 'hd', aspect_ratio: '1:1', seed: 11 };
    const plain = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, request))).id);
    const guided = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { ...request, reference_image_ids: [green.id], style_components: { [green.id]: { palette: 1, grading: 1 } } }))).id);
    const greenness = async (imageId: string) => {
      const image = PhotonImage.new_from_byteslice(new Uint8Array(await (await call(`/v1/images/${imageId}/thumb`, { token: me.access_token })).arrayBuffer()));
      const px = image.get_raw_pixels();
      image.free();
      let g = 0;
      for (let i = 0; i < px.length; i += 4) g += px[i + 1]! - (px[i]! + px[i + 2]!) / 2;
      return g / (px.length / 4);
    };
    expect(await greenness(guided.images[0].id)).toBeGreaterThan((await greenness(plain.images[0].id)) + 15);
  });

  it('are the same pixels for the same request and seed', async () => {
    const me = await account(20);
    const request = { ...cheap, seed: 99 };
    const a = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, request))).id);
    const b = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, request))).id);
    const sha = async (id: string) => (await json(await call(`/v1/images/${id}`, { token: me.access_token }))).sha256;
    expect(await sha(a.images[0].id)).toBe(await sha(b.images[0].id));
  });
});

describe('pins', () => {
  it('hold the owner’s images and work with a model that takes them', async () => {
    const me = await account(20);
    const face = await upload(me.access_token, createPng(24, 24, [220, 180, 150]));
    const created = await call('/v1/pins', { method: 'POST', token: me.access_token, json: { kind: 'character', name: 'Ada', image_ids: [face.id] } });
    expect(created.status).toBe(201);
    const pin = await json(created);
    expect(pin).toMatchObject({ kind: 'character', name: 'Ada', image_ids: [face.id] });
    const renamed = await json(await call(`/v1/pins/${pin.id}`, { method: 'PATCH', token: me.access_token, json: { name: 'Ada L.' } }));
    expect(renamed.name).toBe('Ada L.');
    expect((await json(await call('/v1/pins', { token: me.access_token }))).items.map((p: any) => p.id)).toEqual([pin.id]);

    const withPin = { model_id: 'exactly-agentic', prompt: 'Ada at the harbour', batch: 1, resolution: 'hd', aspect_ratio: '1:1', pin_ids: [pin.id] };
    expect((await waitForGeneration(me.access_token, (await json(await generate(me.access_token, withPin))).id)).status).toBe('succeeded');
    const unsupported = await expectProblem(await generate(me.access_token, { ...cheap, pin_ids: [pin.id] }), 422, 'feature_not_supported');
    expect(unsupported.errors[0].path).toBe('pin_ids');

    expect((await call(`/v1/pins/${pin.id}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);
    await expectProblem(await call(`/v1/pins/${pin.id}`, { token: me.access_token }), 404, 'not_found');
  });

  it('refuse another user’s images and are invisible to other users', async () => {
    const owner = await account(0);
    const other = await account(0);
    const image = await upload(owner.access_token, createPng(16, 16, [1, 2, 3]));
    const refused = await expectProblem(await call('/v1/pins', { method: 'POST', token: other.access_token, json: { kind: 'product', name: 'Mug', image_ids: [image.id] } }), 422, 'validation_failed');
    expect(refused.errors[0].path).toBe('image_ids.0');
    const pin = await json(await call('/v1/pins', { method: 'POST', token: owner.access_token, json: { kind: 'product', name: 'Mug', image_ids: [image.id] } }));
    await expectProblem(await call(`/v1/pins/${pin.id}`, { token: other.access_token }), 404, 'not_found');
    await expectProblem(await call(`/v1/pins/${pin.id}`, { method: 'DELETE', token: other.access_token }), 404, 'not_found');
    const tooMany = await expectProblem(await call('/v1/pins', { method: 'POST', token: owner.access_token, json: { kind: 'product', name: 'Mug', image_ids: Array.from({ length: 11 }, (_, i) => `img_${i}`) } }), 422, 'validation_failed');
    expect(tooMany.errors[0].path).toBe('image_ids');
  });
});

describe('reading generations', () => {
  it('lists the caller’s own, newest first, and hides others’', async () => {
    const me = await account(10);
    const other = await account(10);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await generate(me.access_token, { ...cheap, prompt: `boat ${i}` }))).id);
    const first = await json(await call('/v1/generations?limit=2', { token: me.access_token }));
    expect(first.items.map((g: any) => g.id)).toEqual([ids[2], ids[1]]);
    const second = await json(await call(`/v1/generations?limit=2&cursor=${first.next_cursor}`, { token: me.access_token }));
    expect(second).toMatchObject({ items: [{ id: ids[0] }], next_cursor: null });
    await expectProblem(await call(`/v1/generations/${ids[0]}`, { token: other.access_token }), 404, 'not_found');
    await expectProblem(await call(`/v1/generations/${ids[0]}/cancel`, { method: 'POST', token: other.access_token }), 404, 'not_found');
    expect((await json(await call('/v1/generations', { token: other.access_token }))).items).toEqual([]);
  });
});
