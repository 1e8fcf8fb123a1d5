// Recipes: a designer's saved Agentic blends. Saved, listed, read and deleted by their owner
// only; used by an Agentic generation (alone they lead its colour and grade), snapshot when the
// generation starts so deleting one later breaks nothing, and refused where they do not apply.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newId } from '../../edge/db/ids';
import { generationTasks, recipes } from '../../edge/db/schema';
import { createGeneration } from '../../edge/domain/generations/create';
import { submitTask } from '../../edge/domain/generations/run';
import { runDepsFor } from '../../edge/jobs/deps';
import type { JobMessage } from '../../edge/jobs/messages';
import { RECIPES_MAX } from '../../shared/api/recipes';
import type { StyleComponents } from '../../shared/style/components';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { call, env, expectProblem, grant, json, signIn } from './support';

/** A blend of deep reds in a warm grade, as the panel would save it. */
const redBlend: StyleComponents = {
  palette: [
    { hex: '#c8201c', weight: 0.5 },
    { hex: '#8c1410', weight: 0.3 },
    { hex: '#e8603c', weight: 0.2 },
  ],
  lighting: { key: 0.5, contrast: 0.18, direction: { x: 0.3, y: 0.25 }, warmth: 0.4 },
  grading: {
    temperature: 0.45,
    saturation: 0.7,
    tint: 0.05,
    shadows: { r: 0.08, g: -0.02, b: -0.06 },
    midtones: { r: 0.1, g: -0.03, b: -0.07 },
    highlights: { r: 0.12, g: 0.02, b: -0.1 },
  },
  composition: { horizon: 0.6, focus: { x: 0.35, y: 0.5 }, subjectScale: 0.3, balance: { x: 0.4, y: 0.5 }, thirds: { x: 0.333, y: 0.333 } },
};

const agentic = { model_id: 'exactly-agentic', prompt: 'a harbour under a blue sky, blue sea', batch: 1, resolution: 'hd', aspect_ratio: '1:1', seed: 11 };

const save = (token: string, body: unknown) => call('/v1/recipes', { method: 'POST', token, json: body });
const credits = async (token: string) => json(await call('/v1/credits', { token }));

/** How far red leads blue across the whole image (mean R − mean B). */
async function redness(token: string, imageId: string): Promise<number> {
  const image = PhotonImage.new_from_byteslice(new Uint8Array(await (await call(`/v1/images/${imageId}/preview`, { token })).arrayBuffer()));
  const px = image.get_raw_pixels();
  image.free();
  let r = 0;
  let b = 0;
  for (let i = 0; i < px.length; i += 4) {
    r += px[i]!;
    b += px[i + 2]!;
  }
  return (r - b) / (px.length / 4);
}

describe('saving recipes', () => {
  it('saves, lists, reads and deletes a recipe', async () => {
    const me = await signIn();
    const saved = await save(me.access_token, { name: 'Red harbour', components: redBlend });
    expect(saved.status).toBe(201);
    const recipe = await json(saved);
    expect(recipe).toMatchObject({ id: expect.stringMatching(/^rcp_/), name: 'Red harbour', components: redBlend, created_at: expect.any(String) });
    const second = await json(await save(me.access_token, { name: 'Second', components: { ...redBlend, palette: [{ hex: '#2040a0', weight: 1 }] } }));
    expect((await json(await call('/v1/recipes', { token: me.access_token }))).items.map((r: any) => r.name)).toEqual(['Second', 'Red harbour']);
    expect(await json(await call(`/v1/recipes/${recipe.id}`, { token: me.access_token }))).toEqual(recipe);
    expect((await call(`/v1/recipes/${recipe.id}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);
    await expectProblem(await call(`/v1/recipes/${recipe.id}`, { token: me.access_token }), 404, 'not_found');
    await expectProblem(await call(`/v1/recipes/${recipe.id}`, { method: 'DELETE', token: me.access_token }), 404, 'not_found');
    expect((await json(await call('/v1/recipes', { token: me.access_token }))).items.map((r: any) => r.id)).toEqual([second.id]);
  });

  it('refuses a second recipe of the same name, and components out of range, naming the field', async () => {
    const me = await signIn();
    expect((await save(me.access_token, { name: 'Dusk', components: redBlend })).status).toBe(201);
    const twice = await expectProblem(await save(me.access_token, { name: 'Dusk', components: redBlend }), 409, 'conflict');
    expect(twice.detail).toMatch(/already have a recipe called “Dusk”/);
    const badHex = await expectProblem(await save(me.access_token, { name: 'Bad', components: { ...redBlend, palette: [{ hex: 'red', weight: 1 }] } }), 422, 'validation_failed');
    expect(badHex.errors.map((e: any) => e.path)).toContain('components.palette.0.hex');
    const badTint = await expectProblem(
      await save(me.access_token, { name: 'Bad', components: { ...redBlend, grading: { ...redBlend.grading, shadows: { r: 3, g: 0, b: 0 } } } }),
      422,
      'validation_failed',
    );
    expect(badTint.errors.map((e: any) => e.path)).toContain('components.grading.shadows.r');
    const { lighting: _gone, ...noLight } = redBlend;
    expect((await expectProblem(await save(me.access_token, { name: 'Bad', components: noLight }), 422, 'validation_failed')).errors.map((e: any) => e.path)).toContain('components.lighting');
    expect((await json(await call('/v1/recipes', { token: me.access_token }))).items).toHaveLength(1);
  });

  it(`keeps at most ${RECIPES_MAX} recipes per account`, async () => {
    const me = await signIn();
    const userId = (await json(await call('/v1/me', { token: me.access_token }))).id as string;
    const now = new Date().toISOString();
    const rows = Array.from({ length: RECIPES_MAX }, (_, i) => ({ id: newId('rcp'), user_id: userId, name: `Recipe ${i}`, components: JSON.stringify(redBlend), created_at: now }));
    // D1 binds at most 100 values a statement: ten rows at a time.
    for (let i = 0; i < rows.length; i += 10) await db().insert(recipes).values(rows.slice(i, i + 10));
    const refused = await expectProblem(await save(me.access_token, { name: 'One too many', components: redBlend }), 422, 'validation_failed');
    expect(refused.detail).toMatch(/100 recipes/);
    expect((await json(await call('/v1/recipes', { token: me.access_token }))).items).toHaveLength(RECIPES_MAX);
  });

  it('shows another user nothing: not listed, not readable, not deletable, not usable', async () => {
    const owner = await signIn();
    const stranger = await signIn();
    await grant(stranger.email, 20);
    const recipe = await json(await save(owner.access_token, { name: 'Mine', components: redBlend }));
    expect((await json(await call('/v1/recipes', { token: stranger.access_token }))).items).toEqual([]);
    await expectProblem(await call(`/v1/recipes/${recipe.id}`, { token: stranger.access_token }), 404, 'not_found');
    await expectProblem(await call(`/v1/recipes/${recipe.id}`, { method: 'DELETE', token: stranger.access_token }), 404, 'not_found');
    // Using it reads exactly like an id that never existed.
    const theirs = await expectProblem(await generate(stranger.access_token, { ...agentic, recipe_id: recipe.id }), 422, 'validation_failed');
    const unknown = await expectProblem(await generate(stranger.access_token, { ...agentic, recipe_id: 'rcp_doesnotexist' }), 422, 'validation_failed');
    expect(theirs.errors).toEqual([{ path: 'recipe_id', message: 'No such recipe' }]);
    expect(theirs.errors).toEqual(unknown.errors);
    expect(theirs.detail).toBe(unknown.detail);
    await expectProblem(await call('/v1/quotes', { method: 'POST', token: stranger.access_token, json: { ...agentic, recipe_id: recipe.id } }), 422, 'validation_failed');
    expect(await credits(stranger.access_token)).toEqual({ balance: 20, held: 0, available: 20, owed: 0 });
    expect((await json(await call('/v1/generations', { token: stranger.access_token }))).items).toEqual([]);
    expect(await json(await call(`/v1/recipes/${recipe.id}`, { token: owner.access_token }))).toEqual(recipe);
  });
});

describe('generating with a recipe', () => {
  it('quotes a recipe on Agentic at 4 credits an image, and refuses it on a model that is not Agentic', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const recipe = await json(await save(me.access_token, { name: 'Red', components: redBlend }));
    const quote = await json(await call('/v1/quotes', { method: 'POST', token: me.access_token, json: { ...agentic, batch: 2, recipe_id: recipe.id } }));
    expect(quote).toMatchObject({ credits_per_image: 4, batch: 2, total: 8, available: 10, affordable: true });
    const schnell = { model_id: 'flux-schnell', prompt: 'a harbour', batch: 1, resolution: 'sd', aspect_ratio: '1:1', recipe_id: recipe.id };
    const refused = await expectProblem(await generate(me.access_token, schnell), 422, 'feature_not_supported');
    expect(refused.errors[0]).toMatchObject({ path: 'recipe_id', message: expect.stringMatching(/FLUX\.1 \[schnell\] does not take recipes/) });
    await expectProblem(await call('/v1/quotes', { method: 'POST', token: me.access_token, json: schnell }), 422, 'feature_not_supported');
    expect(await credits(me.access_token)).toEqual({ balance: 10, held: 0, available: 10, owed: 0 });
  });

  it('leads the colour of an Agentic image: the same prompt and seed come out red with the recipe', async () => {
    const me = await signIn();
    await grant(me.email, 20);
    const recipe = await json(await save(me.access_token, { name: 'Red', components: redBlend }));
    const plain = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, agentic))).id);
    const withRecipe = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { ...agentic, recipe_id: recipe.id }))).id);
    expect(plain).toMatchObject({ status: 'succeeded', cost: { charged: 4 } });
    expect(withRecipe).toMatchObject({ status: 'succeeded', cost: { charged: 4 } });
    const without = await redness(me.access_token, plain.images[0].id);
    const red = await redness(me.access_token, withRecipe.images[0].id);
    expect(without).toBeLessThan(0); // the prompt's blue sky and sea
    expect(red).toBeGreaterThan(30);
    expect(red).toBeGreaterThan(without + 60);
  });

  it('still renders the recipe when it was deleted after the generation started', async () => {
    const me = await signIn();
    await grant(me.email, 20);
    const userId = (await json(await call('/v1/me', { token: me.access_token }))).id as string;
    const recipe = await json(await save(me.access_token, { name: 'Red', components: redBlend }));
    // Started, its call held back from the queue until the recipe is gone.
    const queued: JobMessage[] = [];
    const run = runDepsFor(env);
    const pending: Promise<unknown>[] = [];
    const { generation } = await createGeneration(
      { db: env.DB, queue: { sendBatch: async (messages: { body: JobMessage }[]) => void queued.push(...messages.map((m) => m.body)) } as unknown as Queue<JobMessage>, providers: run.providers, holdTtlMinutes: 60, events: run.events, waitUntil: (p) => pending.push(p) },
      { userId, body: { ...agentic, recipe_id: recipe.id }, idempotencyKey: crypto.randomUUID(), requestHash: 'recipe-deleted', webhookBase: 'http://127.0.0.1:8787', now: new Date() },
    );
    await Promise.all(pending);
    expect((await call(`/v1/recipes/${recipe.id}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);
    const tasks = await db().select().from(generationTasks).where(eq(generationTasks.generation_id, generation.id));
    expect(queued.map((m) => m.type)).toEqual(['submit']);
    for (const task of tasks) await submitTask(run, task.id, new Date());
    const done = await waitForGeneration(me.access_token, generation.id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 4, refunded: 0 } });
    expect(await redness(me.access_token, done.images[0].id)).toBeGreaterThan(30);
  });
});
