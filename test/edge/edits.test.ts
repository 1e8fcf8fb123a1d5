// Editing and describing images through HTTP, offline.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { createPng } from '../fakes/png';
import { generate, waitForGeneration } from './generation-support';
import { paintedPng } from './pixels';
import { call, expectProblem, grant, json, signIn } from './support';

/** Orange with a black blot in the upper middle. */
const twoTone = (width: number, height: number) =>
  paintedPng(width, height, (x, y) => (x > width / 3 && x < width / 2 && y > height / 3 && y < height / 2 ? [10, 10, 10] : [230, 140, 40]));

/** White (edit here) over the blot, a little larger, black elsewhere. */
const maskPng = (width: number, height: number) =>
  paintedPng(width, height, (x, y) => (x > width / 3 - 2 && x < width / 2 + 2 && y > height / 3 - 2 && y < height / 2 + 2 ? [255, 255, 255] : [0, 0, 0]));

async function upload(token: string, bytes: Uint8Array<ArrayBuffer>) {
  return json(await call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': 'image/png' } }));
}

async function pixelAt(token: string, imageId: string, fx: number, fy: number) {
  const image = PhotonImage.new_from_byteslice(new Uint8Array(await (await call(`/v1/images/${imageId}/preview`, { token })).arrayBuffer()));
  const w = image.get_width();
  const h = image.get_height();
  const px = image.get_raw_pixels();
  image.free();
  const i = (Math.floor(fy * h) * w + Math.floor(fx * w)) * 4;
  return { size: [w, h], rgb: [px[i]!, px[i + 1]!, px[i + 2]!] };
}

const edit = (token: string, imageId: string, body: Record<string, unknown>) => call(`/v1/images/${imageId}/edits`, { method: 'POST', token, json: body });

describe('editing an image', () => {
  it('erases the masked blot, keeping the size, at the catalog’s price', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const source = await upload(me.access_token, twoTone(240, 160));
    const mask = await upload(me.access_token, maskPng(240, 160));
    const started = await edit(me.access_token, source.id, { op: 'erase', mask_image_id: mask.id });
    expect(started.status).toBe(202);
    const done = await waitForGeneration(me.access_token, (await json(started)).id);
    expect(done).toMatchObject({ status: 'succeeded', operation: 'erase', model_id: 'flux-edit', source_image_id: source.id, cost: { charged: 3 }, warnings: [] });
    const centre = await pixelAt(me.access_token, done.images[0].id, 0.42, 0.42);
    expect(centre.size).toEqual([240, 160]);
    expect(centre.rgb[0]).toBeGreaterThan(150); // orange again, not the black blot
  });

  it('follows a colour instruction, and says plainly what it cannot do offline', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const source = await upload(me.access_token, createPng(64, 64, [120, 120, 120]));
    const warm = await waitForGeneration(me.access_token, (await json(await edit(me.access_token, source.id, { op: 'instruct', prompt: 'make it warmer' }))).id);
    expect(warm).toMatchObject({ status: 'succeeded', operation: 'instruct', source_image_id: source.id });
    const { rgb } = await pixelAt(me.access_token, warm.images[0].id, 0.5, 0.5);
    expect(rgb[0]! - rgb[2]!).toBeGreaterThan(30);
    const dragon = await waitForGeneration(me.access_token, (await json(await edit(me.access_token, source.id, { op: 'instruct', prompt: 'add a dragon' }))).id);
    expect(dragon).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 3 } });
    expect(dragon.error).toMatch(/understands colour and light instructions/);
  });

  it('recreates the whole image as a variation, and replaces a masked area from the prompt', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const source = await upload(me.access_token, twoTone(120, 120));
    const mask = await upload(me.access_token, maskPng(120, 120));
    const recreated = await waitForGeneration(me.access_token, (await json(await edit(me.access_token, source.id, { op: 'recreate' }))).id);
    expect(recreated).toMatchObject({ status: 'succeeded', operation: 'recreate', source_image_id: source.id });
    const replaced = await waitForGeneration(me.access_token, (await json(await edit(me.access_token, source.id, { op: 'replace', prompt: 'a blue ocean', mask_image_id: mask.id }))).id);
    expect(replaced).toMatchObject({ status: 'succeeded', operation: 'replace', source_image_id: source.id });
    // Replace painted the prompt's blue into the mask and left the rest orange.
    const inside = await pixelAt(me.access_token, replaced.images[0].id, 0.42, 0.42);
    const outside = await pixelAt(me.access_token, replaced.images[0].id, 0.85, 0.85);
    expect(inside.rgb[2]).toBeGreaterThan(inside.rgb[0]!);
    expect(outside.rgb[0]! - outside.rgb[2]!).toBeGreaterThan(120);
  });

  it('recreates only the masked area when given a mask', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const source = await upload(me.access_token, twoTone(120, 120));
    const mask = await upload(me.access_token, maskPng(120, 120));
    const recreated = await waitForGeneration(me.access_token, (await json(await edit(me.access_token, source.id, { op: 'recreate', mask_image_id: mask.id, seed: 4 }))).id);
    expect(recreated).toMatchObject({ status: 'succeeded', operation: 'recreate', source_image_id: source.id, cost: { charged: 3 } });
    // Outside the mask the source stands (orange, within the previews' JPEG error); inside, the black blot was painted over.
    const kept = (await pixelAt(me.access_token, recreated.images[0].id, 0.85, 0.15)).rgb;
    const original = (await pixelAt(me.access_token, source.id, 0.85, 0.15)).rgb;
    kept.forEach((v, i) => expect(Math.abs(v - original[i]!)).toBeLessThan(8));
    const inside = (await pixelAt(me.access_token, recreated.images[0].id, 0.42, 0.42)).rgb;
    expect(inside[0]! + inside[1]! + inside[2]!).toBeGreaterThan(60);
  });

  it('runs an edit asked of a model without it on the catalog’s edit model, and says so', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const source = await upload(me.access_token, twoTone(120, 80));
    const mask = await upload(me.access_token, maskPng(120, 80));
    const started = await edit(me.access_token, source.id, { op: 'erase', mask_image_id: mask.id, model_id: 'flux-schnell' });
    expect(started.status).toBe(202);
    const done = await waitForGeneration(me.access_token, (await json(started)).id);
    expect(done).toMatchObject({ status: 'succeeded', operation: 'erase', model_id: 'flux-edit', source_image_id: source.id, cost: { charged: 3 } });
    expect(done.warnings.map((w: any) => w.details)).toEqual(['FLUX.1 [schnell] has no Erase of its own; this edit ran on FLUX.1 Kontext & Fill.']);
    expect((await pixelAt(me.access_token, done.images[0].id, 0.42, 0.42)).rgb[0]).toBeGreaterThan(150);
  });

  it('refuses generating from a prompt on the edit model, pointing to the edits route', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const body = { model_id: 'flux-edit', prompt: 'a harbour', batch: 1, resolution: 'hd', aspect_ratio: '1:1' };
    for (const response of [await generate(me.access_token, body), await call('/v1/quotes', { method: 'POST', token: me.access_token, json: body })]) {
      const refused = await expectProblem(response, 422, 'validation_failed');
      expect(refused.errors).toEqual([{ path: 'model_id', message: 'FLUX.1 Kontext & Fill edits images: choose an image to edit (POST /v1/images/{id}/edits).' }]);
    }
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 10, held: 0, available: 10, owed: 0 });
  });

  it('refuses a mask that is unlicensed Style output, charging nothing', async () => {
    const me = await signIn();
    await call('/dev/seed', { method: 'POST', json: { email: me.email } });
    await grant(me.email, 100);
    const { items } = await json(await call('/v1/models', { token: me.access_token }));
    const style = items.find((m: any) => m.name === 'Dusk Harbour');
    const styled = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: style.id, prompt: 'boats at rest', batch: 1, resolution: 'hd', aspect_ratio: '1:1', seed: 5 }))).id);
    const locked = styled.images[0].id as string;
    expect(styled.images[0].policy).toMatchObject({ watermarked: true, licensed: false });
    const source = await upload(me.access_token, twoTone(64, 64));
    const before = await json(await call('/v1/credits', { token: me.access_token }));
    const refused = await expectProblem(await edit(me.access_token, source.id, { op: 'erase', mask_image_id: locked }), 403, 'not_licensed');
    expect(refused.errors).toEqual([{ path: 'mask_image_id', message: 'License this image first' }]);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual(before);
    expect((await json(await call('/v1/generations', { token: me.access_token }))).items.map((g: any) => g.id)).toEqual([styled.id]);
  });

  it('refuses what cannot work, naming the field, before charging anything', async () => {
    const me = await signIn();
    const other = await signIn();
    await grant(me.email, 10);
    const source = await upload(me.access_token, createPng(32, 32, [1, 2, 3]));
    const theirs = await upload(other.access_token, createPng(32, 32, [9, 9, 9]));
    expect((await expectProblem(await edit(me.access_token, source.id, { op: 'erase' }), 422, 'validation_failed')).errors[0].path).toBe('mask_image_id');
    expect((await expectProblem(await edit(me.access_token, source.id, { op: 'instruct' }), 422, 'validation_failed')).errors[0].path).toBe('prompt');
    expect((await expectProblem(await edit(me.access_token, source.id, { op: 'erase', mask_image_id: theirs.id }), 422, 'validation_failed')).errors[0].path).toBe('mask_image_id');
    expect((await expectProblem(await edit(me.access_token, source.id, { op: 'erase', mask_image_id: source.id, model_id: 'no-such-model' }), 422, 'validation_failed')).errors[0].path).toBe('model_id');
    await expectProblem(await edit(me.access_token, theirs.id, { op: 'recreate' }), 404, 'not_found');
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 10, held: 0, available: 10, owed: 0 });
  });
});

describe('describing images', () => {
  it('turns an image into a prompt from its pixels', async () => {
    const me = await signIn();
    const image = await upload(me.access_token, twoTone(80, 80));
    const described = await json(await call('/v1/image-to-prompt', { method: 'POST', token: me.access_token, json: { image_id: image.id } }));
    expect(described.prompt).toMatch(/^An image in .*orange/);
    // No captioner offline: colour, light and framing only, and no claim of what the image shows.
    expect(described.source).toBe('pixels');
    expect(described.attributes.subject).toBeUndefined();
    expect(described.prompt).not.toMatch(/subject/i);
    expect(described.attributes).toMatchObject({ palette: expect.any(Array), lighting: expect.any(String), grading: expect.stringMatching(/^warm/), composition: expect.any(String) });
    expect(described.attributes.palette[0]).toMatchObject({ hex: expect.stringMatching(/^#/), weight: expect.any(Number) });
  });

  it('measures and blends the style components of references', async () => {
    const me = await signIn();
    const a = await upload(me.access_token, createPng(32, 32, [240, 240, 240]));
    const b = await upload(me.access_token, createPng(32, 32, [15, 15, 15]));
    const result = await json(await call('/v1/style-components', { method: 'POST', token: me.access_token, json: { image_ids: [a.id, b.id] } }));
    expect(result.items.map((i: any) => i.image_id)).toEqual([a.id, b.id]);
    expect(result.items[0].lighting.key).toBeGreaterThan(0.8);
    expect(result.items[1].lighting.key).toBeLessThan(0.1);
    expect(result.blended.lighting.key).toBeCloseTo((result.items[0].lighting.key + result.items[1].lighting.key) / 2, 2);
    const eleven = Array.from({ length: 11 }, () => a.id);
    await expectProblem(await call('/v1/style-components', { method: 'POST', token: me.access_token, json: { image_ids: eleven } }), 422, 'validation_failed');
  });

  it('does not describe another user’s image', async () => {
    const me = await signIn();
    const other = await signIn();
    const theirs = await upload(other.access_token, createPng(8, 8, [1, 1, 1]));
    await expectProblem(await call('/v1/image-to-prompt', { method: 'POST', token: me.access_token, json: { image_id: theirs.id } }), 404, 'not_found');
    await expectProblem(await call('/v1/style-components', { method: 'POST', token: me.access_token, json: { image_ids: [theirs.id] } }), 404, 'not_found');
  });
});
