// Owning an image: watermarked previews proven in the pixels, per-image licenses bought
// atomically (with the creator's earning), and certificates anyone can check.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ledgerEntries, licenses, users } from '../../edge/db/schema';
import { sha256Hex } from '../../edge/domain/auth/secrets';
import { DEMO_CREATOR } from '../../edge/domain/seed';
import { photonRenderer } from '../../edge/imaging/photon';
import { markOf, watermarkSecret } from '../../edge/domain/watermark';
import { markOverlay } from '../../shared/imaging/watermark';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { call, env, expectProblem, grant, json, signIn } from './support';
import { storedImage } from './stored-image';

async function styleImage(styleName: string, credits = 50) {
  const me = await signIn();
  await call('/dev/seed', { method: 'POST', json: { email: me.email } });
  await grant(me.email, credits);
  const { items } = await json(await call('/v1/models', { token: me.access_token }));
  const model = items.find((m: any) => m.name === styleName);
  const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: model.id, prompt: 'boats at rest', batch: 1, resolution: 'hd', aspect_ratio: '1:1', seed: 5 }))).id);
  return { me, image: done.images[0], model };
}

function pixels(bytes: Uint8Array) {
  const image = PhotonImage.new_from_byteslice(bytes);
  try {
    return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
  } finally {
    image.free();
  }
}

const license = (token: string, imageId: string, key?: string) => call(`/v1/images/${imageId}/license`, { method: 'POST', token, headers: key ? { 'idempotency-key': key } : {} });
const balance = async (token: string) => (await json(await call('/v1/credits', { token }))).balance;
const earned = async (userId: string) =>
  (await db()
    .select({ n: sql<number>`COALESCE(SUM(${ledgerEntries.amount}), 0)` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.user_id, userId), eq(ledgerEntries.kind, 'earning')))
    .get())!.n;

describe('watermarked previews', () => {
  it('carry the mark in their pixels, tiled over the whole image, and leave the original untouched', async () => {
    const { me, image } = await styleImage('Dusk Harbour');
    const row = await storedImage(image.id);
    const original = new Uint8Array(await (await env.IMAGES.get(row.r2_key))!.arrayBuffer());
    const marked = pixels(new Uint8Array(await (await call(image.preview_url, { token: me.access_token })).arrayBuffer()));
    // Never the original's full resolution: at most three quarters of its longest side.
    expect([marked.width, marked.height]).toEqual([768, 768]);
    const clean = pixels((await photonRenderer.rendition(original, 768)).bytes);
    // Where this image's own mark (keyed by the server's secret) is opaque and light, the
    // preview is lighter than the clean picture; the mark covers the whole image.
    const overlay = markOverlay(marked.width, marked.height, await markOf(watermarkSecret(env), row.sha256)).rgba;
    let strokes = 0;
    let lighter = 0;
    const lum = (p: Uint8Array, i: number) => p[i]! + p[i + 1]! + p[i + 2]!;
    for (let i = 0; i < overlay.length; i += 4) {
      if (overlay[i + 3]! < 140 || lum(overlay, i) < 450) continue;
      strokes++;
      if (lum(marked.rgba, i) > lum(clean.rgba, i)) lighter++;
    }
    expect(strokes).toBeGreaterThan(500);
    expect(lighter / strokes).toBeGreaterThan(0.9);
    // The original in R2 is exactly what was generated.
    expect(await sha256Hex(original)).toBe(row.sha256);
    // The thumbnail is marked too.
    const thumb = await call(image.thumb_url, { token: me.access_token });
    expect(thumb.status).toBe(200);
  });

  it('leave free images unmarked', async () => {
    const me = await signIn();
    await grant(me.email, 5);
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'boats', batch: 1, resolution: 'sd', aspect_ratio: '1:1', seed: 5 }))).id);
    const row = await storedImage(done.images[0].id);
    const original = new Uint8Array(await (await env.IMAGES.get(row.r2_key))!.arrayBuffer());
    const preview = new Uint8Array(await (await call(done.images[0].preview_url, { token: me.access_token })).arrayBuffer());
    expect(preview).toEqual((await photonRenderer.rendition(original, 1024)).bytes);
  });
});

describe('buying a license', () => {
  it('debits the buyer, pays the creator their share, and unlocks the image', async () => {
    const { me, image } = await styleImage('Dusk Harbour');
    const creator = await db().select({ id: users.id }).from(users).where(eq(users.email, DEMO_CREATOR.email)).get();
    const earnedBefore = await earned(creator!.id);
    const before = await balance(me.access_token);
    const bought = await license(me.access_token, image.id, 'buy-1');
    expect(bought.status).toBe(201);
    const body = await json(bought);
    expect(body).toMatchObject({ id: expect.stringMatching(/^lic_/), image_id: image.id, price: 20, terms: expect.stringMatching(/royalty-free/), certificate_url: `/v1/licenses/${body.id}/certificate` });
    expect(await balance(me.access_token)).toBe(before - 20);
    const earnedAfter = await earned(creator!.id);
    expect(earnedAfter - earnedBefore).toBe(10);
    expect((await json(await call(`/v1/images/${image.id}`, { token: me.access_token }))).policy).toEqual({ watermarked: false, license: 'per_image', licensed: true, downloadable: true });
    // A retried purchase returns the same license and charges nothing more.
    const again = await license(me.access_token, image.id, 'buy-1');
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(body.id);
    expect(await balance(me.access_token)).toBe(before - 20);
    await expectProblem(await license(me.access_token, image.id, 'buy-2'), 409, 'conflict');
    expect((await json(await call('/v1/licenses', { token: me.access_token }))).items.map((l: any) => l.id)).toEqual([body.id]);
  });

  it('refuses an Idempotency-Key reused on another image as a key already used, charging nothing', async () => {
    const { me, image, model } = await styleImage('Dusk Harbour', 60);
    const second = (await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: model.id, prompt: 'a quay', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }))).id)).images[0];
    expect((await license(me.access_token, image.id, 'one-key')).status).toBe(201);
    const before = await balance(me.access_token);
    const reused = await expectProblem(await license(me.access_token, second.id, 'one-key'), 409, 'conflict');
    expect(reused.detail).toMatch(/Idempotency-Key was already used for a different request/);
    expect(reused.detail).not.toMatch(/already licensed/);
    expect(await balance(me.access_token)).toBe(before);
    expect((await json(await call(`/v1/images/${second.id}`, { token: me.access_token }))).policy.licensed).toBe(false);
    expect((await license(me.access_token, second.id, 'another-key')).status).toBe(201);
  });

  it('sells one license under 20 concurrent purchases of the same image: one license, one debit', async () => {
    const { me, image } = await styleImage('Dusk Harbour', 100);
    const before = await balance(me.access_token);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => license(me.access_token, image.id, `race-${i}`)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(19);
    expect(await balance(me.access_token)).toBe(before - 20);
    expect(await db().$count(licenses, eq(licenses.image_id, image.id))).toBe(1);
  });

  it('refuses what cannot be sold, changing nothing', async () => {
    const { image } = await styleImage('Dusk Harbour');
    const stranger = await signIn();
    await expectProblem(await license(stranger.access_token, image.id), 404, 'not_found');
    const paper = await styleImage('Paper Cut');
    const unverified = await expectProblem(await license(paper.me.access_token, paper.image.id), 422, 'validation_failed');
    expect(unverified.detail).toMatch(/not verified/);
    const free = await signIn();
    await grant(free.email, 5);
    const done = await waitForGeneration(free.access_token, (await json(await generate(free.access_token, { model_id: 'flux-schnell', prompt: 'x', batch: 1, resolution: 'sd', aspect_ratio: '1:1' }))).id);
    expect((await expectProblem(await license(free.access_token, done.images[0].id), 422, 'validation_failed')).detail).toMatch(/need no license/);
    const broke = await styleImage('Dusk Harbour', 3);
    const refused = await expectProblem(await license(broke.me.access_token, broke.image.id), 402, 'insufficient_credits');
    expect(refused).toMatchObject({ needed: 20, available: 0 });
    expect(await db().$count(licenses, eq(licenses.image_id, broke.image.id))).toBe(0);
  });
});

describe('an unlicensed Style image as input', () => {
  it('cannot be edited, used as a reference or pinned until licensed (no free copy, nothing sent out)', async () => {
    const { me, image } = await styleImage('Dusk Harbour', 80);
    await expectProblem(await call(`/v1/images/${image.id}/edits`, { method: 'POST', token: me.access_token, json: { op: 'recreate' } }), 403, 'not_licensed');
    const asReference = await expectProblem(
      await generate(me.access_token, { model_id: 'exactly-agentic', prompt: 'x', batch: 1, resolution: 'hd', aspect_ratio: '1:1', reference_image_ids: [image.id] }),
      403,
      'not_licensed',
    );
    expect(asReference.errors[0].path).toBe('reference_image_ids.0');
    await expectProblem(await call('/v1/pins', { method: 'POST', token: me.access_token, json: { kind: 'character', name: 'x', image_ids: [image.id] } }), 403, 'not_licensed');
    expect((await json(await call('/v1/credits', { token: me.access_token }))).held).toBe(0);
    await license(me.access_token, image.id);
    expect((await call(`/v1/images/${image.id}/edits`, { method: 'POST', token: me.access_token, json: { op: 'recreate' } })).status).toBe(202);
  });
});

describe('license certificates', () => {
  it('are public, state who holds which image, and show whether they are genuine', async () => {
    const { me, image } = await styleImage('Dusk Harbour');
    const bought = await json(await license(me.access_token, image.id));
    const stranger = await signIn();
    await expectProblem(await call(`/v1/licenses/${bought.id}`, { token: stranger.access_token }), 404, 'not_found');
    const cert = await json(await call(bought.certificate_url));
    const sha = (await storedImage(image.id)).sha256;
    expect(cert).toMatchObject({ license_id: bought.id, valid: true, image: { id: image.id, sha256: sha }, style: { name: 'Dusk Harbour', creator: DEMO_CREATOR.display_name }, terms: expect.stringMatching(/perpetual/) });
    const html = await call(bought.certificate_url, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toMatch(/This certificate is genuine/);
    // A certificate altered in the database no longer verifies.
    await db().update(licenses).set({ price: 1 }).where(eq(licenses.id, bought.id));
    expect((await json(await call(bought.certificate_url))).valid).toBe(false);
    await expectProblem(await call('/v1/licenses/lic_nope/certificate'), 404, 'not_found');
  });
});
