// The API keeps its published contract: /openapi.json is the document made from the route
// declarations, every route the Worker serves is in it, /docs renders it, and a scripted
// session through every route (success and error) answers only what the document declares.
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/document';
import { createApp } from '../../edge/app';
import { inputLinker } from '../../edge/domain/provider-inputs';
import { Contract, type Document } from './contract';
import { waitForGeneration } from './generation-support';
import { paintedPng } from './pixels';
import { call, env, expectProblem, grant, json, latestCode, randomEmail } from './support';
import { storedImage } from './stored-image';
import { eq } from 'drizzle-orm';
import { styles } from '../../edge/db/schema';
import { encodePngInBands } from '../../shared/imaging/png-encode';
import { promptComponents } from '../../shared/style/prompt';
import { paintScene } from '../../shared/style/render';
import { db } from './db';
import { waitForStyle } from './style-training-support';
import { signedDelivery, stripeEvent } from '../fakes/stripe';

const served = async () => json<Document>(await call('/openapi.json'));

async function waitForVariants(api: Contract, token: string, imageId: string) {
  for (let i = 0; i < 400; i++) {
    const { items } = await json(await api.call(`/v1/images/${imageId}/variants`, { token }));
    if (items.length && items.every((v: any) => v.status !== 'queued')) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('variants never finished');
}

describe('the OpenAPI document', () => {
  it('is served at /openapi.json as OpenAPI 3.1, made from the same declarations the routers serve', async () => {
    const response = await call('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = await json(response);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument('http://127.0.0.1:8787'))));
    const routed = createApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const operations = (paths: Record<string, object>) => Object.entries(paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`)).sort();
    expect(operations(routed.paths as Record<string, object>)).toEqual(operations(doc.paths));
  });

  it('keeps /dev out of the document, and /dev answers 404 outside development', async () => {
    expect(Object.keys((await served()).paths).filter((p) => p.startsWith('/dev'))).toEqual([]);
    const production = { ...env, ENVIRONMENT: 'production' };
    const outbox = await createApp().fetch(new Request('http://127.0.0.1/dev/outbox'), production, createExecutionContext());
    expect(outbox.status).toBe(404);
    expect(outbox.headers.get('content-type')).toBe('application/problem+json');
  });

  it('renders an API reference at /docs from it, with its script and styles served by the Worker (no CDN)', async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("url: '/openapi.json'");
    const external = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => !url.startsWith('/'));
    expect(external).toEqual([]);
    const script = await call('/docs/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('SwaggerUIBundle');
    const styles = await call('/docs/swagger-ui.css');
    expect(styles.headers.get('content-type')).toMatch(/^text\/css/);
    // Only those two files: the rest of the asset folder is not served.
    await expectProblem(await call('/docs/package.json'), 404, 'not_found');
    await expectProblem(await call('/package.json'), 404, 'not_found');
  });
});

describe('the contract', () => {
  it('fails a response the document does not declare', async () => {
    const api = new Contract(await served());
    const undeclared = new Response(JSON.stringify({ sent: 'yes' }), { status: 202, headers: { 'content-type': 'application/json' } });
    await expect(api.check('POST', '/v1/auth/email/start', undeclared)).rejects.toThrow(/does not match/);
    await expect(api.check('POST', '/v1/auth/email/start', new Response('{}', { status: 418, headers: { 'content-type': 'application/json' } }))).rejects.toThrow(/not declared/);
    await expect(api.check('GET', '/v1/me', new Response('<p>hi</p>', { status: 200, headers: { 'content-type': 'text/html' } }))).rejects.toThrow(/not declared/);
    // Shapes behind a $ref are held too.
    const me = new Response(JSON.stringify({ id: 1, email: 'a@b.test' }), { status: 200, headers: { 'content-type': 'application/json' } });
    await expect(api.check('GET', '/v1/me', me)).rejects.toThrow(/does not match/);
    await expect(api.check('GET', '/v1/me', new Response(null, { status: 204 }))).rejects.toThrow(/not declared/);
    await expect(api.check('GET', '/v1/nowhere', new Response(null, { status: 204 }))).rejects.toThrow(/not in the document/);
  });

  it('holds for a session through every route, success and error', { timeout: 120_000 }, async () => {
    const api = new Contract(await served());
    const json_ = (body: unknown) => ({ json: body });
    const post = (path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) =>
      api.call(path, { method: 'POST', token, headers, ...(body === undefined ? {} : json_(body)) });

    expect((await api.call('/health')).status).toBe(200);

    // Sign-in, with its refusals.
    const email = randomEmail('contract');
    expect((await post('/v1/auth/email/start', { email })).status).toBe(202);
    expect((await post('/v1/auth/email/start', { email: 'not an email' })).status).toBe(422);
    expect((await api.call('/v1/auth/email/start', { method: 'POST', body: '{"email": ', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await post('/v1/auth/email/start', { email: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await post('/v1/auth/email/verify', { email, code: '000000' === (await latestCode(email)) ? '111111' : '000000' })).status).toBe(401);
    const pair = await json((await post('/v1/auth/email/verify', { email, code: await latestCode(email) })));
    const refreshed = await json(await post('/v1/auth/refresh', { refresh_token: pair.refresh_token }));
    expect((await post('/v1/auth/refresh', { refresh_token: pair.refresh_token })).status).toBe(401);
    // A reused refresh token ends the sign-in, its access tokens at once: sign in again.
    expect((await api.call('/v1/me', { token: refreshed.access_token })).status).toBe(401);
    expect((await post('/v1/auth/email/start', { email })).status).toBe(202);
    const token: string = (await json(await post('/v1/auth/email/verify', { email, code: await latestCode(email) }))).access_token;

    expect((await api.call('/v1/me', { token })).status).toBe(200);
    expect((await api.call('/v1/me')).status).toBe(401);

    // Live updates: a ticket, the socket it opens once, and the refusals.
    const { url: live } = await json(await post('/v1/events/ticket', undefined, token));
    expect((await post('/v1/events/ticket')).status).toBe(401);
    const liveAddress = new URL(live);
    const upgrade = { headers: { upgrade: 'websocket' } };
    const socket = await api.call(`${liveAddress.pathname}${liveAddress.search}`, upgrade);
    expect(socket.status).toBe(101);
    socket.webSocket!.accept();
    socket.webSocket!.close(1000, 'done');
    expect((await api.call(`${liveAddress.pathname}${liveAddress.search}`, upgrade)).status).toBe(401);
    expect((await api.call(`${liveAddress.pathname}${liveAddress.search}`)).status).toBe(400);
    expect((await api.call('/v1/events', upgrade)).status).toBe(422);

    // Credits.
    await grant(email, 200);
    expect((await api.call('/v1/credits', { token })).status).toBe(200);
    expect((await api.call('/v1/credits/ledger?limit=5', { token })).status).toBe(200);
    expect((await api.call('/v1/credits/ledger?limit=0', { token })).status).toBe(422);
    // Buying credits (the development checkout here), and the Stripe webhook, signed and forged.
    expect((await api.call('/v1/credits/packs')).status).toBe(200);
    expect((await post('/v1/credits/checkout', { pack_id: 'pack_100' }, token, { 'idempotency-key': 'contract-buy' })).status).toBe(201);
    expect((await post('/v1/credits/checkout', { pack_id: 'pack_500' }, token, { 'idempotency-key': 'contract-buy' })).status).toBe(409);
    expect((await post('/v1/credits/checkout', { pack_id: 'pack_9' }, token)).status).toBe(422);
    expect((await api.call('/v1/credits/purchases?limit=5', { token })).status).toBe(200);
    const stripeDelivery = await signedDelivery('http://127.0.0.1:8787/v1/webhooks/stripe', stripeEvent('customer.created', { id: 'cus_1', object: 'customer' }), env.STRIPE_WEBHOOK_SECRET!);
    const stripeBody = await stripeDelivery.text();
    expect((await api.call('/v1/webhooks/stripe', { method: 'POST', headers: stripeDelivery.headers, body: stripeBody })).status).toBe(200);
    expect((await api.call('/v1/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': 't=1,v1=00' }, body: stripeBody })).status).toBe(401);

    // The catalog and quotes.
    await call('/dev/seed', { method: 'POST', json: { email } });
    const { items: models } = await json(await api.call('/v1/models', { token }));
    expect((await api.call('/v1/models?kind=base&q=flux')).status).toBe(200);
    expect((await api.call('/v1/models?kind=nope')).status).toBe(422);
    expect((await api.call('/v1/models/flux-schnell')).status).toBe(200);
    expect((await api.call('/v1/models/no-such-model')).status).toBe(404);
    const body = { model_id: 'flux-schnell', prompt: 'a pier at dusk', batch: 1, resolution: 'sd', aspect_ratio: '1:1' };
    expect((await post('/v1/quotes', body, token)).status).toBe(200);
    expect((await post('/v1/quotes', { ...body, batch: 99 }, token)).status).toBe(422);
    expect((await post('/v1/quotes', [1, 2], token)).status).toBe(422);

    // Images: upload (with attribution), the same bytes again, the wrong kind of file.
    const png = paintedPng(96, 64, (x, y) => [x * 2, y * 3, 120]);
    const uploadHeaders = { 'content-type': 'image/png', 'x-page-title': encodeURIComponent('Café 🌊 100%') };
    const upload = await api.call('/v1/images', { method: 'POST', token, body: png, headers: uploadHeaders });
    expect(upload.status).toBe(201);
    const image = await json(upload);
    expect((await api.call('/v1/images', { method: 'POST', token, body: png, headers: uploadHeaders })).status).toBe(200);
    expect((await api.call('/v1/images', { method: 'POST', token, body: 'not an image', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await api.call(`/v1/images/${image.id}`, { token })).status).toBe(200);
    expect((await api.call(`/v1/images/${image.id}/thumb`, { token })).status).toBe(200);
    expect((await api.call(`/v1/images/${image.id}/preview`, { token })).status).toBe(200);
    expect((await api.call('/v1/images/img_nothing', { token })).status).toBe(404);

    // Generations and edits.
    const started = await api.call('/v1/generations', { method: 'POST', token, json: body, headers: { 'idempotency-key': 'contract-1' } });
    expect(started.status).toBe(202);
    const generation = await waitForGeneration(token, (await json(started)).id);
    expect((await api.call('/v1/generations', { method: 'POST', token, json: { ...body, prompt: 'else' }, headers: { 'idempotency-key': 'contract-1' } })).status).toBe(409);
    expect((await post('/v1/generations', { ...body, prompt: '' }, token)).status).toBe(422);
    expect((await api.call('/v1/generations?limit=10', { token })).status).toBe(200);
    expect((await api.call('/v1/generations?cursor=nope', { token })).status).toBe(422);
    expect((await api.call(`/v1/generations/${generation.id}`, { token })).status).toBe(200);
    expect((await api.call('/v1/generations/gen_nothing', { token })).status).toBe(404);
    expect((await post(`/v1/generations/${generation.id}/cancel`, undefined, token)).status).toBe(409);
    const toCancel = await json(await post('/v1/generations', { ...body, batch: 4 }, token));
    expect([200, 409]).toContain((await post(`/v1/generations/${toCancel.id}/cancel`, undefined, token)).status);
    const poor = await json(await post('/v1/auth/email/verify', await (async () => {
      const other = randomEmail('poor');
      await post('/v1/auth/email/start', { email: other });
      return { email: other, code: await latestCode(other) };
    })()));
    expect((await post('/v1/generations', body, poor.access_token)).status).toBe(402);
    expect((await post(`/v1/images/${image.id}/edits`, { op: 'recreate' }, token)).status).toBe(202);
    expect((await post(`/v1/images/${image.id}/edits`, { op: 'instruct' }, token)).status).toBe(422);

    // Reading images.
    expect((await post('/v1/image-to-prompt', { image_id: image.id }, token)).status).toBe(200);
    expect((await post('/v1/image-to-prompt', { image_id: 'img_nothing' }, token)).status).toBe(404);
    expect((await post('/v1/style-components', { image_ids: [image.id, generation.images[0].id] }, token)).status).toBe(200);
    expect((await post('/v1/style-components', { image_ids: [] }, token)).status).toBe(422);

    // Pins.
    const pin = await json(await post('/v1/pins', { kind: 'character', name: 'Ana', image_ids: [image.id] }, token));
    expect((await post('/v1/pins', { kind: 'character', name: '', image_ids: [] }, token)).status).toBe(422);
    expect((await api.call('/v1/pins', { token })).status).toBe(200);
    expect((await api.call(`/v1/pins/${pin.id}`, { token })).status).toBe(200);
    expect((await api.call(`/v1/pins/${pin.id}`, { method: 'PATCH', token, json: { name: 'Ana, side' } })).status).toBe(200);
    expect((await api.call(`/v1/pins/${pin.id}`, { method: 'PATCH', token, json: {} })).status).toBe(422);
    expect((await api.call(`/v1/pins/${pin.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await api.call(`/v1/pins/${pin.id}`, { token })).status).toBe(404);

    // Recipes: a blend measured from an image, saved, listed, read, refused twice, deleted.
    const blend = (await json(await post('/v1/style-components', { image_ids: [image.id] }, token))).blended;
    const recipe = await json(await post('/v1/recipes', { name: 'Warm dusk', components: blend }, token));
    expect((await post('/v1/recipes', { name: 'Warm dusk', components: blend }, token)).status).toBe(409);
    expect((await post('/v1/recipes', { name: 'Broken', components: { ...blend, palette: [{ hex: 'red', weight: 2 }] } }, token)).status).toBe(422);
    expect((await api.call('/v1/recipes', { token })).status).toBe(200);
    expect((await api.call(`/v1/recipes/${recipe.id}`, { token })).status).toBe(200);
    expect((await api.call(`/v1/recipes/${recipe.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await api.call(`/v1/recipes/${recipe.id}`, { token })).status).toBe(404);
    expect((await api.call(`/v1/recipes/${recipe.id}`, { method: 'DELETE', token })).status).toBe(404);

    // Licenses and their certificate, on an image of a verified Style.
    const style = models.find((m: any) => m.name === 'Dusk Harbour');
    const styled = await waitForGeneration(token, (await json(await post('/v1/generations', { ...body, model_id: style.id, resolution: 'hd' }, token))).id);
    const styledImage = styled.images[0].id;
    expect((await api.call(`/v1/images/${styledImage}/download`, { token })).status).toBe(403);
    expect((await post(`/v1/images/${styledImage}/upscale`, { size: '4k' }, token)).status).toBe(403);
    const bought = await api.call(`/v1/images/${styledImage}/license`, { method: 'POST', token, headers: { 'idempotency-key': 'lic-1' } });
    expect(bought.status).toBe(201);
    const license = await json(bought);
    expect((await api.call(`/v1/images/${styledImage}/license`, { method: 'POST', token, headers: { 'idempotency-key': 'lic-1' } })).status).toBe(200);
    expect((await api.call(`/v1/images/${generation.images[0].id}/license`, { method: 'POST', token })).status).toBe(422);
    expect((await api.call('/v1/licenses', { token })).status).toBe(200);
    expect((await api.call(`/v1/licenses/${license.id}`, { token })).status).toBe(200);
    expect((await api.call('/v1/licenses/lic_nothing', { token })).status).toBe(404);
    expect((await api.call(`/v1/licenses/${license.id}/certificate`)).status).toBe(200);
    expect((await api.call(`/v1/licenses/${license.id}/certificate`, { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await api.call('/v1/licenses/lic_nothing/certificate')).status).toBe(404);

    // Downloads and the licensed extras.
    const link = await api.call(`/v1/images/${styledImage}/download?format=png`, { token });
    expect(link.status).toBe(302);
    expect((await api.call(link.headers.get('location')!, { token })).status).toBe(200);
    expect((await api.call('/v1/files/not-a-token', { token })).status).toBe(403);
    expect((await api.call(`/v1/images/${styledImage}/download?format=bmp`, { token })).status).toBe(422);
    expect((await api.call(`/v1/images/${styledImage}/download?size=4k`, { token })).status).toBe(202);
    expect((await post(`/v1/images/${styledImage}/upscale`, { size: '8k' }, token)).status).toBe(202);
    expect((await post(`/v1/images/${styledImage}/upscale`, { size: '2k' }, token)).status).toBe(422);
    expect((await post(`/v1/images/${styledImage}/remove-background`, undefined, token)).status).toBe(202);
    expect((await post(`/v1/images/${styledImage}/vectorize`, undefined, token)).status).toBe(202);
    await waitForVariants(api, token, styledImage);
    const svg = await api.call(`/v1/images/${styledImage}/download?format=svg`, { token });
    expect(svg.status).toBe(302);
    expect((await api.call(svg.headers.get('location')!, { token })).status).toBe(200);

    // The provider self-check: an admin's only.
    expect((await api.call('/v1/admin/providers', { token })).status).toBe(403);
    const adminEmail = randomEmail('admin');
    await call('/dev/roles', { method: 'POST', json: { email: adminEmail, role: 'admin' } });
    expect((await post('/v1/auth/email/start', { email: adminEmail })).status).toBe(202);
    const admin = await json(await post('/v1/auth/email/verify', { email: adminEmail, code: await latestCode(adminEmail) }));
    expect((await api.call('/v1/admin/providers', { token: admin.access_token })).status).toBe(200);
    // A provider fetching a call's input by its link (made here as a provider call makes it).
    const inputAt = async (at: Date) => new URL(await inputLinker(env.AUTH_SECRET)('http://127.0.0.1:8787', `${(await storedImage(image.id)).r2_key}.preview.jpg`, at)).pathname;
    expect((await api.call(await inputAt(new Date()))).status).toBe(200);
    expect((await api.call(await inputAt(new Date(Date.now() - 3_600_000)))).status).toBe(410);
    expect((await api.call('/v1/provider-inputs/not-a-token')).status).toBe(404);

    // Styles: a training set, training offline, the quiz (a poor score and its free retrain, then
    // a pass), publishing, moderation, the library's pages, the profile, verification, earnings.
    await grant(email, 300);
    const looks = ['harbour at dusk, warm amber teal', 'fish market at dawn, cool blue', 'gulls over the pier, bright white sky', 'net mender in the rain, grey muted', 'lighthouse at night, deep blue gold', 'red boats in the sun, saturated'];
    const newSet = await post('/v1/training-sets', { name: 'Harbour studies' }, token);
    expect(newSet.status).toBe(201);
    const set = await json(newSet);
    expect((await post('/v1/training-sets', { name: ' ' }, token)).status).toBe(422);
    const setImages: string[] = [];
    for (const [i, look] of looks.entries()) {
      const raster = { width: 512, height: 512, rgba: paintScene({ width: 512, height: 512, seed: 31 + i * 7919, components: promptComponents(look) }) };
      const uploaded = await json(await call('/v1/images', { method: 'POST', token, body: (await encodePngInBands(raster)) as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'image/png' } }));
      expect((await post(`/v1/training-sets/${set.id}/images`, { image_id: uploaded.id, description: look }, token)).status).toBe(201);
      setImages.push(uploaded.id);
    }
    expect((await post(`/v1/training-sets/${set.id}/images`, { image_id: image.id, description: 'too small to train on' }, token)).status).toBe(422);
    expect((await post(`/v1/training-sets/${set.id}/images`, { image_id: 'img_nothing', description: 'x' }, token)).status).toBe(404);
    expect((await api.call(`/v1/training-sets/${set.id}/images/${setImages[0]}`, { method: 'PATCH', token, json: { description: 'harbour at dusk, two boats' } })).status).toBe(200);
    expect((await api.call(`/v1/training-sets/${set.id}/images/${setImages[5]}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await api.call(`/v1/training-sets/${set.id}/images/${setImages[5]}`, { method: 'DELETE', token })).status).toBe(404);
    expect((await api.call('/v1/training-sets', { token })).status).toBe(200);
    expect((await api.call(`/v1/training-sets/${set.id}`, { token })).status).toBe(200);
    expect((await api.call('/v1/training-sets/tset_nothing', { token })).status).toBe(404);
    const styleBody = { training_set_id: set.id, name: `Contract Harbour ${crypto.randomUUID().slice(0, 6)}`, visibility: 'public' };
    const training = await api.call('/v1/styles', { method: 'POST', token, json: styleBody, headers: { 'idempotency-key': 'style-1' } });
    expect(training.status).toBe(202);
    const styleId = (await json(training)).id as string;
    expect((await post('/v1/styles', { ...styleBody, visibility: 'secret' }, token)).status).toBe(422);
    expect((await post('/v1/styles', styleBody, poor.access_token)).status).toBe(404);
    const quizOf = async (version: number) => (await waitForStyle(token, styleId, (s) => s.status === 'quiz' && s.version === version && s.quiz?.samples.length > 0 && !s.quiz.outcome, 90_000)).quiz.samples as { image_id: string }[];
    const scored = (samples: { image_id: string }[], score: number) => ({ scores: samples.map((s) => ({ image_id: s.image_id, score })) });
    const firstQuiz = await quizOf(1);
    expect((await post(`/v1/styles/${styleId}/quiz`, scored(firstQuiz, 9), token)).status).toBe(422);
    expect((await post(`/v1/styles/${styleId}/quiz`, scored(firstQuiz, 1), token)).status).toBe(200);
    expect((await api.call(`/v1/styles/${styleId}/retrain`, { method: 'POST', token, headers: { 'idempotency-key': 'retrain-1' } })).status).toBe(202);
    const samples = (await quizOf(2)).map((s) => s.image_id);
    expect((await post(`/v1/styles/${styleId}/quiz`, scored(samples.map((image_id) => ({ image_id })), 5), token)).status).toBe(200);
    expect((await post(`/v1/styles/${styleId}/retrain`, undefined, token)).status).toBe(409);
    expect((await api.call('/v1/styles', { token })).status).toBe(200);
    expect((await api.call(`/v1/styles/${styleId}`, { token })).status).toBe(200);
    expect((await api.call('/v1/styles/sty_nothing', { token })).status).toBe(404);
    const publication = { title: 'Contract Harbour', title_image_id: samples[0], example_image_ids: samples.slice(1, 3), copyright_status: 'own_work' };
    expect((await post(`/v1/styles/${styleId}/publish`, { ...publication, title_image_id: image.id }, token)).status).toBe(422);
    expect((await post(`/v1/styles/${styleId}/publish`, publication, token)).status).toBe(200);
    expect((await post(`/v1/styles/${styleId}/publish`, publication, token)).status).toBe(409);
    expect((await api.call('/v1/moderation', { token })).status).toBe(403);
    const moderatorEmail = randomEmail('moderator');
    await call('/dev/roles', { method: 'POST', json: { email: moderatorEmail, role: 'moderator' } });
    await post('/v1/auth/email/start', { email: moderatorEmail });
    const moderator = (await json(await post('/v1/auth/email/verify', { email: moderatorEmail, code: await latestCode(moderatorEmail) }))).access_token as string;
    expect((await api.call('/v1/moderation?status=pending', { token: moderator })).status).toBe(200);
    expect((await api.call('/v1/moderation?status=maybe', { token: moderator })).status).toBe(422);
    expect((await api.call(`/v1/moderation/${styleId}/images/${setImages[0]}`, { token: moderator })).status).toBe(200);
    expect((await api.call(`/v1/moderation/${styleId}/images/${image.id}`, { token: moderator })).status).toBe(404);
    expect((await post(`/v1/moderation/${styleId}`, { decision: 'reject' }, moderator)).status).toBe(422);
    expect((await post(`/v1/moderation/${styleId}`, { decision: 'accept' }, moderator)).status).toBe(200);
    expect((await post(`/v1/moderation/${styleId}`, { decision: 'accept' }, moderator)).status).toBe(409);
    expect((await api.call('/v1/models?kind=artist&q=contract&sort=popular')).status).toBe(200);
    expect((await api.call(`/v1/models/${styleId}/examples/${samples[0]}`)).status).toBe(200);
    expect((await api.call(`/v1/models/${styleId}/examples/${image.id}`)).status).toBe(404);
    expect((await api.call('/v1/profile', { token })).status).toBe(200);
    const handle = `contract_${crypto.randomUUID().slice(0, 8)}`;
    expect((await api.call('/v1/profile', { method: 'PATCH', token, json: { handle, bio: 'Harbours, mostly.', avatar_image_id: setImages[1] } })).status).toBe(200);
    expect((await api.call('/v1/profile', { method: 'PATCH', token, json: {} })).status).toBe(422);
    expect((await api.call(`/v1/creators/${handle}`)).status).toBe(200);
    expect((await api.call(`/v1/creators/${handle}/avatar`)).status).toBe(200);
    expect((await api.call('/v1/creators/nobody_at_all')).status).toBe(404);
    expect((await post(`/v1/styles/${styleId}/verify`, { attestation: true }, token)).status).toBe(409);
    // The count as 25 people generating would leave it (test/edge/verification.test.ts makes them).
    await db().update(styles).set({ distinct_users: 25 }).where(eq(styles.id, styleId));
    expect((await post(`/v1/styles/${styleId}/verify`, { attestation: false }, token)).status).toBe(422);
    expect((await post(`/v1/styles/${styleId}/verify`, { attestation: true }, token)).status).toBe(200);
    expect((await api.call('/v1/earnings', { token })).status).toBe(200);

    // Webhooks: no provider is configured offline, so both are absent (404).
    expect((await post('/v1/webhooks/fal', {})).status).toBe(404);
    expect((await post('/v1/webhooks/replicate', {})).status).toBe(404);

    expect((await api.call(`/v1/images/${image.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await api.call(`/v1/images/${image.id}`, { method: 'DELETE', token })).status).toBe(404);
    expect((await post('/v1/auth/logout', {}, token)).status).toBe(204);

    // Every route answered with success at least once, but the webhooks (their success is
    // held to the document in the provider projects).
    expect(api.unexercised()).toEqual(['POST /v1/webhooks/fal', 'POST /v1/webhooks/replicate']);
  });
});
