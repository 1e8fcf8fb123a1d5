// Publishing and moderation through the API: only a public Style that passed its quiz enters
// moderation, with the creator's own results made with it; only moderators decide; every
// decision lands once, is recorded with who made it and is mailed to the creator.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { moderationReviews, users } from '../../edge/db/schema';
import { DEMO_MODERATOR } from '../../edge/domain/seed';
import { rejectionReasons } from '../../shared/statuses';
import { db } from './db';
import { generatedWith, mailTo, pendingStyle, person, publish, publishBody, styleOf, styleRow, upload, withRole } from './pending-style';
import { call, expectProblem, json, signIn } from './support';

const decide = (token: string, styleId: string, body: Record<string, unknown>) => call(`/v1/moderation/${styleId}`, { method: 'POST', token, json: body });
const queue = async (token: string) => (await json(await call('/v1/moderation?status=pending', { token }))).items as any[];

describe('publishing a Style', () => {
  it('submits a public Style that passed its quiz, with its title, title image, examples and copyright status', async () => {
    const style = await styleOf();
    const response = await publish(style);
    expect(response.status).toBe(200);
    const answered = await json(response);
    expect(answered).toMatchObject({
      id: style.id,
      status: 'in_moderation',
      publication: {
        title: `${style.name} at dusk`,
        title_image_id: style.resultIds[0],
        example_image_ids: style.resultIds.slice(1),
        copyright_status: 'own_work',
        submitted_at: expect.any(String),
        published_at: null,
      },
    });
    const moderator = await withRole('moderator');
    const item = (await queue(moderator.access_token)).find((i) => i.style_id === style.id);
    expect(item).toEqual({
      style_id: style.id,
      name: style.name,
      title: `${style.name} at dusk`,
      creator: { handle: expect.any(String), display_name: expect.any(String), email: style.creator.email },
      version: 1,
      training_images: style.trainingImageIds.map((image_id, i) => ({ image_id, description: `harbour study ${i + 1}` })),
      samples: style.sampleIds.map((image_id, i) => ({ image_id, prompt: `sample ${i + 1}`, score: 4 })),
      quiz: { average: 4, scores: [4, 4] },
      title_image_id: style.resultIds[0],
      example_image_ids: style.resultIds.slice(1),
      copyright_status: 'own_work',
      submitted_at: answered.publication.submitted_at,
    });
  });

  it('refuses a private Style, in words', async () => {
    const style = await styleOf({ visibility: 'private' });
    const problem = await expectProblem(await publish(style), 409, 'conflict');
    expect(problem.detail).toMatch(/Private Styles are not published/);
    expect((await styleRow(style.id)).status).toBe('ready');
  });

  it('refuses a Style whose quiz is not taken or not passed', async () => {
    const waiting = await styleOf({ status: 'quiz', quiz: null });
    expect((await expectProblem(await publish(waiting), 409, 'conflict')).detail).toMatch(/Take the quiz first/);
    const failed = await styleOf({ status: 'ready', quiz: 'retrain' });
    expect((await expectProblem(await publish(failed), 409, 'conflict')).detail).toMatch(/did not pass its quiz/);
    const unscored = await styleOf({ status: 'ready', quiz: null });
    expect((await expectProblem(await publish(unscored), 409, 'conflict')).detail).toMatch(/Take the quiz first/);
    for (const s of [waiting, failed, unscored]) expect((await styleRow(s.id)).submitted_at).toBeNull();
  });

  it('refuses a second submission while the first waits', async () => {
    const style = await pendingStyle();
    expect((await expectProblem(await publish(style), 409, 'conflict')).detail).toMatch(/already waiting for a moderator/);
  });

  it('takes only the owner’s own results made with this Style as title image and examples', async () => {
    const style = await styleOf();
    const other = await person('other');
    const [othersResult] = await generatedWith(other, style.id, 1);
    const [baseResult] = await generatedWith(style.creator, null, 1);
    const anUpload = await upload(style.creator.access_token, 11);
    const otherStyle = await styleOf({}, style.creator);

    const cases: [Record<string, unknown>, string][] = [
      [{ title_image_id: othersResult }, 'title_image_id'],
      [{ title_image_id: baseResult }, 'title_image_id'],
      [{ title_image_id: anUpload }, 'title_image_id'],
      [{ example_image_ids: [style.resultIds[1], otherStyle.resultIds[0]] }, 'example_image_ids.1'],
      [{ example_image_ids: [style.resultIds[1], style.resultIds[1]] }, 'example_image_ids.1'],
      [{ example_image_ids: [style.resultIds[0]] }, 'example_image_ids.0'],
      [{ title_image_id: 'img_doesnotexist' }, 'title_image_id'],
    ];
    for (const [overrides, path] of cases) {
      const problem = await expectProblem(await publish(style, publishBody(style, overrides)), 422, 'validation_failed');
      expect(problem.errors.map((e: any) => e.path)).toEqual([path]);
      expect(problem.errors[0].message).toMatch(/made with|chosen already/);
    }
    // Too many examples: the body itself is refused.
    const tooMany = Array.from({ length: 9 }, (_, i) => `img_${i}`);
    await expectProblem(await publish(style, publishBody(style, { example_image_ids: tooMany })), 422, 'validation_failed');
    expect((await styleRow(style.id)).status).toBe('ready');
  });

  it('is for the owner only: another user’s Style does not exist for you', async () => {
    const style = await styleOf();
    const other = await person('other');
    await expectProblem(await publish(style, publishBody(style), other.access_token), 404, 'not_found');
    await expectProblem(await call(`/v1/styles/${style.id}/publish`, { method: 'POST', json: publishBody(style) }), 401, 'unauthorized');
    expect((await styleRow(style.id)).status).toBe('ready');
  });
});

describe('who moderates', () => {
  it('a plain user is refused in words; a moderator and an admin see the queue', async () => {
    const style = await pendingStyle();
    const user = await person('user');
    const refused = await expectProblem(await call('/v1/moderation?status=pending', { token: user.access_token }), 403, 'forbidden');
    expect(refused.detail).toMatch(/not a moderator/);
    await expectProblem(await decide(user.access_token, style.id, { decision: 'accept' }), 403, 'forbidden');
    await expectProblem(await call(`/v1/moderation/${style.id}/images/${style.trainingImageIds[0]}`, { token: user.access_token }), 403, 'forbidden');
    // Not even the creator moderates their own Style.
    await expectProblem(await decide(style.creator.access_token, style.id, { decision: 'accept' }), 403, 'forbidden');
    expect((await styleRow(style.id)).status).toBe('in_moderation');

    for (const role of ['moderator', 'admin'] as const) {
      const who = await withRole(role);
      expect((await queue(who.access_token)).map((i) => i.style_id)).toContain(style.id);
    }
  });

  it('lists pending Styles oldest first, and no other', async () => {
    const first = await pendingStyle();
    const second = await pendingStyle();
    const ready = await styleOf();
    const ids = (await queue((await withRole('moderator')).access_token)).map((i) => i.style_id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(ready.id);
  });
});

describe('a moderator’s decision', () => {
  it('accepting publishes the Style in everyone’s library and mails the creator', async () => {
    const style = await pendingStyle();
    const moderator = await withRole('moderator');
    const response = await decide(moderator.access_token, style.id, { decision: 'accept', note: 'Lovely and consistent.' });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ style_id: style.id, version: 1, decision: 'accepted', reason: null, note: 'Lovely and consistent.', moderator: moderator.user.handle, decided_at: expect.any(String) });
    const row = await styleRow(style.id);
    expect(row).toMatchObject({ status: 'published', free_retrain: false, published_at: expect.any(String) });
    const reviews = await db().select().from(moderationReviews).where(eq(moderationReviews.style_id, style.id));
    expect(reviews).toEqual([expect.objectContaining({ moderator_id: moderator.id, decision: 'accepted' })]);
    // In the library for everyone, signed in or not, under the title it was published with.
    const stranger = await person('stranger');
    for (const token of [undefined, stranger.access_token]) {
      const { items } = await json(await call('/v1/models?kind=artist', token ? { token } : {}));
      expect(items.find((m: any) => m.id === style.id)).toMatchObject({ kind: 'artist', name: publishBody(style).title });
    }
    const [mail] = await mailTo(style.creator.email);
    expect(mail!.subject).toBe(`Your Style “${style.name} at dusk” is published`);
    expect(mail!.text).toMatch(/now in the community library/);
    // Out of the queue.
    expect((await queue(moderator.access_token)).map((i) => i.style_id)).not.toContain(style.id);
  });

  const reasonWords = { terms: /Terms of use/, inconsistent_style: /Inconsistent style/, copyright: /Copyright/ } as const;

  for (const reason of rejectionReasons) {
    it(`rejecting for ${reason} leaves a free retrain and mails the reason and the note`, async () => {
      const style = await pendingStyle();
      const moderator = await withRole('moderator');
      const response = await decide(moderator.access_token, style.id, { decision: 'reject', reason, note: 'Look at the third sample.' });
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({ decision: 'rejected', reason, note: 'Look at the third sample.', moderator: moderator.user.handle });
      expect(await styleRow(style.id)).toMatchObject({ status: 'rejected', free_retrain: true, published_at: null });
      const [mail] = await mailTo(style.creator.email);
      expect(mail!.subject).toBe(`Your Style “${style.name} at dusk” was not accepted`);
      expect(mail!.text).toMatch(reasonWords[reason]);
      expect(mail!.text).toMatch(/Look at the third sample\./);
      expect(mail!.text).toMatch(/retrain it for free/);
      const { items } = await json(await call('/v1/models?kind=artist'));
      expect(items.find((m: any) => m.id === style.id)).toBeUndefined();
    });
  }

  it('a rejection without a reason is refused and changes nothing', async () => {
    const style = await pendingStyle();
    const moderator = await withRole('moderator');
    const problem = await expectProblem(await decide(moderator.access_token, style.id, { decision: 'reject', note: 'no' }), 422, 'validation_failed');
    expect(problem.errors[0].path).toBe('reason');
    expect((await styleRow(style.id)).status).toBe('in_moderation');
    expect(await mailTo(style.creator.email)).toEqual([]);
  });

  it('moderators deciding at once: exactly one decision lands, one mail is sent', async () => {
    const style = await pendingStyle();
    const moderators = await Promise.all(['mod-a', 'mod-b', 'mod-c', 'mod-d'].map((label) => withRole('moderator', label)));
    const answers = await Promise.all(
      moderators.map((m, i) => decide(m.access_token, style.id, i % 2 ? { decision: 'reject', reason: 'copyright' } : { decision: 'accept' })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    for (const refused of answers.filter((r) => r.status === 409)) expect((await expectProblem(refused, 409, 'conflict')).detail).toMatch(/already/);
    const reviews = await db().select().from(moderationReviews).where(eq(moderationReviews.style_id, style.id));
    expect(reviews).toHaveLength(1);
    expect((await styleRow(style.id)).status).toBe(reviews[0]!.decision === 'accepted' ? 'published' : 'rejected');
    expect(await mailTo(style.creator.email)).toHaveLength(1);
  });

  it('a decision whose review is already written for this version aborts whole (the batch’s own guard)', async () => {
    const style = await pendingStyle();
    const [first, second] = [await withRole('moderator', 'mod-a'), await withRole('moderator', 'mod-b')];
    // As if another moderator's batch had landed between this one's read and its write.
    await db().insert(moderationReviews).values({ id: 'rev_first', style_id: style.id, version: 1, moderator_id: first.id, decision: 'rejected', reason: 'terms', note: null, decided_at: new Date().toISOString() });
    await expectProblem(await decide(second.access_token, style.id, { decision: 'accept' }), 409, 'conflict');
    expect((await styleRow(style.id)).status).toBe('in_moderation');
    expect(await mailTo(style.creator.email)).toEqual([]);
  });

  it('a decided Style cannot be decided again; an unknown one does not exist', async () => {
    const style = await pendingStyle();
    const moderator = await withRole('moderator');
    expect((await decide(moderator.access_token, style.id, { decision: 'accept' })).status).toBe(200);
    const again = await expectProblem(await decide(moderator.access_token, style.id, { decision: 'reject', reason: 'terms' }), 409, 'conflict');
    expect(again.detail).toMatch(/already accepted/);
    const ready = await styleOf();
    expect((await expectProblem(await decide(moderator.access_token, ready.id, { decision: 'accept' }), 409, 'conflict')).detail).toMatch(/not waiting/);
    await expectProblem(await decide(moderator.access_token, 'sty_unknown', { decision: 'accept' }), 404, 'not_found');
  });
});

describe('what a moderator may see', () => {
  it('every image of the pending Style, and nothing else', async () => {
    const style = await pendingStyle();
    const moderator = await withRole('moderator');
    const image = (id: string, styleId = style.id) => call(`/v1/moderation/${styleId}/images/${id}`, { token: moderator.access_token });
    for (const id of [...style.trainingImageIds, ...style.sampleIds, ...style.resultIds]) {
      const shown = await image(id);
      expect(shown.status).toBe(200);
      expect(shown.headers.get('content-type')).toBe('image/jpeg');
      expect(shown.headers.get('cache-control')).toContain('no-store');
    }
    // The creator's other images, another user's, and another pending Style's through this one.
    const unrelated = await upload(style.creator.access_token, 21);
    const other = await pendingStyle();
    const stranger = await person('stranger');
    const strangers = await upload(stranger.access_token, 23);
    for (const id of [unrelated, strangers, other.trainingImageIds[0]!, 'img_unknown']) await expectProblem(await image(id), 404, 'not_found');
    // A Style that is not waiting in moderation shows nothing.
    const ready = await styleOf();
    await expectProblem(await image(ready.trainingImageIds[0]!, ready.id), 404, 'not_found');
    expect((await decide(moderator.access_token, style.id, { decision: 'accept' })).status).toBe(200);
    await expectProblem(await image(style.trainingImageIds[0]!), 404, 'not_found');
  });
});

describe('local development', () => {
  it('the seed makes moderator@exactly.local a moderator, once, who signs in like everyone else', async () => {
    const dev = await person('dev');
    for (let i = 0; i < 2; i++) expect((await call('/dev/seed', { method: 'POST', json: { email: dev.email } })).status).toBe(200);
    const rows = await db().select().from(users).where(eq(users.email, DEMO_MODERATOR.email));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.role).toBe('moderator');
    const moderator = await signIn(DEMO_MODERATOR.email);
    expect(moderator.user.roles).toEqual(['user', 'moderator']);
    expect((await call('/v1/moderation?status=pending', { token: moderator.access_token })).status).toBe(200);
    // An admin stays an admin when the seed runs again.
    expect((await call('/dev/roles', { method: 'POST', json: { email: DEMO_MODERATOR.email, role: 'admin' } })).status).toBe(200);
    await call('/dev/seed', { method: 'POST', json: { email: dev.email } });
    expect((await db().select().from(users).where(eq(users.email, DEMO_MODERATOR.email)).get())!.role).toBe('admin');
  });
});
