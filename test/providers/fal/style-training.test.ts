// Training a Style at fal (fal-ai/flux-lora-fast-training), end to end inside workerd against
// the local fal: the set leaves as a zip behind a short-lived link (the fake downloads it
// through our own route), webhooks finish it, polling does where none comes, a forged or
// repeated report changes nothing, and the trained Style paints with its LoRA.
import { exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { styleVersions } from '../../../edge/db/schema';
import { FAL_LORA_ENDPOINT, FAL_TRAINING_ENDPOINT } from '../../../edge/providers/fal';
import { QUIZ_SAMPLE_COUNT, STYLE_TRAINING_CREDITS, styleTriggerWord } from '../../../shared/catalog/styles';
import { db } from '../../edge/db';
import { generate, waitForGeneration } from '../../edge/generation-support';
import { expectLedgerConsistent, retrain, train, trainingSet, waitForStyle } from '../../edge/style-training-support';
import { BASE, call, grant, json, signIn } from '../../edge/support';
import { runCron, useFal } from '../network';

const fal = useFal();

// fal fetches the set's archive from our link: this API's host reaches the Worker, as it would over the internet.
beforeAll(() => {
  const outside = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    return new URL(request.url).origin === BASE ? exports.default.fetch(request) : outside(request);
  });
});

async function creator(credits = STYLE_TRAINING_CREDITS + 30) {
  const me = await signIn();
  await grant(me.email, credits);
  return me;
}

const atQuiz = (s: any) => s.status === 'quiz' && s.quiz?.samples?.length > 0;
const trainings = () => fal().log.submits.filter((s) => s.endpoint === FAL_TRAINING_ENDPOINT);

async function versionOf(styleId: string) {
  return (await db().select().from(styleVersions).where(eq(styleVersions.style_id, styleId)).orderBy(styleVersions.version)).at(-1)!;
}

/** Waits until the training reached fal (its request id recorded), and returns that id. */
async function trainingAtFal(styleId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const version = await versionOf(styleId);
    if (version.request_id && !version.request_id.startsWith('claim:')) return version.request_id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the training of ${styleId} never reached fal`);
}

describe('training a Style at fal', () => {
  it('sends the set as a captioned zip behind a short-lived link, finishes by webhook, and the quiz and generations paint with its LoRA', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    const before = trainings().length;
    const style = await json(await train(me.access_token, { training_set_id: setId, name: 'Harbour LoRA', visibility: 'private' }));
    const quiz = await waitForStyle(me.access_token, style.id, atQuiz);

    const [submitted] = trainings().slice(before);
    const trigger = styleTriggerWord(style.id);
    expect(submitted!.input).toMatchObject({ trigger_word: trigger, is_style: true });
    expect(submitted!.input.images_data_url).toMatch(new RegExp(`^${BASE}/v1/provider-inputs/`));
    expect(submitted!.webhook).toBe(`${BASE}/v1/webhooks/fal`);
    const requestId = fal().requests.get([...fal().requests.keys()].find((id) => fal().requests.get(id)!.input === submitted!.input)!)!.id;
    const archive = fal().log.archives.get(requestId)!;
    expect(archive.images).toHaveLength(5);
    expect(archive.images.every((i) => i.caption?.startsWith(`${trigger}, `))).toBe(true);
    expect(archive.images[0]!.caption).toBe(`${trigger}, harbour at dusk, warm amber teal`);
    // The link served the set once, for minutes: it is no open door to the bucket.
    expect((await call(new URL(submitted!.input.images_data_url).pathname + 'x')).status).toBe(404);

    const version = await versionOf(style.id);
    const lora = (fal().requests.get(requestId)!.result!.body as any).diffusers_lora_file.url;
    expect(JSON.parse(version.weights!)).toEqual({ provider: 'fal', kind: 'lora', url: lora });
    expect(quiz).toMatchObject({ cost: { held: 0, charged: STYLE_TRAINING_CREDITS, refunded: 0 }, training: { progress: 1, error: null } });
    const samples = fal().log.submits.filter((s) => s.endpoint === FAL_LORA_ENDPOINT && s.input.loras?.[0]?.path === lora);
    expect(samples).toHaveLength(QUIZ_SAMPLE_COUNT);
    expect(samples.every((s) => s.input.prompt.startsWith(`${trigger}, `) && s.input.num_images === 1)).toBe(true);

    await call(`/v1/styles/${style.id}/quiz`, { method: 'POST', token: me.access_token, json: { scores: quiz.quiz.samples.map((s: any) => ({ image_id: s.image_id, score: 5 })) } });
    const made = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: style.id, prompt: 'boats at anchor', batch: 2, resolution: 'hd', aspect_ratio: '1:1' }))).id);
    expect(made).toMatchObject({ status: 'succeeded', cost: { charged: 6 } });
    const last = fal().log.submits.at(-1)!;
    expect(last).toMatchObject({ endpoint: FAL_LORA_ENDPOINT, input: { prompt: `${trigger}, boats at anchor`, loras: [{ path: lora, scale: 1 }], num_images: 2, image_size: { width: 1024, height: 1024 } } });
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30 - 6, held: 0, available: 24, owed: 0 });
  });

  it('a forged training report is refused and a repeated one changes nothing: charged once', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    fal().behaviour.autoComplete = false;
    const style = await json(await train(me.access_token, { training_set_id: setId, name: 'Forged', visibility: 'private' }));
    const requestId = await trainingAtFal(style.id);
    fal().behaviour.autoComplete = true;
    fal().behaviour.webhooks = false;
    fal().complete(requestId);
    fal().behaviour.webhooks = true;

    const forged = [
      await fal().webhookFor(requestId, { signature: '0'.repeat(128) }),
      await fal().webhookFor(requestId, { userId: 'another-fal-account' }),
      await fal().webhookFor(requestId, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ];
    for (const request of forged) expect((await exports.default.fetch(request)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await json(await call(`/v1/styles/${style.id}`, { token: me.access_token }))).toMatchObject({ status: 'training', cost: { held: STYLE_TRAINING_CREDITS } });

    const genuine = await exports.default.fetch(await fal().webhookFor(requestId));
    expect(await genuine.json()).toEqual({ received: true });
    const again = await exports.default.fetch(await fal().webhookFor(requestId));
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    await waitForStyle(me.access_token, style.id, atQuiz);
    const { items } = await json(await call('/v1/credits/ledger', { token: me.access_token }));
    expect(items.filter((e: any) => e.kind === 'charge').map((e: any) => e.amount)).toEqual([-STYLE_TRAINING_CREDITS]);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
  });

  it('a training whose webhook never comes is finished by the cron asking fal', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    fal().behaviour.webhooks = false;
    try {
      const style = await json(await train(me.access_token, { training_set_id: setId, name: 'Quiet', visibility: 'private' }));
      await trainingAtFal(style.id);
      expect((await json(await call(`/v1/styles/${style.id}`, { token: me.access_token }))).status).toBe('training');
      // Each round asks fal about the training, then about the quiz's samples.
      for (let minutes = 2; minutes <= 12; minutes += 2) {
        await runCron(new Date(Date.now() + minutes * 60_000));
        if ((await json(await call(`/v1/styles/${style.id}`, { token: me.access_token }))).status === 'quiz') break;
      }
      const done = await waitForStyle(me.access_token, style.id, atQuiz, 10_000);
      expect(done.cost).toEqual({ held: 0, charged: STYLE_TRAINING_CREDITS, refunded: 0 });
    } finally {
      fal().behaviour.webhooks = true;
    }
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
  }, 60_000);

  it('a training fal fails is refunded in full with fal’s reason, and retrains paid', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    fal().behaviour.failTrainings = 1;
    const style = await json(await train(me.access_token, { training_set_id: setId, name: 'Refused', visibility: 'public' }));
    const failed = await waitForStyle(me.access_token, style.id, (s) => s.status === 'failed');
    expect(failed).toMatchObject({ free_retrain: false, cost: { held: 0, charged: 0, refunded: STYLE_TRAINING_CREDITS } });
    expect(failed.training.error).toMatch(/not enough usable images in the archive.*Nothing was charged/);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: STYLE_TRAINING_CREDITS + 30, held: 0, available: STYLE_TRAINING_CREDITS + 30, owed: 0 });
    const again = await json(await retrain(me.access_token, style.id));
    expect(again).toMatchObject({ version: 2, status: 'training', cost: { held: STYLE_TRAINING_CREDITS } });
    await waitForStyle(me.access_token, style.id, atQuiz);
  });

  it('when no quiz sample can be made the Style fails, and its retrain is free (the training was charged)', async () => {
    const me = await creator();
    const setId = await trainingSet(me.access_token, me.user.id);
    fal().behaviour.failRequests = QUIZ_SAMPLE_COUNT;
    const style = await json(await train(me.access_token, { training_set_id: setId, name: 'No Samples', visibility: 'private' }));
    const failed = await waitForStyle(me.access_token, style.id, (s) => s.status === 'failed');
    expect(failed).toMatchObject({ free_retrain: true, cost: { charged: STYLE_TRAINING_CREDITS } });
    expect(failed.training.error).toMatch(/No quiz sample could be made.*The prompt was flagged.*the retrain is free/);
    const again = await json(await retrain(me.access_token, style.id));
    expect(again).toMatchObject({ version: 2, status: 'training', free_retrain: false, cost: { held: 0, charged: 0, refunded: 0 } });
    await waitForStyle(me.access_token, style.id, atQuiz);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 30, held: 0, available: 30, owed: 0 });
  });
});
