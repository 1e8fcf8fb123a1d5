// What fal is sent for a call's images: links on our own route that serve exactly the input
// (the preview of the image to edit, its mask, an upscale's original), never data URIs.
import { describe, expect, it } from 'vitest';
import { waitForGeneration } from '../../edge/generation-support';
import { paintedPng } from '../../edge/pixels';
import { storedImage } from '../../edge/stored-image';
import { BASE, call, env, grant, json, signIn } from '../../edge/support';
import { useFal } from '../network';

const fal = useFal();

const linkPattern = new RegExp(`^${BASE}/v1/provider-inputs/[\\w-]+\\.[0-9a-f]{64}$`);

async function upload(token: string, width: number, height: number, rgb: [number, number, number]) {
  return json(await call('/v1/images', { method: 'POST', token, body: paintedPng(width, height, () => rgb), headers: { 'content-type': 'image/png' } }));
}

/** What a link serves when fal fetches it: no token of ours, only the link. */
async function fetchedByFal(link: string) {
  const response = await call(new URL(link).pathname);
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

const r2Bytes = async (key: string) => new Uint8Array(await (await env.IMAGES.get(key))!.arrayBuffer());

describe('images sent to fal', () => {
  it('go to the fill endpoint as links to the image’s and the mask’s previews, the body carrying no image data', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const source = await upload(me.access_token, 640, 480, [200, 100, 50]);
    const mask = await upload(me.access_token, 640, 480, [255, 255, 255]);
    const before = fal().log.submits.length;
    const started = await json(await call(`/v1/images/${source.id}/edits`, { method: 'POST', token: me.access_token, json: { op: 'erase', mask_image_id: mask.id } }));
    expect(await waitForGeneration(me.access_token, started.id)).toMatchObject({ status: 'succeeded' });
    const submit = fal().log.submits[before]!;
    expect(submit.input.image_url).toMatch(linkPattern);
    expect(submit.input.mask_url).toMatch(linkPattern);
    expect(JSON.stringify(submit.input)).not.toContain('base64');
    expect(JSON.stringify(submit.input).length).toBeLessThan(2_000);
    for (const [link, image] of [[submit.input.image_url, source], [submit.input.mask_url, mask]] as const) {
      const served = await fetchedByFal(link);
      expect(served.type).toBe('image/jpeg');
      expect(served.bytes).toEqual(await r2Bytes(`${(await storedImage(image.id)).r2_key}.preview.jpg`));
    }
  });

  it('give the upscaler a link to the original itself, not the original inlined', async () => {
    const me = await signIn();
    const image = await upload(me.access_token, 1024, 512, [30, 80, 160]);
    const before = fal().log.submits.length;
    await call(`/v1/images/${image.id}/upscale`, { method: 'POST', token: me.access_token, json: { size: '4k' } });
    // The job runs to its end inside the test (fal answers from this isolate only while it runs).
    for (let i = 0; i < 400; i++) {
      const { items } = await json(await call(`/v1/images/${image.id}/variants`, { token: me.access_token }));
      if (items.some((v: any) => v.kind === 'upscale_4k' && v.status !== 'queued')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const submit = fal().log.submits[before]!;
    expect(submit.endpoint).toBe('fal-ai/esrgan');
    expect(submit.input.image_url).toMatch(linkPattern);
    const served = await fetchedByFal(submit.input.image_url);
    expect(served.type).toBe('image/png');
    expect(served.bytes).toEqual(await r2Bytes((await storedImage(image.id)).r2_key));
  });
});
