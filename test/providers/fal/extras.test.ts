// Licensed extras through fal's image tools: an 8K upscale chains two calls (the second fed
// the first's output address), cut-outs and SVGs come back as single images.
import { describe, expect, it } from 'vitest';
import { paintedPng } from '../../edge/pixels';
import { call, json, signIn } from '../../edge/support';
import { useFal } from '../network';

const fal = useFal();

async function upload(token: string) {
  return json(await call('/v1/images', { method: 'POST', token, body: paintedPng(1024, 512, (x) => [x % 256, 80, 160]), headers: { 'content-type': 'image/png' } }));
}

async function ready(token: string, imageId: string, kind: string) {
  for (let i = 0; i < 200; i++) {
    const { items } = await json(await call(`/v1/images/${imageId}/variants`, { token }));
    const v = items.find((x: any) => x.kind === kind);
    if (v && v.status !== 'queued') return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${kind} never finished`);
}

describe('extras at fal', () => {
  it('chain the upscaler to reach 8K, the second call fed the first output', async () => {
    const me = await signIn();
    const image = await upload(me.access_token);
    const before = fal().log.submits.length;
    await call(`/v1/images/${image.id}/upscale`, { method: 'POST', token: me.access_token, json: { size: '8k' } });
    expect(await ready(me.access_token, image.id, 'upscale_8k')).toMatchObject({ status: 'ready' });
    const submits = fal().log.submits.slice(before);
    expect(submits.map((s) => [s.endpoint, s.input.scale])).toEqual([
      ['fal-ai/esrgan', 4],
      ['fal-ai/esrgan', 2],
    ]);
    expect(submits[0]!.input.image_url).toMatch(/\/v1\/provider-inputs\//);
    expect(submits[1]!.input.image_url).toMatch(/^https:\/\/queue\.fal\.fake\/files\/.*-esrgan\.png$/);
  });

  it('cut out and vectorize with fal’s tools', async () => {
    const me = await signIn();
    const image = await upload(me.access_token);
    await call(`/v1/images/${image.id}/remove-background`, { method: 'POST', token: me.access_token });
    await call(`/v1/images/${image.id}/vectorize`, { method: 'POST', token: me.access_token });
    expect(await ready(me.access_token, image.id, 'no_background')).toMatchObject({ status: 'ready' });
    expect(await ready(me.access_token, image.id, 'svg')).toMatchObject({ status: 'ready' });
    const redirect = await call(`/v1/images/${image.id}/download?format=svg`, { token: me.access_token, redirect: 'manual' });
    const svg = await call(redirect.headers.get('location')!, { token: me.access_token });
    expect(await svg.text()).toMatch(/^<svg xmlns/);
    expect(fal().log.submits.some((s) => s.endpoint === 'fal-ai/birefnet')).toBe(true);
  });
});
