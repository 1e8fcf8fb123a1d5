// The one license gate, held over every image input of every route: a locked image (an
// unlicensed output of another creator's Style) is refused with the same problem everywhere,
// before anything is held or sent out; once licensed, or for the caller's own upload, the
// very same request goes through.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generations, generationTasks, pins } from '../../edge/db/schema';
import { newId } from '../../edge/db/ids';
import { submitTask } from '../../edge/domain/generations/run';
import { lockedDetail } from '../../edge/domain/inputs';
import { runDepsFor } from '../../edge/jobs/deps';
import type { ImageProvider } from '../../edge/providers/types';
import { createPng } from '../fakes/png';
import { db } from './db';
import { seededGeneration } from './generation-rows';
import { generate, waitForGeneration } from './generation-support';
import { call, env, expectProblem, grant, json, signIn } from './support';

interface Designer {
  token: string;
  userId: string;
  /** The caller's own upload, used beside the image under test where a request needs two. */
  upload: string;
  /** A pin written before the gate existed, holding the image under test. */
  stalePin: string;
}

async function lockedImage(token: string) {
  const { items } = await json(await call('/v1/models', { token }));
  const style = items.find((m: any) => m.name === 'Dusk Harbour');
  const done = await waitForGeneration(token, (await json(await generate(token, { model_id: style.id, prompt: 'boats at rest', batch: 1, resolution: 'hd', aspect_ratio: '1:1', seed: 5 }))).id);
  return done.images[0].id as string;
}

async function designer(imageUnderTest: (token: string) => Promise<string>) {
  const me = await signIn();
  await call('/dev/seed', { method: 'POST', json: { email: me.email } });
  await grant(me.email, 400);
  const userId = (await json(await call('/v1/me', { token: me.access_token }))).id as string;
  const upload = (await json(await call('/v1/images', { method: 'POST', token: me.access_token, body: createPng(64, 64, [200, 120, 40]), headers: { 'content-type': 'image/png' } }))).id as string;
  const image = await imageUnderTest(me.access_token);
  const stalePin = newId('pin');
  const now = new Date().toISOString();
  await db().insert(pins).values({ id: stalePin, user_id: userId, kind: 'character', name: 'from before the gate', image_ids: JSON.stringify([image]), created_at: now, updated_at: now });
  return { image, me: { token: me.access_token, userId, upload, stalePin } satisfies Designer };
}

const post = (token: string, path: string, body?: unknown) => call(path, { method: 'POST', token, ...(body === undefined ? {} : { json: body }) });
const agentic = { model_id: 'exactly-agentic', prompt: 'harbour light', batch: 1, resolution: 'hd', aspect_ratio: '1:1' };

/** Every image input of every route: the request naming `image`, and the field the problem names. */
const inputs: { route: string; field: string; path: string; send: (me: Designer, image: string) => Promise<Response> }[] = [
  { route: 'POST /v1/images/{id}/edits', field: 'source', path: 'id', send: (me, image) => post(me.token, `/v1/images/${image}/edits`, { op: 'recreate' }) },
  { route: 'POST /v1/images/{id}/edits', field: 'mask_image_id', path: 'mask_image_id', send: (me, image) => post(me.token, `/v1/images/${me.upload}/edits`, { op: 'erase', mask_image_id: image }) },
  {
    route: 'POST /v1/generations',
    field: 'reference_image_ids',
    path: 'reference_image_ids.0',
    send: (me, image) => generate(me.token, { model_id: 'flux-pro', prompt: 'harbour', batch: 1, resolution: 'hd', aspect_ratio: '1:1', reference_image_ids: [image] }),
  },
  {
    route: 'POST /v1/generations',
    field: 'Agentic reference_image_ids + style_components',
    path: 'reference_image_ids.1',
    send: (me, image) => generate(me.token, { ...agentic, reference_image_ids: [me.upload, image], style_components: { [image]: { palette: 1, lighting: 0.5, grading: 1, composition: 0 } } }),
  },
  { route: 'POST /v1/generations', field: 'pin_ids (a pin made before the gate)', path: 'pin_ids.0', send: (me) => generate(me.token, { ...agentic, pin_ids: [me.stalePin] }) },
  { route: 'POST /v1/pins', field: 'image_ids', path: 'image_ids.1', send: (me, image) => post(me.token, '/v1/pins', { kind: 'product', name: 'mug', image_ids: [me.upload, image] }) },
  { route: 'PATCH /v1/pins/{id}', field: 'image_ids', path: 'image_ids.0', send: (me, image) => call(`/v1/pins/${me.stalePin}`, { method: 'PATCH', token: me.token, json: { image_ids: [image] } }) },
  { route: 'POST /v1/image-to-prompt', field: 'image_id', path: 'image_id', send: (me, image) => post(me.token, '/v1/image-to-prompt', { image_id: image }) },
  { route: 'POST /v1/style-components', field: 'image_ids', path: 'image_ids.1', send: (me, image) => post(me.token, '/v1/style-components', { image_ids: [me.upload, image] }) },
  { route: 'POST /v1/images/{id}/upscale', field: 'variant source', path: 'id', send: (me, image) => post(me.token, `/v1/images/${image}/upscale`, { size: '4k' }) },
  { route: 'POST /v1/images/{id}/remove-background', field: 'variant source', path: 'id', send: (me, image) => post(me.token, `/v1/images/${image}/remove-background`) },
  { route: 'POST /v1/images/{id}/vectorize', field: 'variant source', path: 'id', send: (me, image) => post(me.token, `/v1/images/${image}/vectorize`) },
  { route: 'GET /v1/images/{id}/download?format=svg', field: 'variant source', path: 'id', send: (me, image) => call(`/v1/images/${image}/download?format=svg`, { token: me.token, redirect: 'manual' }) },
];

/** true when the request went through; else what refused it, so a failure names the reason. */
const outcome = async (response: Response) => (response.status < 400 ? true : `${response.status} ${await response.text()}`);

const held = async (token: string) => (await json(await call('/v1/credits', { token }))).held;

describe('the license gate, over every image input of every route', () => {
  it('stops a locked image at submit too: a generation written before the gate sends nothing to the provider and refunds', async () => {
    const { me, image } = await designer(lockedImage);
    const { generation } = await seededGeneration(me.userId, { batch: 1 });
    await db()
      .update(generations)
      .set({ params: JSON.stringify({ seed: 1, webhook_base: 'http://127.0.0.1', reference_image_ids: [image] }) })
      .where(eq(generations.id, generation.id));
    const task = (await db().select().from(generationTasks).where(eq(generationTasks.generation_id, generation.id)).get())!;
    const submitted: unknown[] = [];
    const spy = { id: 'offline', submit: async (call: unknown) => (submitted.push(call), { mode: 'async', requestId: 'x', warnings: [] }) } as unknown as ImageProvider;
    const deps = runDepsFor(env);
    await submitTask({ ...deps, providers: { ...deps.providers, get: () => spy } }, task.id, new Date());
    expect(submitted).toEqual([]);
    const after = await json(await call(`/v1/generations/${generation.id}`, { token: me.token }));
    expect(after).toMatchObject({ status: 'failed', cost: { held: 0, charged: 0, refunded: 1 } });
    expect(after.error).toContain(lockedDetail);
  });
  it('lets the caller’s own upload through every input', async () => {
    const { me, image } = await designer(async (token) => (await json(await call('/v1/images', { method: 'POST', token, body: createPng(48, 48, [20, 90, 200]), headers: { 'content-type': 'image/png' } }))).id);
    for (const input of inputs) {
      expect({ route: input.route, field: input.field, passes: await outcome(await input.send(me, image)) }).toEqual({ route: input.route, field: input.field, passes: true });
    }
  });

  it('refuses another user’s image as it refuses no image at all, never as a locked one', async () => {
    const { me } = await designer(async () => '');
    const stranger = await signIn();
    const theirs = (await json(await call('/v1/images', { method: 'POST', token: stranger.access_token, body: createPng(8, 8, [1, 2, 3]), headers: { 'content-type': 'image/png' } }))).id;
    for (const input of inputs.filter((i) => !i.field.startsWith('pin_ids'))) {
      const response = await input.send(me, theirs);
      expect({ route: input.route, field: input.field, status: response.status }).toEqual({ route: input.route, field: input.field, status: input.path === 'id' || input.route.includes('image-to-prompt') || input.route.includes('style-components') ? 404 : 422 });
    }
  });

  it('refuses a locked image everywhere with one problem, holding nothing; the same requests pass once it is licensed', async () => {
    const { me, image } = await designer(lockedImage);
    for (const input of inputs) {
      const response = await input.send(me, image);
      expect({ route: input.route, field: input.field, status: response.status }).toEqual({ route: input.route, field: input.field, status: 403 });
      const refused = await expectProblem(response, 403, 'not_licensed');
      expect({ route: input.route, field: input.field, detail: refused.detail, errors: refused.errors }).toEqual({
        route: input.route,
        field: input.field,
        detail: lockedDetail,
        errors: [{ path: input.path, message: 'License this image first' }],
      });
      expect(await held(me.token)).toBe(0);
    }
    expect(await db().$count(generations, eq(generations.user_id, me.userId))).toBe(1); // only the one that made the image

    expect((await call(`/v1/images/${image}/license`, { method: 'POST', token: me.token })).status).toBe(201);
    for (const input of inputs) {
      expect({ route: input.route, field: input.field, passes: await outcome(await input.send(me, image)) }).toEqual({ route: input.route, field: input.field, passes: true });
    }
  });
});
