// The community library: every published public Style for everyone, searched and sorted in D1,
// each with its title image, examples, creator and license; its examples served only as
// public previews, marked as their policy says.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { styles } from '../../edge/db/schema';
import { perImageTerms } from '../../shared/license';
import { db } from './db';
import { generateWith, makeStyle, person } from './library-support';
import { paintedPng } from './pixels';
import { storedImage } from './stored-image';
import { call, env, expectProblem, grant, json } from './support';

const library = async (query: string, token?: string) => json(await call(`/v1/models?${query}`, { token }));
const names = (page: { items: { name: string }[] }) => page.items.map((m) => m.name);
/** A word no other test's Style carries, so each test reads only its own. */
const tag = () => `t${crypto.randomUUID().slice(0, 6)}`;

describe('GET /v1/models?kind=artist: the library', () => {
  it('finds a Style by its name, its description, and its creator’s handle or display name, in any case', async () => {
    const mira = await person();
    const word = tag();
    await call('/v1/profile', { method: 'PATCH', token: mira.access_token, json: { display_name: `Mira ${word}` } });
    const harbour = await makeStyle(mira.id, { name: `Harbour ${word}`, description: 'amber quays at the blue hour' });
    const paper = await makeStyle(mira.id, { name: `Paper ${word}`, description: 'soft pastel cut-outs' });

    expect(names(await library(`kind=artist&q=HARBOUR%20${word.toUpperCase()}`))).toEqual([`Harbour ${word}`]);
    expect((await library(`kind=artist&q=${word}%20pastel`)).items).toEqual([]);
    const byDisplayName = await library(`kind=artist&q=mira%20${word}`);
    expect(byDisplayName.items.map((m: any) => m.id).sort()).toEqual([harbour, paper].sort());
    const byHandle = await library(`kind=artist&q=${mira.handle.toUpperCase()}`);
    expect(byHandle.items.map((m: any) => m.id)).toEqual(expect.arrayContaining([harbour, paper]));
    // LIKE's own wildcards are taken literally.
    expect((await library(`kind=artist&q=${word}%25`)).items).toEqual([]);

    const shown = (await library(`kind=artist&q=${word}&sort=new`)).items.find((m: any) => m.id === harbour);
    expect(shown).toMatchObject({ kind: 'artist', name: `Harbour ${word}`, creator: { handle: mira.handle, display_name: `Mira ${word}` }, users: 0, verified: false, license: 'not_available' });
    expect(shown.published_at).toEqual(expect.any(String));
    expect(JSON.stringify(shown)).not.toContain(mira.email);
  });

  it('sorts by popularity (distinct users) and by newness, and pages through with a cursor', async () => {
    const creator = await person();
    const word = tag();
    const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1, 12, minutes)).toISOString();
    await makeStyle(creator.id, { name: `A ${word}`, distinct_users: 3, published_at: at(1) });
    await makeStyle(creator.id, { name: `B ${word}`, distinct_users: 40, published_at: at(0) });
    await makeStyle(creator.id, { name: `C ${word}`, distinct_users: 12, published_at: at(3) });
    await makeStyle(creator.id, { name: `D ${word}`, distinct_users: 0, published_at: at(2) });

    const popular = await library(`kind=artist&q=${word}&sort=popular`);
    expect(names(popular)).toEqual([`B ${word}`, `C ${word}`, `A ${word}`, `D ${word}`]);
    expect(popular.items.map((m: any) => m.users)).toEqual([40, 12, 3, 0]);
    expect(names(await library(`kind=artist&q=${word}&sort=new`))).toEqual([`C ${word}`, `D ${word}`, `A ${word}`, `B ${word}`]);

    const first = await library(`kind=artist&q=${word}&sort=popular&limit=3`);
    expect(names(first)).toEqual([`B ${word}`, `C ${word}`, `A ${word}`]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await library(`kind=artist&q=${word}&sort=popular&limit=3&cursor=${first.next_cursor}`);
    expect(names(second)).toEqual([`D ${word}`]);
    expect(second.next_cursor).toBeNull();
    await expectProblem(await call(`/v1/models?kind=artist&sort=popular&cursor=not-a-cursor`), 422, 'validation_failed');
  });

  it('never lists another person’s unpublished, rejected or private Style; the owner sees their usable private one', async () => {
    const owner = await person();
    const other = await person();
    const word = tag();
    await makeStyle(owner.id, { name: `Waiting ${word}`, status: 'in_moderation', published_at: null });
    await makeStyle(owner.id, { name: `Rejected ${word}`, status: 'rejected', published_at: null });
    await makeStyle(owner.id, { name: `Training ${word}`, status: 'training', published_at: null });
    const secret = await makeStyle(owner.id, { name: `Private ${word}`, visibility: 'private', status: 'ready', title: null });
    const open = await makeStyle(owner.id, { name: `Open ${word}` });

    for (const token of [undefined, other.access_token]) {
      const seen = await library(`q=${word}`, token);
      expect(seen.items.map((m: any) => m.id)).toEqual([open]);
      await expectProblem(await call(`/v1/models/${secret}`, { token }), 404, 'not_found');
    }
    expect((await library(`kind=private&q=${word}`, owner.access_token)).items.map((m: any) => m.id)).toEqual([secret]);
    expect((await library(`kind=private&q=${word}`)).items).toEqual([]);
    expect(names(await library(`q=${word}`, owner.access_token)).sort()).toEqual([`Open ${word}`, `Private ${word}`]);
  });

  it('shows one Style with its examples, creator, users and license terms once verified', async () => {
    const creator = await person();
    const id = await makeStyle(creator.id, { name: `Dusk ${tag()}`, title: 'Dusk at the quay', verified: true, distinct_users: 31, title_image_id: 'img_a', example_image_ids: ['img_b', 'img_c'] });
    const one = await json(await call(`/v1/models/${id}`));
    expect(one).toMatchObject({
      id,
      kind: 'artist',
      name: 'Dusk at the quay',
      title_image_url: `/v1/models/${id}/examples/img_a`,
      example_image_urls: [`/v1/models/${id}/examples/img_b`, `/v1/models/${id}/examples/img_c`],
      creator: { handle: creator.handle },
      users: 31,
      verified: true,
      license: 'per_image',
      license_price: 20,
      license_terms: perImageTerms,
    });
    expect(one).not.toHaveProperty('providers');
  });
});

describe('GET /v1/models/{id}/examples/{image_id}', () => {
  it('serves a published Style’s example as its marked preview, and nothing else of the creator’s', async () => {
    const creator = await person();
    const stranger = await person();
    await grant(creator.email, 20);
    const id = await makeStyle(creator.id, { name: `Examples ${tag()}`, status: 'published' });
    const made = await generateWith(creator.access_token, id);
    const example = made.images[0].id;
    await db().update(styles).set({ title_image_id: example, example_image_ids: JSON.stringify([example]) }).where(eq(styles.id, id));

    const served = await call(`/v1/models/${id}/examples/${example}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const bytes = new Uint8Array(await served.arrayBuffer());
    // The marked preview, no other form: the same bytes R2 keeps as this image's marked preview.
    const { r2_key } = await storedImage(example);
    const marked = await env.IMAGES.get(`${r2_key}.preview.marked.jpg`);
    expect(marked).not.toBeNull();
    expect(bytes).toEqual(new Uint8Array(await marked!.arrayBuffer()));
    expect(await env.IMAGES.head(`${r2_key}.preview.jpg`)).toBeNull();

    // A private upload of the creator's, an unrelated image, and the example under another Style: 404.
    const upload = await json(await call('/v1/images', { method: 'POST', token: creator.access_token, body: paintedPng(64, 64, (x, y) => [x * 4, y * 4, 90]), headers: { 'content-type': 'image/png' } }));
    const theirs = await json(await call('/v1/images', { method: 'POST', token: stranger.access_token, body: paintedPng(64, 64, (x, y) => [y * 4, 30, x * 4]), headers: { 'content-type': 'image/png' } }));
    const other = await makeStyle(creator.id, { name: `Other ${tag()}`, example_image_ids: [theirs.id] });
    await expectProblem(await call(`/v1/models/${id}/examples/${upload.id}`), 404, 'not_found');
    await expectProblem(await call(`/v1/models/${id}/examples/${theirs.id}`), 404, 'not_found');
    await expectProblem(await call(`/v1/models/${other}/examples/${theirs.id}`), 404, 'not_found');
    await expectProblem(await call(`/v1/models/${other}/examples/${example}`), 404, 'not_found');
    // Taken out of the library: its examples go with it.
    await db().update(styles).set({ status: 'in_moderation' }).where(eq(styles.id, id));
    await expectProblem(await call(`/v1/models/${id}/examples/${example}`), 404, 'not_found');
  });
});
