// Inputs reach providers by link, never inlined: each input of a call (reference, image to
// edit, mask, an extra's original) gets a short-lived signed link on our own route that serves
// exactly that one object, for minutes, to whoever holds it, and nothing else to anyone.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generations, generationTasks } from '../../edge/db/schema';
import { hmacHex } from '../../edge/domain/auth/secrets';
import { submitTask } from '../../edge/domain/generations/run';
import { INPUT_LINK_TTL_SECONDS, inputLinker, inputToken } from '../../edge/domain/provider-inputs';
import { makeVariant, requestVariant } from '../../edge/domain/variants';
import { runDepsFor } from '../../edge/jobs/deps';
import type { JobMessage } from '../../edge/jobs/messages';
import { inputRef } from '../../edge/providers/http';
import type { GenerateCall, ImageProvider } from '../../edge/providers/types';
import { toBase64Url } from '../../shared/encoding';
import { createPng } from '../fakes/png';
import { db } from './db';
import { seededGeneration } from './generation-rows';
import { generate, waitForGeneration } from './generation-support';
import { BASE, call, env, expectProblem, grant, json, signIn } from './support';
import { storedImage } from './stored-image';

/** A signed-in designer with credits to spend. */
async function designer() {
  const me = await signIn();
  await grant(me.email, 20);
  return me;
}

const upload = async (token: string, color: [number, number, number], side = 96) =>
  (await json(await call('/v1/images', { method: 'POST', token, body: createPng(side, side, color), headers: { 'content-type': 'image/png' } }))).id as string;

/** A provider that records the calls it is given and answers as an async provider would. */
function spyProvider(answer: 'async' | 'failed' = 'async') {
  const calls: GenerateCall[] = [];
  const provider = {
    id: 'fal',
    submit: async (c: GenerateCall) => {
      calls.push(c);
      return answer === 'async' ? { mode: 'async', requestId: crypto.randomUUID(), warnings: [] } : { mode: 'sync', outcome: { state: 'failed', error: 'recorded only' }, warnings: [] };
    },
    status: async () => ({ state: 'pending' }),
    cancel: async () => {},
  } as unknown as ImageProvider;
  const deps = runDepsFor(env);
  return { calls, deps: { ...deps, providers: { ...deps.providers, get: () => provider } } };
}

/** Submits a generation written with these params to the spy: what the provider was handed. */
async function submitted(userId: string, params: Record<string, unknown>) {
  const { generation } = await seededGeneration(userId, { batch: 1 });
  await db()
    .update(generations)
    .set({ params: JSON.stringify({ seed: 1, webhook_base: BASE, ...params }) })
    .where(eq(generations.id, generation.id));
  const task = (await db().select().from(generationTasks).where(eq(generationTasks.generation_id, generation.id)).get())!;
  const spy = spyProvider();
  await submitTask(spy.deps, task.id, new Date());
  return spy.calls;
}

/** The path of a link on this API (the tests' client speaks to the Worker by path). */
const pathOf = (url: string) => new URL(url).pathname;

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

describe('inputs reach providers by a short-lived link', () => {
  it('sends a reference, the image to edit and its mask as links that serve exactly the bytes of the call, none inlined', async () => {
    const me = await designer();
    const [reference, source, mask] = [await upload(me.access_token, [200, 40, 40]), await upload(me.access_token, [40, 200, 40]), await upload(me.access_token, [255, 255, 255])];
    const calls = await submitted(me.user.id, { reference_image_ids: [reference], source_image_id: source, mask_image_id: mask });
    expect(calls).toHaveLength(1);
    const [sent] = calls;
    const inputs = [...sent!.files!, sent!.mask!];
    expect(inputs).toHaveLength(3);
    const links = new Set<string>();
    for (const file of inputs) {
      expect(file.url).toMatch(new RegExp(`^${BASE}/v1/provider-inputs/[\\w-]+\\.[0-9a-f]{64}$`));
      // What an adapter puts in the provider's body: the link, not a data URI.
      expect(inputRef(file)).toBe(file.url);
      links.add(file.url!);
      // The provider holds no token of ours: the link alone opens it, and it is kept out of every cache.
      const served = await call(pathOf(file.url!), { headers: { origin: 'https://elsewhere.example' } });
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/jpeg');
      expect(served.headers.get('cache-control')).toBe('private, no-store');
      expect(served.headers.get('access-control-allow-origin')).toBeNull();
      expect(await bytesOf(served)).toEqual(file.bytes);
    }
    // Each link names its own input.
    expect(links.size).toBe(3);
  });

  it('refuses a forged, altered, expired or re-signed link, and a download token, serving nothing', async () => {
    const me = await designer();
    const mine = await upload(me.access_token, [10, 120, 220]);
    const [sent] = await submitted(me.user.id, { reference_image_ids: [mine] });
    const link = pathOf(sent!.files![0]!.url!);
    const token = link.slice('/v1/provider-inputs/'.length);
    const [payload, signature] = token.split('.') as [string, string];

    // Forged from nothing, or with its signature changed.
    await expectProblem(await call(`/v1/provider-inputs/${toBase64Url(new TextEncoder().encode('["x",9999999999]'))}.${'0'.repeat(64)}`), 404, 'not_found');
    await expectProblem(await call(`/v1/provider-inputs/${payload}.${signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`), 404, 'not_found');
    await expectProblem(await call(`/v1/provider-inputs/${payload}`), 404, 'not_found');
    await expectProblem(await call(`/v1/provider-inputs/${token}.extra`), 404, 'not_found');

    // Altered to name another object (the original, or another user's image), the signature kept.
    const stranger = await signIn();
    const theirs = await storedImage(await upload(stranger.access_token, [1, 2, 3]));
    const [key, expires] = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0)))) as [string, number];
    expect(key).toBe(`${(await storedImage(mine)).r2_key}.preview.jpg`);
    for (const other of [theirs.r2_key, (await storedImage(mine)).r2_key]) {
      const altered = toBase64Url(new TextEncoder().encode(JSON.stringify([other, expires])));
      await expectProblem(await call(`/v1/provider-inputs/${altered}.${signature}`), 404, 'not_found');
    }
    // Made longer-lived by hand: the signature no longer holds.
    const extended = toBase64Url(new TextEncoder().encode(JSON.stringify([key, expires + 3600])));
    await expectProblem(await call(`/v1/provider-inputs/${extended}.${signature}`), 404, 'not_found');

    // Signed with another secret.
    const elsewhere = await inputToken('another-secret-that-is-long-enough-to-sign', key, expires);
    await expectProblem(await call(`/v1/provider-inputs/${elsewhere}`), 404, 'not_found');

    // Minutes, not more: a link made 14 minutes ago still serves, one made 16 minutes ago does not.
    expect(INPUT_LINK_TTL_SECONDS).toBe(15 * 60);
    const link14 = await inputLinker(env.AUTH_SECRET)(BASE, key, new Date(Date.now() - 14 * 60_000));
    expect((await call(pathOf(link14))).status).toBe(200);
    const link16 = await inputLinker(env.AUTH_SECRET)(BASE, key, new Date(Date.now() - 16 * 60_000));
    expect((await expectProblem(await call(pathOf(link16)), 410, 'link_expired')).detail).toMatch(/expired/);

    // A download token (signed for /v1/files) opens nothing here, and an input token nothing there.
    const free = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a pier', batch: 1, resolution: 'sd', aspect_ratio: '1:1' }))).id);
    const location = (await call(`/v1/images/${free.images[0].id}/download`, { token: me.access_token, redirect: 'manual' })).headers.get('location')!;
    expect(location).toMatch(/^\/v1\/files\//);
    await expectProblem(await call(`/v1/provider-inputs/${location.slice('/v1/files/'.length)}`), 404, 'not_found');
    // Nor does a token shaped like an input link but signed for downloads: each purpose has its own key.
    await expectProblem(await call(`/v1/provider-inputs/${payload}.${await hmacHex(`download:${env.AUTH_SECRET}`, payload)}`), 404, 'not_found');
    await expectProblem(await call(`/v1/files/${token}`, { token: me.access_token }), 403, 'forbidden');
  });

  it('serves nothing once the input is gone', async () => {
    const me = await designer();
    const mine = await upload(me.access_token, [90, 90, 30]);
    const [sent] = await submitted(me.user.id, { reference_image_ids: [mine] });
    expect((await call(`/v1/images/${mine}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);
    await expectProblem(await call(pathOf(sent!.files![0]!.url!)), 404, 'not_found');
  });

  it('mints no link to another user’s image, or a locked one: the call is refused before any link is made', async () => {
    const me = await designer();
    const stranger = await signIn();
    const theirs = await upload(stranger.access_token, [3, 2, 1]);
    // Refused at the door…
    await expectProblem(await generate(me.access_token, { model_id: 'flux-pro', prompt: 'harbour', batch: 1, resolution: 'hd', aspect_ratio: '1:1', reference_image_ids: [theirs] }), 422, 'validation_failed');
    await expectProblem(await call(`/v1/images/${theirs}/upscale`, { method: 'POST', token: me.access_token, json: { size: '4k' } }), 404, 'not_found');
    // …and at submit, for a generation written naming it (as source, reference or mask): nothing reaches the provider.
    for (const params of [{ reference_image_ids: [theirs] }, { source_image_id: theirs }, { mask_image_id: theirs }]) expect(await submitted(me.user.id, params)).toEqual([]);
    // A locked original (an unlicensed output of another creator's Style) gets no link either.
    await call('/dev/seed', { method: 'POST', json: { email: me.email } });
    const style = (await json(await call('/v1/models', { token: me.access_token }))).items.find((m: any) => m.name === 'Dusk Harbour');
    const locked = (await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: style.id, prompt: 'boats at rest', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }))).id)).images[0].id;
    for (const params of [{ reference_image_ids: [locked] }, { source_image_id: locked }, { mask_image_id: locked }]) expect(await submitted(me.user.id, params)).toEqual([]);
    await expectProblem(await call(`/v1/images/${locked}/upscale`, { method: 'POST', token: me.access_token, json: { size: '4k' } }), 403, 'not_licensed');
    // No answer a user gets carries an input link: only a provider call does.
    const mine = await upload(me.access_token, [50, 60, 70]);
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: 'exactly-agentic', prompt: 'harbour light', batch: 1, resolution: 'hd', aspect_ratio: '1:1', reference_image_ids: [mine] }))).id);
    for (const path of [`/v1/generations/${done.id}`, '/v1/generations', `/v1/images/${mine}`, `/v1/images/${done.images[0].id}`]) {
      expect(await (await call(path, { token: me.access_token })).text()).not.toContain('provider-inputs');
    }
  });

  it('sends an extra’s original to the provider by a link to exactly the original', async () => {
    const me = await designer();
    const mine = await upload(me.access_token, [120, 30, 200], 160);
    const queued: JobMessage[] = [];
    await requestVariant(env.DB, { send: async (m: JobMessage) => void queued.push(m) } as unknown as Queue<JobMessage>, me.user.id, mine, 'no_background', new Date(), BASE);
    expect(queued).toEqual([{ type: 'variant', image_id: mine, kind: 'no_background', origin: BASE }]);
    const spy = spyProvider('failed');
    await makeVariant(spy.deps, mine, 'no_background', new Date(), BASE);
    expect(spy.calls).toHaveLength(1);
    const [file] = spy.calls[0]!.files!;
    expect(inputRef(file!)).toBe(file!.url);
    const served = await call(pathOf(file!.url!));
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(await bytesOf(served)).toEqual(file!.bytes);
    const original = await env.IMAGES.get((await storedImage(mine)).r2_key);
    expect(await bytesOf(new Response(original!.body))).toEqual(file!.bytes);
  });
});
