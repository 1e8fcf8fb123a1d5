// A pin used in a generation: its images go to the provider with the call (offline, the
// Agentic blend measures them, so a pin of a red subject leans the picture red), only the
// caller's own pins are taken, and only by a model that takes that kind of pin.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { generate, waitForGeneration } from './generation-support';
import { paintedPng } from './pixels';
import { call, expectProblem, grant, json, signIn } from './support';

const agentic = { model_id: 'exactly-agentic', prompt: 'a portrait by the sea, blue water', batch: 1, resolution: 'hd', aspect_ratio: '1:1', seed: 21 };

async function upload(token: string, bytes: Uint8Array<ArrayBuffer>) {
  return json(await call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': 'image/png' } }));
}

const pin = async (token: string, kind: 'character' | 'product', imageIds: string[]) =>
  json(await call('/v1/pins', { method: 'POST', token, json: { kind, name: `${kind} ${crypto.randomUUID().slice(0, 4)}`, image_ids: imageIds } }));

/** Mean R − mean B over the whole preview. */
async function redness(token: string, imageId: string): Promise<number> {
  const image = PhotonImage.new_from_byteslice(new Uint8Array(await (await call(`/v1/images/${imageId}/preview`, { token })).arrayBuffer()));
  const px = image.get_raw_pixels();
  image.free();
  let lead = 0;
  for (let i = 0; i < px.length; i += 4) lead += px[i]! - px[i + 2]!;
  return lead / (px.length / 4);
}

/** A red figure (a face-sized oval, shaded) on a dark red ground. */
const redSubject = paintedPng(96, 96, (x, y) => {
  const d = ((x - 48) / 26) ** 2 + ((y - 44) / 34) ** 2;
  return d < 1 ? [Math.round(230 - 60 * d), 50, 40] : [120, 20, 24];
});

describe('a pin used in a generation', () => {
  it('sends the pin’s images along: an Agentic picture with a red character pin leans red', async () => {
    const me = await signIn();
    await grant(me.email, 20);
    const character = await pin(me.access_token, 'character', [(await upload(me.access_token, redSubject)).id]);
    const without = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, agentic))).id);
    const withPin = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { ...agentic, pin_ids: [character.id] }))).id);
    expect(without).toMatchObject({ status: 'succeeded', cost: { charged: 4 } });
    expect(withPin).toMatchObject({ status: 'succeeded', cost: { charged: 4 } });
    const plain = await redness(me.access_token, without.images[0].id);
    const pinned = await redness(me.access_token, withPin.images[0].id);
    expect(plain).toBeLessThan(0);
    expect(pinned).toBeGreaterThan(plain + 50);
  });

  it('refuses another user’s pin as an unknown one, holding nothing', async () => {
    const me = await signIn();
    const other = await signIn();
    await grant(me.email, 20);
    const theirs = await pin(other.access_token, 'character', [(await upload(other.access_token, redSubject)).id]);
    const refused = await expectProblem(await generate(me.access_token, { ...agentic, pin_ids: [theirs.id] }), 422, 'validation_failed');
    const unknown = await expectProblem(await generate(me.access_token, { ...agentic, pin_ids: ['pin_doesnotexist'] }), 422, 'validation_failed');
    expect(refused.errors).toEqual([{ path: 'pin_ids.0', message: 'No such pin' }]);
    expect(refused.errors).toEqual(unknown.errors);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 20, held: 0, available: 20, owed: 0 });
    expect((await json(await call('/v1/generations', { token: me.access_token }))).items).toEqual([]);
  });

  it('refuses a product pin on a model that takes no pins, naming the field', async () => {
    const me = await signIn();
    await grant(me.email, 20);
    const product = await pin(me.access_token, 'product', [(await upload(me.access_token, redSubject)).id]);
    const schnell = { model_id: 'flux-schnell', prompt: 'a mug on a table', batch: 1, resolution: 'sd', aspect_ratio: '1:1', pin_ids: [product.id] };
    for (const response of [await generate(me.access_token, schnell), await call('/v1/quotes', { method: 'POST', token: me.access_token, json: schnell })]) {
      const refused = await expectProblem(response, 422, 'feature_not_supported');
      expect(refused.errors[0]).toMatchObject({ path: 'pin_ids', message: expect.stringMatching(/FLUX\.1 \[schnell\] does not take/) });
    }
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 20, held: 0, available: 20, owed: 0 });
  });
});
