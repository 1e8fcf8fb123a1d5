// Verification: each user who receives an image from a public Style counts once, however many
// generations and however concurrent, the creator never; at 25 the creator is mailed one
// invitation; then their attestation makes the Style verified and its images licensable.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { styleUsage } from '../../edge/db/schema';
import { recordStyleUsage } from '../../edge/domain/styles/verification';
import { eventsFor } from '../../edge/services';
import { VERIFICATION_USERS } from '../../shared/catalog/styles';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { generateWith, makeStyle, person, styleRow } from './library-support';
import { call, env, expectProblem, grant, json } from './support';

const invitations = async (email: string) =>
  (await json(await call(`/dev/outbox?to=${encodeURIComponent(email)}`))).items.filter((m: any) => /people have used/.test(m.subject));

/** `count` generations at once by this person with the Style, all waited for. */
async function generateMany(token: string, modelId: string, count: number) {
  const started = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await generate(token, { model_id: modelId, prompt: `quay ${i}`, batch: 1, resolution: 'hd', aspect_ratio: '1:1' });
      expect(response.status).toBe(202);
      return (await json(response)).id as string;
    }),
  );
  const done = await Promise.all(started.map((id) => waitForGeneration(token, id, 150_000)));
  expect(done.every((g) => g.status === 'succeeded')).toBe(true);
}

describe('distinct users of a public Style', () => {
  it(`counts ${VERIFICATION_USERS} new users generating at once, and mails the creator one invitation`, async () => {
    const creator = await person();
    const style = await makeStyle(creator.id, { name: `Crowded ${crypto.randomUUID().slice(0, 6)}` });
    const users = await Promise.all(Array.from({ length: VERIFICATION_USERS }, () => person()));
    await Promise.all(users.map((u) => grant(u.email, 10)));
    await Promise.all(users.map((u) => generateMany(u.access_token, style, 1)));

    const row = await styleRow(style);
    expect(row.distinct_users).toBe(VERIFICATION_USERS);
    expect(row.invited_at).not.toBeNull();
    const mails = await invitations(creator.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toMatch(/25 people have now made images with your Style/);
    expect(mails[0].text).toMatch(/verify/i);
    // Eligible now: the creator's attestation verifies it.
    const verified = await json(await call(`/v1/styles/${style}/verify`, { method: 'POST', token: creator.access_token, json: { attestation: true } }));
    expect(verified.verification).toEqual({ distinct_users: VERIFICATION_USERS, threshold: VERIFICATION_USERS, eligible: true, verified: true });
  }, 300_000);

  it('counts one user once however many generations they make, and the creator never', async () => {
    const creator = await person();
    const fan = await person();
    const style = await makeStyle(creator.id, { name: `Loved ${crypto.randomUUID().slice(0, 6)}` });
    await grant(fan.email, 50);
    await grant(creator.email, 50);
    await generateMany(fan.access_token, style, 2);
    await generateMany(creator.access_token, style, 2);
    expect((await styleRow(style)).distinct_users).toBe(1);
    // What each stored output reports, 25 times at once for each (rendering 50 images would take minutes here).
    const events = eventsFor(env);
    await Promise.all(
      [fan, creator].flatMap((who) => Array.from({ length: 25 }, () => recordStyleUsage(env.DB, events, { modelId: style, userId: who.id, now: new Date() }))),
    );
    expect((await styleRow(style)).distinct_users).toBe(1);
    expect(await invitations(creator.email)).toEqual([]);
  }, 120_000);

  it('counts many users whose outputs are stored at the same moment once each, and invites once', async () => {
    const creator = await person();
    const style = await makeStyle(creator.id, { name: `Rushed ${crypto.randomUUID().slice(0, 6)}` });
    const users = await Promise.all(Array.from({ length: VERIFICATION_USERS + 5 }, () => person()));
    const events = eventsFor(env);
    // Every user's output reported twice, all at once: the threshold is crossed inside the rush.
    await Promise.all(users.flatMap((u) => [0, 1].map(() => recordStyleUsage(env.DB, events, { modelId: style, userId: u.id, now: new Date() }))));
    const row = await styleRow(style);
    expect(row.distinct_users).toBe(VERIFICATION_USERS + 5);
    expect(await db().$count(styleUsage, eq(styleUsage.style_id, style))).toBe(VERIFICATION_USERS + 5);
    expect(await invitations(creator.email)).toHaveLength(1);
  }, 120_000);

  it('does not count images from a Style that is not in the library', async () => {
    const creator = await person();
    const user = await person();
    await grant(user.email, 10);
    const mine = await makeStyle(user.id, { name: `Mine ${crypto.randomUUID().slice(0, 6)}`, visibility: 'private', status: 'ready', title: null });
    await generateWith(user.access_token, mine);
    expect((await styleRow(mine)).distinct_users).toBe(0);
    // A Style taken out of the library after the user could start: nothing is counted.
    const withdrawn = await makeStyle(creator.id, { name: `Withdrawn ${crypto.randomUUID().slice(0, 6)}`, status: 'rejected', published_at: null });
    await expectProblem(await generate(user.access_token, { model_id: withdrawn, prompt: 'x', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }), 422, 'validation_failed');
    expect((await styleRow(withdrawn)).distinct_users).toBe(0);
  }, 60_000);
});

describe('POST /v1/styles/{id}/verify', () => {
  it('refuses before the Style is eligible, saying how far along it is', async () => {
    const creator = await person();
    const style = await makeStyle(creator.id, { name: `Early ${crypto.randomUUID().slice(0, 6)}`, distinct_users: 12 });
    const refused = await expectProblem(await call(`/v1/styles/${style}/verify`, { method: 'POST', token: creator.access_token, json: { attestation: true } }), 409, 'conflict');
    expect(refused.detail).toMatch(/12 of 25 people so far/);
    expect((await styleRow(style)).verified).toBe(false);
    await expectProblem(await call(`/v1/styles/${style}/verify`, { method: 'POST', token: creator.access_token, json: { attestation: false } }), 422, 'validation_failed');
    const secret = await makeStyle(creator.id, { name: `Secret ${crypto.randomUUID().slice(0, 6)}`, visibility: 'private', status: 'ready', distinct_users: 30 });
    await expectProblem(await call(`/v1/styles/${secret}/verify`, { method: 'POST', token: creator.access_token, json: { attestation: true } }), 409, 'conflict');
  });

  it('lets only the owner verify an eligible Style, once, and from then on its images can be licensed', async () => {
    const creator = await person();
    const buyer = await person();
    const style = await makeStyle(creator.id, { name: `Ready ${crypto.randomUUID().slice(0, 6)}`, distinct_users: VERIFICATION_USERS });
    await grant(buyer.email, 40);
    const before = await generateWith(buyer.access_token, style);
    expect(before.images[0].policy).toMatchObject({ watermarked: true, license: 'not_available' });

    await expectProblem(await call(`/v1/styles/${style}/verify`, { method: 'POST', token: buyer.access_token, json: { attestation: true } }), 404, 'not_found');
    await expectProblem(await call(`/v1/styles/${style}/verify`, { method: 'POST', json: { attestation: true } }), 401, 'unauthorized');
    const verified = await call(`/v1/styles/${style}/verify`, { method: 'POST', token: creator.access_token, json: { attestation: true } });
    expect(verified.status).toBe(200);
    expect((await json(verified)).verification).toMatchObject({ eligible: true, verified: true });
    const row = await styleRow(style);
    expect(row.verified).toBe(true);
    const again = await call(`/v1/styles/${style}/verify`, { method: 'POST', token: creator.access_token, json: { attestation: true } });
    expect(again.status).toBe(200);
    expect((await styleRow(style)).verified_at).toBe(row.verified_at);

    const image = await json(await call(`/v1/images/${before.images[0].id}`, { token: buyer.access_token }));
    expect(image.policy).toMatchObject({ watermarked: true, license: 'per_image', licensed: false });
    expect(await json(await call(`/v1/models/${style}`))).toMatchObject({ verified: true, license: 'per_image' });
    const license = await call(`/v1/images/${before.images[0].id}/license`, { method: 'POST', token: buyer.access_token, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(license.status).toBe(201);
  }, 60_000);
});
