// Training a Style at Replicate (its trainings API, ostris/flux-dev-lora-trainer pushing a new
// version to this account's model), end to end inside workerd against the local Replicate:
// progress read from the trainer's logs, completion by webhook or by polling, a repeated
// report changing nothing, failures refunded, and the trained version painting the Style.
import { exports } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { styleVersions } from '../../../edge/db/schema';
import { QUIZ_SAMPLE_COUNT, STYLE_TRAINING_CREDITS, styleTriggerWord } from '../../../shared/catalog/styles';
import { FLUX_LORA_TRAINER } from '../../fakes/replicate';
import { db } from '../../edge/db';
import { generate, waitForGeneration } from '../../edge/generation-support';
import { expectLedgerConsistent, train, trainingSet, waitForStyle } from '../../edge/style-training-support';
import { call, grant, json, signIn } from '../../edge/support';
import { runCron, useReplicate } from '../network';

const replicate = useReplicate();
/** This API as Replicate reaches it: a public https origin (Replicate fetches the set's zip from it). */
const PUBLIC = 'https://api.studio.test';

async function creator(credits = STYLE_TRAINING_CREDITS + 30) {
  const me = await signIn();
  await grant(me.email, credits);
  return me;
}

const atQuiz = (s: any) => s.status === 'quiz' && s.quiz?.samples?.length > 0;
const startTraining = (token: string, setId: string, name: string) => train(token, { training_set_id: setId, name, visibility: 'private' }, undefined, { vars: { PUBLIC_API_URL: PUBLIC } });

/** Waits until the training is at Replicate, and returns its id there. */
async function trainingAtReplicate(styleId: string, version = 1): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const row = await db().select().from(styleVersions).where(and(eq(styleVersions.style_id, styleId), eq(styleVersions.version, version))).get();
    if (row?.request_id && !row.request_id.startsWith('claim:')) return row.request_id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the training of ${styleId} never reached Replicate`);
}

describe('training a Style at Replicate', () => {
  it('trains with the set’s zip, shows the trainer’s progress, finishes by webhook, and the quiz and generations run the trained version', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    const style = await json(await startTraining(me.access_token, setId, 'Harbour Version'));
    const id = await trainingAtReplicate(style.id);
    const sent = replicate().log.trainings.at(-1)!;
    expect(sent.path).toBe(`/v1/models/${FLUX_LORA_TRAINER.model}/versions/${FLUX_LORA_TRAINER.version}/trainings`);
    expect(sent.body).toMatchObject({ destination: 'studio/styles', webhook: `${PUBLIC}/v1/webhooks/replicate`, webhook_events_filter: ['completed'], input: { trigger_word: styleTriggerWord(style.id), autocaption: false } });
    expect(sent.body.input.input_images).toMatch(new RegExp(`^${PUBLIC}/v1/provider-inputs/`));

    // Replicate reports progress only when asked (its webhook says "completed" alone): the cron asks.
    replicate().progressTraining(id, 40);
    await runCron(new Date(Date.now() + 2 * 60_000));
    expect((await json(await call(`/v1/styles/${style.id}`, { token: me.access_token }))).training.progress).toBe(0.4);

    replicate().completeTraining(id);
    const quiz = await waitForStyle(me.access_token, style.id, atQuiz);
    const trained = replicate().trainings.get(id)!.output!.version;
    const [, versionId] = trained.split(':');
    const predictions = replicate().log.creates.filter((c) => c.body.version === versionId);
    expect(predictions).toHaveLength(QUIZ_SAMPLE_COUNT);
    expect(predictions.every((c) => c.path === '/v1/predictions' && c.body.input.prompt.startsWith(`${styleTriggerWord(style.id)}, `))).toBe(true);
    expect(quiz.cost).toEqual({ held: 0, charged: STYLE_TRAINING_CREDITS, refunded: 0 });

    await call(`/v1/styles/${style.id}/quiz`, { method: 'POST', token: me.access_token, json: { scores: quiz.quiz.samples.map((s: any) => ({ image_id: s.image_id, score: 4 })) } });
    const made = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: style.id, prompt: 'a quay at noon', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }))).id);
    expect(made).toMatchObject({ status: 'succeeded', cost: { charged: 3 } });
    expect(replicate().log.creates.at(-1)!.body).toMatchObject({ version: versionId, input: { prompt: `${styleTriggerWord(style.id)}, a quay at noon` } });
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 27, held: 0, available: 27, owed: 0 });
  });

  it('a training whose webhook never comes is finished by polling, and the late webhook changes nothing', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    const style = await json(await startTraining(me.access_token, setId, 'Late Webhook'));
    const id = await trainingAtReplicate(style.id);
    replicate().behaviour.webhooks = false;
    replicate().completeTraining(id);
    replicate().behaviour.webhooks = true;
    await runCron(new Date(Date.now() + 2 * 60_000));
    await waitForStyle(me.access_token, style.id, atQuiz);
    for (const copy of [1, 2]) {
      const late = await exports.default.fetch(await replicate().signedTrainingWebhook(id, { id: 'msg_late' }));
      expect(await late.json()).toEqual(copy === 1 ? { received: true } : { received: true, duplicate: true });
    }
    await new Promise((r) => setTimeout(r, 300));
    const { items } = await json(await call('/v1/credits/ledger', { token: me.access_token }));
    expect(items.filter((e: any) => e.kind === 'charge').map((e: any) => e.amount)).toEqual([-STYLE_TRAINING_CREDITS]);
    expect(await json(await call(`/v1/styles/${style.id}`, { token: me.access_token }))).toMatchObject({ status: 'quiz', version: 1 });
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
  });

  it('a forged report is refused; a training Replicate fails is refunded in full with its reason', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    const style = await json(await startTraining(me.access_token, setId, 'Out Of Memory'));
    const id = await trainingAtReplicate(style.id);
    replicate().completeTraining(id, 'failed');
    const forged = await replicate().signedTrainingWebhook(id, { body: JSON.stringify({ id, status: 'succeeded', output: { version: 'studio/styles:' + 'f'.repeat(64) } }), signature: 'v1,' + btoa('not the signature') });
    expect((await exports.default.fetch(forged)).status).toBe(401);
    const failed = await waitForStyle(me.access_token, style.id, (s) => s.status === 'failed');
    expect(failed).toMatchObject({ free_retrain: false, cost: { held: 0, charged: 0, refunded: STYLE_TRAINING_CREDITS } });
    expect(failed.training.error).toMatch(/Replicate: CUDA out of memory\..*Nothing was charged/);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: STYLE_TRAINING_CREDITS + 30, held: 0, available: STYLE_TRAINING_CREDITS + 30, owed: 0 });
    const again = await call(`/v1/styles/${style.id}/retrain`, { method: 'POST', token: me.access_token, vars: { PUBLIC_API_URL: PUBLIC } });
    expect(await json(again)).toMatchObject({ version: 2, status: 'training', cost: { held: STYLE_TRAINING_CREDITS } });
    replicate().completeTraining(await trainingAtReplicate(style.id, 2));
    await waitForStyle(me.access_token, style.id, atQuiz);
  });
});
