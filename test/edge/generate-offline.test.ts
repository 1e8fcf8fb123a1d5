// Generating with the offline renderer: no key, no network, real images, exact settlement.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, grant, json, signIn } from './support';
import { generate, waitForGeneration } from './generation-support';

describe('generating offline', () => {
  it('renders the batch at the requested size and charges exactly what was delivered', async () => {
    const me = await signIn();
    await grant(me.email, 20);
    const started = await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a lighthouse at dusk', batch: 3, resolution: 'sd', aspect_ratio: '16:9', seed: 7 });
    expect(started.status).toBe(202);
    const queued = await json(started);
    expect(queued).toMatchObject({ status: 'queued', batch: 3, cost: { held: 3, charged: 0, refunded: 0 }, images: [], seed: 7, provider: 'offline' });
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 20, held: 3, available: 17, owed: 0 });

    const done = await waitForGeneration(me.access_token, queued.id);
    // The view says which renderer made it and from which seed, so the panel can say it honestly.
    expect(done).toMatchObject({ status: 'succeeded', cost: { held: 0, charged: 3, refunded: 0 }, progress: { delivered: 3, pending: 0 }, seed: 7, provider: 'offline' });
    expect(done.images).toHaveLength(3);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 17, held: 0, available: 17, owed: 0 });

    const full = await json(await call(`/v1/images/${done.images[0].id}`, { token: me.access_token }));
    expect(full).toMatchObject({ kind: 'generated', width: 688, height: 384, model_id: 'flux-schnell', generation_id: queued.id, policy: { watermarked: false, downloadable: true } });
    const preview = new Uint8Array(await (await call(done.images[0].preview_url, { token: me.access_token })).arrayBuffer());
    const image = PhotonImage.new_from_byteslice(preview);
    expect([image.get_width(), image.get_height()]).toEqual([688, 384]);
    image.free();
  });

  it('refuses a batch the balance cannot cover, changing nothing', async () => {
    const me = await signIn();
    await grant(me.email, 5);
    const body = await expectProblem(await generate(me.access_token, { model_id: 'exactly-agentic', prompt: 'x', batch: 2, resolution: 'hd', aspect_ratio: '1:1' }), 402, 'insufficient_credits');
    expect(body).toMatchObject({ needed: 8, available: 5 });
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 5, held: 0, available: 5, owed: 0 });
    expect((await json(await call('/v1/generations', { token: me.access_token }))).items).toEqual([]);
  });
});
