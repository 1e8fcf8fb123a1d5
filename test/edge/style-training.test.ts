// Training a Style with no provider key, through HTTP: the set's measured style stands in for
// trained weights, progress shows as it goes, the quiz is made through the generation pipeline
// at no extra charge, a pass makes a private Style usable by its owner alone, and a poor score
// retrains free. Money is never lost or spent twice, whatever is retried or raced.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { imageFiles } from '../../edge/domain/images';
import { styles, trainingImages } from '../../edge/db/schema';
import { QUIZ_PASS_AVERAGE, QUIZ_SAMPLE_COUNT, STYLE_TRAINING_CREDITS } from '../../shared/catalog/styles';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { storedImage } from './stored-image';
import { expectLedgerConsistent, retrain, train, trainingSet, waitForStyle } from './style-training-support';
import { call, expectProblem, grant, json, signIn } from './support';

async function creator(credits = STYLE_TRAINING_CREDITS + 30) {
  const me = await signIn();
  if (credits) await grant(me.email, credits);
  return me;
}

const atQuiz = (s: any) => s.status === 'quiz' && s.quiz?.samples?.length > 0;

/** A Style trained offline to its quiz. */
async function trainedToQuiz(me: Awaited<ReturnType<typeof creator>>, name = `Harbour ${crypto.randomUUID().slice(0, 6)}`, visibility = 'private') {
  const setId = await trainingSet(me.access_token, me.user.id);
  const started = await train(me.access_token, { training_set_id: setId, name, visibility });
  expect(started.status).toBe(202);
  const style = await json(started);
  return { setId, style: await waitForStyle(me.access_token, style.id, atQuiz) };
}

const scoresOf = (style: any, score: number) => ({ scores: style.quiz.samples.map((s: any) => ({ image_id: s.image_id, score })) });
const scoreQuiz = (token: string, id: string, body: unknown) => call(`/v1/styles/${id}/quiz`, { method: 'POST', token, json: body });

describe('training a Style offline', () => {
  it('trains from the set’s measured style, shows progress, makes the quiz at no extra charge, and a pass puts a private Style in its owner’s catalog only', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    const response = await train(me.access_token, { training_set_id: setId, name: 'Dusk Studies', visibility: 'private' });
    expect(response.status).toBe(202);
    const started = await json(response);
    expect(started).toMatchObject({ name: 'Dusk Studies', visibility: 'private', status: 'training', version: 1, training_set_id: setId, free_retrain: false, cost: { held: STYLE_TRAINING_CREDITS, charged: 0, refunded: 0 } });
    expect((await expectLedgerConsistent(me)).held).toBe(STYLE_TRAINING_CREDITS);

    const progress: number[] = [];
    const quiz = await waitForStyle(me.access_token, started.id, atQuiz, 25_000, (s) => s.training?.progress != null && progress.push(s.training.progress));
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);
    expect(quiz).toMatchObject({ status: 'quiz', version: 1, training: { progress: 1, error: null }, cost: { held: 0, charged: STYLE_TRAINING_CREDITS, refunded: 0 }, quiz: { threshold: QUIZ_PASS_AVERAGE } });
    expect(quiz.quiz.samples).toHaveLength(QUIZ_SAMPLE_COUNT);
    expect(quiz.quiz.samples.every((s: any) => s.score === null && s.prompt)).toBe(true);
    // The training's price covered the samples: one charge, nothing more.
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
    const { items: ledger } = await json(await call('/v1/credits/ledger', { token: me.access_token }));
    expect(ledger.filter((e: any) => e.kind === 'charge').map((e: any) => e.amount)).toEqual([-STYLE_TRAINING_CREDITS]);
    const { items: made } = await json(await call('/v1/generations', { token: me.access_token }));
    const samples = made.filter((g: any) => g.model_id === started.id);
    expect(samples).toHaveLength(QUIZ_SAMPLE_COUNT);
    expect(samples.every((g: any) => g.status === 'succeeded' && g.cost.charged === 0 && g.cost.held === 0)).toBe(true);

    // The Style is the set's blended style components, measured as POST /v1/style-components measures them.
    const imageIds = (await db().select({ id: trainingImages.image_id }).from(trainingImages).where(eq(trainingImages.set_id, setId)).orderBy(trainingImages.created_at)).map((r) => r.id);
    const measured = await json(await call('/v1/style-components', { method: 'POST', token: me.access_token, json: { image_ids: imageIds } }));
    const row = (await db().select().from(styles).where(eq(styles.id, started.id)).get())!;
    expect(JSON.parse(row.components)).toEqual(measured.blended);
    expect(row.weights).toBeNull();

    // Not usable before its quiz is passed.
    const before = (await json(await call('/v1/models', { token: me.access_token }))).items;
    expect(before.some((m: any) => m.id === started.id)).toBe(false);

    const passed = await scoreQuiz(me.access_token, started.id, scoresOf(quiz, 4));
    expect(passed.status).toBe(200);
    expect(await json(passed)).toMatchObject({ outcome: 'pass', average: 4, style: { status: 'ready', free_retrain: false, quiz: { average: 4, outcome: 'pass' } } });
    const mine = (await json(await call('/v1/models', { token: me.access_token }))).items.find((m: any) => m.id === started.id);
    expect(mine).toMatchObject({ kind: 'private', name: 'Dusk Studies', license: 'per_image' });

    const other = await creator(20);
    expect((await json(await call('/v1/models', { token: other.access_token }))).items.some((m: any) => m.id === started.id)).toBe(false);
    await expectProblem(await generate(other.access_token, { model_id: started.id, prompt: 'a pier', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }), 422, 'validation_failed');

    // Its owner generates with it, paying its price.
    const own = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: started.id, prompt: 'a pier at night', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }))).id);
    expect(own).toMatchObject({ status: 'succeeded', cost: { charged: 3 } });
    expect(own.images[0].policy).toMatchObject({ watermarked: true, license: 'per_image' });
    await expectLedgerConsistent(me);
  }, 90_000);

  it('a poor quiz offers a free retrain: version 2 trains without a hold, from the set as it is now', async () => {
    const me = await creator();
    const { style } = await trainedToQuiz(me);
    const failed = await json(await scoreQuiz(me.access_token, style.id, scoresOf(style, 2)));
    expect(failed).toMatchObject({ outcome: 'retrain', average: 2, style: { status: 'quiz', free_retrain: true, quiz: { outcome: 'retrain' } } });
    expect(failed.style.quiz.samples.every((s: any) => s.score === 2)).toBe(true);

    const again = await retrain(me.access_token, style.id);
    expect(again.status).toBe(202);
    expect(await json(again)).toMatchObject({ status: 'training', version: 2, free_retrain: false, cost: { held: 0, charged: 0, refunded: 0 } });
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
    await expectProblem(await retrain(me.access_token, style.id), 409, 'conflict');

    const second = await waitForStyle(me.access_token, style.id, atQuiz);
    expect(second).toMatchObject({ version: 2, quiz: { threshold: QUIZ_PASS_AVERAGE } });
    expect(second.quiz.outcome).toBeUndefined();
    const firstSamples = new Set(style.quiz.samples.map((s: any) => s.image_id));
    expect(second.quiz.samples.some((s: any) => firstSamples.has(s.image_id))).toBe(false);
    // Unscored, it cannot retrain yet (that would skip the quiz).
    const early = await expectProblem(await retrain(me.access_token, style.id), 409, 'conflict');
    expect(early.detail).toMatch(/Score the quiz first/);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
  }, 90_000);

  it('two retrains at once after a poor quiz: one is free and trains, the other is refused; nothing is charged', async () => {
    const me = await creator();
    const { style } = await trainedToQuiz(me);
    await scoreQuiz(me.access_token, style.id, scoresOf(style, 1));
    const answers = await Promise.all([retrain(me.access_token, style.id, 'a'), retrain(me.access_token, style.id, 'b'), retrain(me.access_token, style.id, 'c')]);
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
    const done = await waitForStyle(me.access_token, style.id, atQuiz);
    expect(done.version).toBe(2);
    // The retried request answers what it started, not a second training.
    const winner = ['a', 'b', 'c'][answers.findIndex((r) => r.status === 202)]!;
    expect((await json(await retrain(me.access_token, style.id, winner))).version).toBe(2);
  }, 90_000);

  it('a retried and a concurrent POST /v1/styles make one Style and one hold', async () => {
    const me = await creator(STYLE_TRAINING_CREDITS * 3);
    const setId = await trainingSet(me.access_token, me.user.id);
    const body = { training_set_id: setId, name: 'Once Only', visibility: 'public' };
    const answers = await Promise.all([train(me.access_token, body, 'k-1'), train(me.access_token, body, 'k-1'), train(me.access_token, body, 'k-1')]);
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202]);
    const ids = new Set((await Promise.all(answers.map((r) => json(r)))).map((s) => s.id));
    expect(ids.size).toBe(1);
    const retried = await json(await train(me.access_token, body, 'k-1'));
    expect(ids.has(retried.id)).toBe(true);
    await expectProblem(await train(me.access_token, { ...body, name: 'Another' }, 'k-1'), 409, 'conflict');
    const taken = await expectProblem(await train(me.access_token, body, 'k-2'), 409, 'conflict');
    expect(taken.detail).toMatch(/already have a Style named “Once Only”/);
    const { items } = await json(await call('/v1/styles', { token: me.access_token }));
    expect(items.map((s: any) => s.id)).toEqual([retried.id]);
    const { items: ledger } = await json(await call('/v1/credits/ledger', { token: me.access_token }));
    expect(ledger.filter((e: any) => e.kind === 'hold')).toHaveLength(1);
    expect((await expectLedgerConsistent(me)).available).toBe(STYLE_TRAINING_CREDITS * 2);
    await waitForStyle(me.access_token, retried.id, atQuiz);
  }, 60_000);

  it('refuses with the reason in words, changing nothing: too few credits, a set not ready, another user’s set', async () => {
    const me = await creator(STYLE_TRAINING_CREDITS - 1);
    const setId = await trainingSet(me.access_token, me.user.id);
    const poor = await expectProblem(await train(me.access_token, { training_set_id: setId, name: 'Too Dear', visibility: 'private' }), 402, 'insufficient_credits');
    expect(poor).toMatchObject({ needed: STYLE_TRAINING_CREDITS, available: STYLE_TRAINING_CREDITS - 1 });

    const rich = await creator();
    const small = await trainingSet(rich.access_token, rich.user.id, 4, (i) => (i === 0 ? '' : `study ${i}`));
    const notReady = await expectProblem(await train(rich.access_token, { training_set_id: small, name: 'Too Few', visibility: 'private' }), 422, 'validation_failed');
    expect(notReady.detail).toMatch(/at least 5 images; it has 4.*One image needs a short description/);
    await expectProblem(await train(rich.access_token, { training_set_id: setId, name: 'Not Mine', visibility: 'private' }), 404, 'not_found');
    for (const who of [me, rich]) {
      expect((await json(await call('/v1/styles', { token: who.access_token }))).items).toEqual([]);
      expect((await expectLedgerConsistent(who)).held).toBe(0);
    }
  });

  it('another user’s Style is not found on every route', async () => {
    const me = await creator();
    const { style } = await trainedToQuiz(me);
    const other = await creator();
    await expectProblem(await call(`/v1/styles/${style.id}`, { token: other.access_token }), 404, 'not_found');
    await expectProblem(await scoreQuiz(other.access_token, style.id, scoresOf(style, 5)), 404, 'not_found');
    await expectProblem(await retrain(other.access_token, style.id), 404, 'not_found');
    expect((await json(await call('/v1/styles', { token: other.access_token }))).items).toEqual([]);
    expect((await json(await call(`/v1/styles/${style.id}`, { token: me.access_token }))).status).toBe('quiz');
  }, 60_000);

  it('scores only this quiz’s samples, each once, every one of them, and only once', async () => {
    const me = await creator();
    const { style } = await trainedToQuiz(me);
    const samples = style.quiz.samples.map((s: any) => s.image_id);
    const foreign = await expectProblem(await scoreQuiz(me.access_token, style.id, { scores: [...samples.slice(1).map((id: string) => ({ image_id: id, score: 5 })), { image_id: 'img_not_in_quiz', score: 5 }] }), 422, 'validation_failed');
    expect(foreign.errors).toEqual(expect.arrayContaining([{ path: `scores.${samples.length - 1}.image_id`, message: 'Not one of this quiz’s samples' }, expect.objectContaining({ path: 'scores' })]));
    const twice = await expectProblem(await scoreQuiz(me.access_token, style.id, { scores: [...samples.map((id: string) => ({ image_id: id, score: 5 })), { image_id: samples[0], score: 1 }] }), 422, 'validation_failed');
    expect(twice.errors).toEqual([{ path: `scores.${samples.length}.image_id`, message: 'This sample is scored twice' }]);
    await expectProblem(await scoreQuiz(me.access_token, style.id, { scores: samples.map((id: string) => ({ image_id: id, score: 6 })) }), 422, 'validation_failed');
    expect((await json(await call(`/v1/styles/${style.id}`, { token: me.access_token }))).quiz.samples.every((s: any) => s.score === null)).toBe(true);

    const both = await Promise.all([scoreQuiz(me.access_token, style.id, scoresOf(style, 5)), scoreQuiz(me.access_token, style.id, scoresOf(style, 1))]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    await expectProblem(await scoreQuiz(me.access_token, style.id, scoresOf(style, 5)), 409, 'conflict');
  }, 60_000);

  it('a training that fails refunds its hold in full, says why, and retrains paid (nothing was charged)', async () => {
    const me = await creator(STYLE_TRAINING_CREDITS + 10);
    const setId = await trainingSet(me.access_token, me.user.id);
    // One of the set's pictures is gone from storage: the training cannot read it.
    const [first] = await db().select({ id: trainingImages.image_id }).from(trainingImages).where(eq(trainingImages.set_id, setId)).orderBy(trainingImages.created_at);
    await env.IMAGES.delete(imageFiles(await storedImage(first!.id)));
    const started = await json(await train(me.access_token, { training_set_id: setId, name: 'Broken Set', visibility: 'private' }));
    const failed = await waitForStyle(me.access_token, started.id, (s) => s.status === 'failed');
    expect(failed).toMatchObject({ free_retrain: false, cost: { held: 0, charged: 0, refunded: STYLE_TRAINING_CREDITS } });
    expect(failed.training.error).toMatch(/Training could not use the set: The image file was not found\./);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: STYLE_TRAINING_CREDITS + 10, held: 0, available: STYLE_TRAINING_CREDITS + 10, owed: 0 });
    await expectProblem(await scoreQuiz(me.access_token, started.id, { scores: [{ image_id: 'img_x', score: 3 }] }), 409, 'conflict');

    const paid = await retrain(me.access_token, started.id);
    expect(paid.status).toBe(202);
    expect(await json(paid)).toMatchObject({ version: 2, status: 'training', cost: { held: STYLE_TRAINING_CREDITS } });
    const again = await waitForStyle(me.access_token, started.id, (s) => s.status === 'failed' && s.version === 2);
    expect(again.cost).toEqual({ held: 0, charged: 0, refunded: STYLE_TRAINING_CREDITS });
    expect(await expectLedgerConsistent(me)).toEqual({ balance: STYLE_TRAINING_CREDITS + 10, held: 0, available: STYLE_TRAINING_CREDITS + 10, owed: 0 });
  });
});
