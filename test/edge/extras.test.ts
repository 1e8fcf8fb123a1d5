// Licensed extras through HTTP: jobs that make a 4K or 8K upscale, a cut-out and an SVG,
// served by download; locked for images that may not be downloaded.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { generate, waitForGeneration } from './generation-support';
import { paintedPng } from './pixels';
import { call, expectProblem, grant, json, signIn } from './support';

async function upload(token: string, bytes: Uint8Array<ArrayBuffer>) {
  return json(await call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': 'image/png' } }));
}

async function waitForVariant(token: string, imageId: string, kind: string) {
  for (let i = 0; i < 200; i++) {
    const { items } = await json(await call(`/v1/images/${imageId}/variants`, { token }));
    const variant = items.find((v: any) => v.kind === kind);
    if (variant?.status === 'ready' || variant?.status === 'failed') return variant;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${kind} never finished`);
}

async function fetchDownload(token: string, imageId: string, query: string) {
  const redirect = await call(`/v1/images/${imageId}/download${query}`, { token, redirect: 'manual' });
  expect(redirect.status).toBe(302);
  return call(redirect.headers.get('location')!, { token });
}

function decode(bytes: ArrayBuffer) {
  const image = PhotonImage.new_from_byteslice(new Uint8Array(bytes));
  try {
    return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
  } finally {
    image.free();
  }
}

describe('licensed extras', () => {
  it('upscale to 4K and 8K with Lanczos, as jobs served by download', async () => {
    const me = await signIn();
    await grant(me.email, 5);
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a pier', batch: 1, resolution: 'sd', aspect_ratio: '1:1' }))).id);
    const imageId = done.images[0].id;
    const pending = await call(`/v1/images/${imageId}/download?size=4k`, { token: me.access_token, redirect: 'manual' });
    expect(pending.status).toBe(202);
    expect(await json(pending)).toMatchObject({ job: { kind: 'upscale_4k', status: 'queued' }, poll_url: `/v1/images/${imageId}/variants` });
    expect(await waitForVariant(me.access_token, imageId, 'upscale_4k')).toMatchObject({ status: 'ready', width: 3840, height: 3840 });
    const file = await fetchDownload(me.access_token, imageId, '?size=4k');
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(decode(await file.arrayBuffer())).toMatchObject({ width: 3840, height: 3840 });

    const wide = await upload(me.access_token, paintedPng(128, 32, (x) => [x * 2, 100, 200]));
    expect((await call(`/v1/images/${wide.id}/upscale`, { method: 'POST', token: me.access_token, json: { size: '8k' } })).status).toBe(202);
    expect(await waitForVariant(me.access_token, wide.id, 'upscale_8k')).toMatchObject({ status: 'ready', width: 7680, height: 1920 });
  });

  it('cut out the subject with a transparent background', async () => {
    const me = await signIn();
    const image = await upload(me.access_token, paintedPng(80, 60, (x, y) => (x > 25 && x < 55 && y > 15 && y < 45 ? [30, 60, 200] : [245, 245, 240])));
    expect((await call(`/v1/images/${image.id}/remove-background`, { method: 'POST', token: me.access_token })).status).toBe(202);
    await waitForVariant(me.access_token, image.id, 'no_background');
    const cut = decode(await (await fetchDownload(me.access_token, image.id, '?variant=no_background')).arrayBuffer());
    expect(cut.rgba[3]).toBe(0);
    expect(cut.rgba[(30 * 80 + 40) * 4 + 3]).toBe(255);
  });

  it('export an SVG of real paths that runs nothing when opened', async () => {
    const me = await signIn();
    const image = await upload(me.access_token, paintedPng(40, 20, (x) => (x < 20 ? [200, 40, 40] : [40, 160, 60])));
    await call(`/v1/images/${image.id}/vectorize`, { method: 'POST', token: me.access_token });
    await waitForVariant(me.access_token, image.id, 'svg');
    const file = await fetchDownload(me.access_token, image.id, '?format=svg');
    expect(file.headers.get('content-type')).toBe('image/svg+xml');
    expect(file.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const svg = await file.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 40 20"/);
    expect(svg.match(/<path /g)).toHaveLength(2);
  });

  it('are locked until the image is licensed', async () => {
    const me = await signIn();
    await call('/dev/seed', { method: 'POST', json: { email: me.email } });
    await grant(me.email, 40);
    const { items } = await json(await call('/v1/models', { token: me.access_token }));
    const dusk = items.find((m: any) => m.name === 'Dusk Harbour').id;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: dusk, prompt: 'x', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }))).id);
    const imageId = done.images[0].id;
    await expectProblem(await call(`/v1/images/${imageId}/upscale`, { method: 'POST', token: me.access_token, json: { size: '4k' } }), 403, 'not_licensed');
    await expectProblem(await call(`/v1/images/${imageId}/vectorize`, { method: 'POST', token: me.access_token }), 403, 'not_licensed');
    await expectProblem(await call(`/v1/images/${imageId}/download?format=svg`, { token: me.access_token }), 403, 'not_licensed');
    await call(`/v1/images/${imageId}/license`, { method: 'POST', token: me.access_token });
    expect((await call(`/v1/images/${imageId}/vectorize`, { method: 'POST', token: me.access_token })).status).toBe(202);
    const other = await signIn();
    await expectProblem(await call(`/v1/images/${imageId}/vectorize`, { method: 'POST', token: other.access_token }), 404, 'not_found');
  });
});
