// Generating and describing through the real routes with Workers AI bound as `AI`.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { generate, waitForGeneration } from '../../edge/generation-support';
import { paintedPng } from '../../edge/pixels';
import { call, grant, json, signIn } from '../../edge/support';
import { useWorkersAi } from './support';

const ai = useWorkersAi();

describe('generating on Workers AI', () => {
  it('runs FLUX schnell one image per call, stores the real JPEGs, charges what was delivered and says what it could not honour', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const before = ai.log.length;
    const started = await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a red kite over a field', batch: 2, resolution: 'hd', aspect_ratio: '1:1', seed: 11 }));
    expect(started).toMatchObject({ status: 'queued', provider: 'workers-ai', cost: { held: 4 } });
    const done = await waitForGeneration(me.access_token, started.id);
    expect(done).toMatchObject({ status: 'succeeded', provider: 'workers-ai', cost: { held: 0, charged: 4, refunded: 0 } });
    expect(done.images).toHaveLength(2);
    expect(done.warnings.map((w: { setting?: string }) => w.setting)).toEqual(expect.arrayContaining(['size', 'seed']));
    expect(ai.log.slice(before)).toEqual([
      { model: '@cf/black-forest-labs/flux-1-schnell', inputs: { prompt: 'a red kite over a field', steps: 4 } },
      { model: '@cf/black-forest-labs/flux-1-schnell', inputs: { prompt: 'a red kite over a field', steps: 4 } },
    ]);
    const image = await json(await call(`/v1/images/${done.images[0].id}`, { token: me.access_token }));
    expect(image).toMatchObject({ kind: 'generated', width: 1024, height: 1024, model_id: 'flux-schnell' });
    const preview = PhotonImage.new_from_byteslice(new Uint8Array(await (await call(done.images[0].preview_url, { token: me.access_token })).arrayBuffer()));
    expect([preview.get_width(), preview.get_height()]).toEqual([1024, 1024]);
    preview.free();
  });

  it('waits out Workers AI being out of capacity and then delivers', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    ai.behaviour.failNext = [3040];
    const before = ai.log.length;
    const started = await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a kite', batch: 1, resolution: 'sd', aspect_ratio: '1:1' }));
    const done = await waitForGeneration(me.access_token, started.id, 20_000);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 1, refunded: 0 } });
    expect(ai.log.length - before).toBe(2); // refused once, then made
  });
});

describe('Image-to-Prompt with the Workers AI captioner', () => {
  it('puts the caption in front of what the pixels say', async () => {
    const me = await signIn();
    const png = paintedPng(64, 64, () => [230, 140, 40]);
    const image = await json(await call('/v1/images', { method: 'POST', token: me.access_token, body: png, headers: { 'content-type': 'image/png' } }));
    const before = ai.log.length;
    const described = await json(await call('/v1/image-to-prompt', { method: 'POST', token: me.access_token, json: { image_id: image.id } }));
    expect(described.source).toBe('caption+pixels');
    expect(described.prompt).toMatch(/^A \d+-byte photograph of a red kite flying over a green field\. An image in/);
    expect(described.attributes.subject).toMatch(/red kite/);
    const sent = ai.log.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.model).toBe('@cf/llava-hf/llava-1.5-7b-hf');
    // The unmarked preview's JPEG bytes, as the schema's array of byte values.
    expect((sent[0]!.inputs.image as number[]).slice(0, 3)).toEqual([0xff, 0xd8, 0xff]);
  });
});
