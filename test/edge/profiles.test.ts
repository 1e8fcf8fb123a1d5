// Creators and profiles: a unique handle for everyone from sign-up, a profile they change,
// and a public creator page that shows their published Styles and never their email.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { newId } from '../../edge/db/ids';
import { users } from '../../edge/db/schema';
import { db } from './db';
import { generateWith, makeStyle, person } from './library-support';
import { paintedPng } from './pixels';
import { call, expectProblem, grant, json, signIn } from './support';

const patch = (token: string, body: unknown) => call('/v1/profile', { method: 'PATCH', token, json: body });
const upload = async (token: string, seed: number) =>
  json(await call('/v1/images', { method: 'POST', token, body: paintedPng(300, 200, (x, y) => [(x * seed) % 256, (y * 3) % 256, 120]), headers: { 'content-type': 'image/png' } }));
const word = () => crypto.randomUUID().slice(0, 6).replace(/-/g, '');

describe('handles from sign-up', () => {
  it('derives a unique handle from the email’s local part, adding digits on a clash', async () => {
    const w = word();
    const first = await signIn(`Ana.Lima+${w}@one.test`);
    const second = await signIn(`ana.lima+other${w}@two.test`);
    const a = await signIn(`ana.${w}@one.test`);
    const b = await signIn(`ANA.${w}@two.test`);
    expect(a.user.handle).toBe(`ana_${w}`);
    expect(b.user.handle).toBe(`ana_${w}2`);
    expect(a.user.display_name).toBe(a.user.handle);
    // Signing in again keeps the handle.
    expect((await signIn(a.email)).user.handle).toBe(`ana_${w}`);
    // A +tag is dropped; the rest lowercased, other characters as _.
    expect(first.user.handle).toMatch(/^ana_lima\d*$/);
    expect(second.user.handle).toMatch(/^ana_lima\d*$/);
    expect(second.user.handle).not.toBe(first.user.handle);
    const short = await signIn(`q+${w}@three.test`);
    expect(short.user.handle).toMatch(/^[a-z0-9][a-z0-9_]{2,29}$/);
  });

  it('gives a person created before handles existed one on first read, so their Styles show a creator', async () => {
    const id = newId('usr');
    const email = `older.${word()}@example.test`;
    await db().insert(users).values({ id, email, role: 'user', created_at: new Date().toISOString() });
    const style = await makeStyle(id, { name: `Older ${word()}` });
    const shown = await json(await call(`/v1/models/${style}`));
    expect(shown.creator.handle).toMatch(/^older_/);
    expect(shown.creator.display_name).toBe(shown.creator.handle);
    expect((await signIn(email)).user.handle).toBe(shown.creator.handle);
  });
});

describe('GET|PATCH /v1/profile', () => {
  it('changes handle, display name, bio and links, refusing a taken handle with 409 in words', async () => {
    const me = await person();
    const other = await person();
    const handle = `mira_${word()}`;
    const changed = await json(await patch(me.access_token, { handle: handle.toUpperCase(), display_name: 'Mira Okafor', bio: 'Harbour painter.', links: [{ label: 'Portfolio', url: 'https://mira.example/work' }] }));
    expect(changed).toEqual({ handle, display_name: 'Mira Okafor', bio: 'Harbour painter.', avatar_image_id: null, links: [{ label: 'Portfolio', url: 'https://mira.example/work' }] });
    expect(await json(await call('/v1/profile', { token: me.access_token }))).toEqual(changed);

    const taken = await expectProblem(await patch(other.access_token, { handle }), 409, 'conflict');
    expect(taken.detail).toMatch(/taken/);
    expect((await json(await call('/v1/profile', { token: other.access_token }))).handle).toBe(other.handle);

    // Two people asking for one free handle at the same moment: the unique index decides.
    const contested = `harbour_${word()}`;
    const [one, two] = await Promise.all([patch(me.access_token, { handle: contested }), patch(other.access_token, { handle: contested })]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
  });

  it('refuses links other than http(s), a malformed handle, and an empty change, changing nothing', async () => {
    const me = await person();
    for (const body of [
      { links: [{ label: 'x', url: 'javascript:alert(1)' }] },
      { links: [{ label: 'x', url: 'ftp://files.example/a' }] },
      { handle: 'a b' },
      { handle: 'xy' },
      {},
    ]) {
      await expectProblem(await patch(me.access_token, body), 422, 'validation_failed');
    }
    expect(await json(await call('/v1/profile', { token: me.access_token }))).toMatchObject({ handle: me.handle, links: [] });
    await expectProblem(await call('/v1/profile'), 401, 'unauthorized');
  });

  it('takes one of your own uploads as avatar, never another person’s or a watermarked image, and null clears it', async () => {
    const me = await person();
    const other = await person();
    const mine = await upload(me.access_token, 3);
    const theirs = await upload(other.access_token, 5);
    await expectProblem(await patch(me.access_token, { avatar_image_id: theirs.id }), 404, 'not_found');
    expect((await json(await call('/v1/profile', { token: me.access_token }))).avatar_image_id).toBeNull();

    const style = await makeStyle(other.id, { name: `Locked ${word()}` });
    await grant(me.email, 10);
    const locked = await generateWith(me.access_token, style);
    await expectProblem(await patch(me.access_token, { avatar_image_id: locked.images[0].id }), 422, 'validation_failed');

    expect((await json(await patch(me.access_token, { avatar_image_id: mine.id }))).avatar_image_id).toBe(mine.id);
    const avatar = await call(`/v1/creators/${me.handle.toUpperCase()}/avatar`);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toBe('image/jpeg');
    const image = PhotonImage.new_from_byteslice(new Uint8Array(await avatar.arrayBuffer()));
    expect(Math.max(image.get_width(), image.get_height())).toBe(256);
    image.free();

    expect((await json(await patch(me.access_token, { avatar_image_id: null }))).avatar_image_id).toBeNull();
    await expectProblem(await call(`/v1/creators/${me.handle}/avatar`), 404, 'not_found');
  }, 60_000);
});

describe('GET /v1/creators/{handle}', () => {
  it('shows a creator’s profile and published Styles, in any case, without their email', async () => {
    const mira = await person();
    await patch(mira.access_token, { display_name: 'Mira Okafor', bio: 'Harbour painter.', links: [{ label: 'Site', url: 'https://mira.example' }] });
    const shown = await makeStyle(mira.id, { name: `Shown ${word()}`, distinct_users: 4 });
    await makeStyle(mira.id, { name: `Pending ${word()}`, status: 'in_moderation', published_at: null });
    await makeStyle(mira.id, { name: `Mine ${word()}`, visibility: 'private', status: 'ready', title: null });

    const response = await call(`/v1/creators/${mira.handle.toUpperCase()}`);
    expect(response.status).toBe(200);
    const page = await json(response);
    expect(page).toMatchObject({ handle: mira.handle, display_name: 'Mira Okafor', bio: 'Harbour painter.', avatar_url: null, links: [{ label: 'Site', url: 'https://mira.example' }] });
    expect(page.styles.map((s: any) => s.id)).toEqual([shown]);
    expect(page.styles[0]).toMatchObject({ kind: 'artist', users: 4, creator: { handle: mira.handle, display_name: 'Mira Okafor' } });
    expect(JSON.stringify(page)).not.toContain(mira.email);
    expect(JSON.stringify(page)).not.toContain('@');

    await expectProblem(await call(`/v1/creators/nobody_${word()}`), 404, 'not_found');
    await expectProblem(await call(`/v1/creators/nobody_${word()}/avatar`), 404, 'not_found');
  });
});
