// Styles in the catalog: Artist Styles in everyone's library, private ones only for their
// owner, and their output watermarked as the license policy says.
import { describe, expect, it } from 'vitest';
import { DEMO_CREATOR } from '../../edge/domain/seed';
import { generate, waitForGeneration } from './generation-support';
import { call, expectProblem, grant, json, signIn } from './support';

async function seed(email: string) {
  const response = await call('/dev/seed', { method: 'POST', json: { email } });
  expect(response.status).toBe(200);
}

const byName = (items: any[], name: string) => items.find((m) => m.name === name);

describe('Styles in the catalog', () => {
  it('lists published Artist Styles for everyone, with their creator and license', async () => {
    const dev = await signIn();
    await seed(dev.email);
    await seed(dev.email); // again: nothing doubles
    const { items } = await json(await call('/v1/models'));
    expect(items.filter((m: any) => m.name === 'Dusk Harbour')).toHaveLength(1);
    expect(byName(items, 'Dusk Harbour')).toMatchObject({ kind: 'artist', license: 'per_image', verified: true, creator: { handle: DEMO_CREATOR.handle, display_name: DEMO_CREATOR.display_name } });
    expect(byName(items, 'Paper Cut')).toMatchObject({ kind: 'artist', license: 'not_available', verified: false });
    expect(byName(items, 'My Ink Studies')).toBeUndefined();
    const artists = await json(await call('/v1/models?kind=artist'));
    expect(artists.items.every((m: any) => m.kind === 'artist')).toBe(true);
  });

  it('shows a private Style to its owner only, and lets only its owner use it', async () => {
    const dev = await signIn();
    const other = await signIn();
    await seed(dev.email);
    const mine = byName((await json(await call('/v1/models', { token: dev.access_token }))).items, 'My Ink Studies');
    expect(mine).toMatchObject({ kind: 'private', license: 'per_image' });
    expect(byName((await json(await call('/v1/models', { token: other.access_token }))).items, 'My Ink Studies')).toBeUndefined();
    await expectProblem(await call(`/v1/models/${mine.id}`, { token: other.access_token }), 404, 'not_found');
    await grant(other.email, 20);
    const refused = await expectProblem(await generate(other.access_token, { model_id: mine.id, prompt: 'x', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }), 422, 'validation_failed');
    expect(refused.errors[0].path).toBe('model_id');
  });

  it('makes watermarked output where the policy says, free output where it does not', async () => {
    const dev = await signIn();
    await seed(dev.email);
    await grant(dev.email, 50);
    const { items } = await json(await call('/v1/models', { token: dev.access_token }));
    const run = async (modelId: string) =>
      waitForGeneration(dev.access_token, (await json(await generate(dev.access_token, { model_id: modelId, prompt: 'boats', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }))).id);
    const verified = await run(byName(items, 'Dusk Harbour').id);
    expect(verified).toMatchObject({ status: 'succeeded', cost: { charged: 3 } });
    expect(verified.images[0].policy).toEqual({ watermarked: true, license: 'per_image', licensed: false, downloadable: false });
    const unverified = await run(byName(items, 'Paper Cut').id);
    expect(unverified.images[0].policy).toMatchObject({ watermarked: true, license: 'not_available' });
    const mine = await run(byName(items, 'My Ink Studies').id);
    expect(mine.images[0].policy).toMatchObject({ watermarked: true, license: 'per_image' });
    const base = await run('flux-schnell');
    expect(base.images[0].policy).toMatchObject({ watermarked: false, license: 'free', downloadable: true });
    const image = await json(await call(`/v1/images/${verified.images[0].id}`, { token: dev.access_token }));
    expect(image.policy).toMatchObject({ watermarked: true, license: 'per_image' });
  });
});
