// Downloads through signed links: free and licensed images only, for their holder only, for
// five minutes, and never tampered with.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../edge/domain/auth/secrets';
import { grantDownload } from '../../edge/domain/downloads';
import { generate, waitForGeneration } from './generation-support';
import { call, env, expectProblem, grant, json, signIn } from './support';
import { storedImage } from './stored-image';

async function made(modelName: string | null) {
  const me = await signIn();
  await call('/dev/seed', { method: 'POST', json: { email: me.email } });
  await grant(me.email, 60);
  const { items } = await json(await call('/v1/models', { token: me.access_token }));
  const modelId = modelName ? items.find((m: any) => m.name === modelName).id : 'flux-schnell';
  const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: modelId, prompt: 'a pier', batch: 1, resolution: modelName ? 'hd' : 'sd', aspect_ratio: '1:1' }))).id);
  return { me, imageId: done.images[0].id as string };
}

async function download(token: string, imageId: string, query = '') {
  const first = await call(`/v1/images/${imageId}/download${query}`, { token, redirect: 'manual' });
  return first;
}

const shaOf = async (imageId: string) => (await storedImage(imageId)).sha256;

describe('downloading an image', () => {
  it('gives a free image through a signed link that serves the original', async () => {
    const { me, imageId } = await made(null);
    const redirect = await download(me.access_token, imageId);
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location).toMatch(/^\/v1\/files\/[\w-]+\.[0-9a-f]{64}$/);
    const file = await call(location, { token: me.access_token });
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="exactly-img_.*\.png"/);
    expect(await sha256Hex(new Uint8Array(await file.arrayBuffer()))).toBe(await shaOf(imageId));
    const jpg = await call((await download(me.access_token, imageId, '?format=jpg')).headers.get('location')!, { token: me.access_token });
    expect(jpg.headers.get('content-type')).toBe('image/jpeg');
    const decoded = PhotonImage.new_from_byteslice(new Uint8Array(await jpg.arrayBuffer()));
    expect(decoded.get_width()).toBe(512);
    decoded.free();
  });

  it('keeps an unlicensed Style image locked, and opens it once licensed', async () => {
    const { me, imageId } = await made('Dusk Harbour');
    const locked = await expectProblem(await download(me.access_token, imageId), 403, 'not_licensed');
    expect(locked.detail).toMatch(/License this image/);
    expect((await call(`/v1/images/${imageId}/license`, { method: 'POST', token: me.access_token })).status).toBe(201);
    const file = await call((await download(me.access_token, imageId)).headers.get('location')!, { token: me.access_token });
    expect(await sha256Hex(new Uint8Array(await file.arrayBuffer()))).toBe(await shaOf(imageId));
  });

  it('never gives an unverified Style’s image', async () => {
    const { me, imageId } = await made('Paper Cut');
    expect((await expectProblem(await download(me.access_token, imageId), 403, 'not_licensed')).detail).toMatch(/not verified/);
  });

  it('refuses tampered, expired and someone else’s links', async () => {
    const { me, imageId } = await made(null);
    const location = (await download(me.access_token, imageId)).headers.get('location')!;
    const [payload, signature] = location.slice('/v1/files/'.length).split('.');
    await expectProblem(await call(`/v1/files/${payload}x.${signature}`, { token: me.access_token }), 403, 'forbidden');
    await expectProblem(await call(`/v1/files/${payload}.${'0'.repeat(64)}`, { token: me.access_token }), 403, 'forbidden');
    const stale = await grantDownload(env.DB, env.AUTH_SECRET, { userId: me.user.id, imageId, format: 'original', now: new Date(Date.now() - 6 * 60_000) });
    expect((await expectProblem(await call(`/v1/files/${stale}`, { token: me.access_token }), 403, 'forbidden')).detail).toMatch(/expired/);
    const other = await signIn();
    expect((await expectProblem(await call(location, { token: other.access_token }), 403, 'forbidden')).detail).toMatch(/someone else/);
    await expectProblem(await call(location), 401, 'unauthorized');
    await expectProblem(await download(other.access_token, imageId), 404, 'not_found');
    expect((await expectProblem(await download(me.access_token, imageId, '?size=16k'), 422, 'validation_failed')).errors[0].path).toBe('size');
  });
});
