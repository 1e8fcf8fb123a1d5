// The Replicate fake, held to Replicate's own code: the official `replicate` client (running
// here, inside workerd) drives it, and its webhook signatures are checked with the client's
// `validateWebhook` and with `standardwebhooks`, never with the project's verifier. What the
// fake gets wrong here, the adapter tests would never see.
import Replicate, { parseProgressFromLogs, validateWebhook } from 'replicate';
import { Webhook } from 'standardwebhooks';
import { zipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPng } from '../../fakes/png';
import { createReplicateFake, FLUX_LORA_TRAINER, type ReplicateFake } from '../../fakes/replicate';

const WEBHOOK = 'https://api.example.test/v1/webhooks/replicate';
const input = { prompt: 'a heron at dawn', num_outputs: 2, aspect_ratio: '1:1', output_format: 'png' };

let fake: ReplicateFake;
let delivered: Request[];
let client: Replicate;

beforeEach(() => {
  const mine: Request[] = [];
  delivered = mine;
  fake = createReplicateFake({ deliver: async (r) => (mine.push(r), new Response('ok')) });
  client = new Replicate({ auth: fake.token, baseUrl: `${fake.origin}/v1`, fetch: (i, init) => fake.handle(new Request(i, init)) });
});

const captionedZip = () =>
  `data:application/zip;base64,${btoa(String.fromCharCode(...zipSync({ 'a.png': createPng(8, 8, [9, 9, 9]), 'a.txt': new TextEncoder().encode('a grey tile') })))}`;

describe('the official client against the fake', () => {
  it('creates, reads and cancels predictions on an official model', async () => {
    fake.behaviour.autoComplete = false;
    const created = await client.predictions.create({ model: 'black-forest-labs/flux-schnell', input, webhook: WEBHOOK, webhook_events_filter: ['completed'] });
    expect(created).toMatchObject({ id: expect.any(String), model: 'black-forest-labs/flux-schnell', status: 'starting', input, urls: { get: `${fake.origin}/v1/predictions/${created.id}` } });
    expect(await client.predictions.get(created.id)).toMatchObject({ status: 'starting', output: null });
    fake.complete(created.id);
    const done = await client.predictions.get(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual([expect.stringMatching(/out-0\.png$/), expect.stringMatching(/out-1\.png$/)]);
    const other = await client.predictions.create({ model: 'black-forest-labs/flux-schnell', input });
    expect(await client.predictions.cancel(other.id)).toMatchObject({ id: other.id, status: 'canceled' });
  });

  it('runs a model to its files with replicate.run', async () => {
    const output = (await client.run('black-forest-labs/flux-schnell', { input: { ...input, num_outputs: 1 } })) as unknown as { url(): URL; blob(): Promise<Blob> }[];
    expect(String(output[0]!.url())).toMatch(new RegExp(`^${fake.origin}/files/.+/out-0\\.png$`));
    const bytes = new Uint8Array(await (await output[0]!.blob()).arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('is answered 404 for a model that does not exist, and 422 in Replicate’s shape for a malformed body', async () => {
    const missing = await client.predictions.create({ model: 'black-forest-labs/flux-schnel', input }).catch((e) => e);
    expect(missing.name).toBe('ApiError');
    expect(missing.response.status).toBe(404);
    const malformed = await client.request('/predictions', { method: 'POST', data: { version: 'x', inputs: {} } }).catch((e) => e);
    expect(malformed.name).toBe('ApiError');
    expect(malformed.response.status).toBe(422);
    const body = JSON.parse(/: (\{.*\})\.$/s.exec(malformed.message)![1]!);
    expect(body).toMatchObject({ title: 'Input validation failed', status: 422, invalid_fields: [{ type: 'required', field: 'input', description: 'input is required' }], detail: expect.stringContaining('input is required') });
    const wrongKey = new Replicate({ auth: 'r8_wrong', baseUrl: `${fake.origin}/v1`, fetch: (i, init) => fake.handle(new Request(i, init)) });
    expect((await wrongKey.predictions.get('x').catch((e) => e)).response.status).toBe(401);
  });

  it('trains, then predicts on the version the training made', async () => {
    const training = await client.trainings.create(FLUX_LORA_TRAINER.model.split('/')[0]!, FLUX_LORA_TRAINER.model.split('/')[1]!, FLUX_LORA_TRAINER.version, {
      destination: 'studio/styles',
      input: { input_images: captionedZip(), trigger_word: 'GREYTILE', steps: 500 },
      webhook: WEBHOOK,
      webhook_events_filter: ['completed'],
    });
    expect(training).toMatchObject({ status: 'starting', model: FLUX_LORA_TRAINER.model, version: FLUX_LORA_TRAINER.version, urls: { get: `${fake.origin}/v1/trainings/${training.id}` } });
    fake.progressTraining(training.id, 40);
    expect(parseProgressFromLogs((await client.trainings.get(training.id)).logs ?? '')).toEqual({ percentage: 0.4, current: 400, total: 1000 });
    fake.completeTraining(training.id);
    const done = await client.trainings.get(training.id);
    expect(done).toMatchObject({ status: 'succeeded', output: { version: expect.stringMatching(/^studio\/styles:[0-9a-f]{64}$/), weights: expect.any(String) } });
    const version = (done.output as { version: string }).version.split(':')[1]!;
    expect(await client.predictions.create({ version, input })).toMatchObject({ model: 'studio/styles', version });
    const stopped = await client.trainings.create('ostris', 'flux-dev-lora-trainer', FLUX_LORA_TRAINER.version, { destination: 'studio/styles', input: { input_images: captionedZip() } });
    expect(await client.trainings.cancel(stopped.id)).toMatchObject({ status: 'canceled' });
  });

  it('throttles with the wait only in words; the client itself retries in-process, blind to it', async () => {
    fake.behaviour.rateLimitCreates = 1;
    fake.behaviour.retryAfterSeconds = 30;
    const started = Date.now();
    const created = await client.predictions.create({ model: 'black-forest-labs/flux-schnell', input });
    // Replicate asked for ~30 s; the client sent the create again at once, inside the same call.
    // That is why the adapter keeps its own transport: the queue must own every wait.
    expect(created.id).toEqual(expect.any(String));
    expect(fake.log.throttled).toHaveLength(1);
    expect(fake.log.creates).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the fake’s webhooks, checked by Replicate’s and Standard Webhooks’ own code', () => {
  async function completedDelivery() {
    const created = await client.predictions.create({ model: 'black-forest-labs/flux-schnell', input, webhook: WEBHOOK, webhook_events_filter: ['completed'] });
    await fake.pump();
    expect(delivered).toHaveLength(1);
    return { id: created.id, request: delivered[0]!, body: await delivered[0]!.clone().text() };
  }

  it('signs predictions so validateWebhook accepts them and refuses a changed body', async () => {
    const { id, request, body } = await completedDelivery();
    expect(JSON.parse(body)).toMatchObject({ id, status: 'succeeded' });
    // The client's own reading of the delivery: its headers and raw body, as a server receives them.
    const signed = (raw: string, secret = fake.secret) =>
      validateWebhook({ id: request.headers.get('webhook-id')!, timestamp: request.headers.get('webhook-timestamp')!, signature: request.headers.get('webhook-signature')!, body: raw, secret });
    expect(await signed(body)).toBe(true);
    expect(await signed(body.replace('succeeded', 'failed'))).toBe(false);
    expect(await signed(body, `whsec_${btoa('another secret entirely')}`)).toBe(false);
  });

  it('signs predictions and trainings so standardwebhooks verifies them', async () => {
    const { request, body } = await completedDelivery();
    const headers = Object.fromEntries(request.headers);
    expect(new Webhook(fake.secret).verify(body, headers)).toMatchObject({ status: 'succeeded' });
    expect(() => new Webhook(fake.secret).verify(body.replace('succeeded', 'failed'), headers)).toThrow();
    const training = await client.trainings.create('ostris', 'flux-dev-lora-trainer', FLUX_LORA_TRAINER.version, { destination: 'studio/styles', input: { input_images: captionedZip() }, webhook: WEBHOOK, webhook_events_filter: ['completed'] });
    fake.completeTraining(training.id);
    await fake.pump();
    const trained = delivered.at(-1)!;
    expect(new Webhook(fake.secret).verify(await trained.text(), Object.fromEntries(trained.headers))).toMatchObject({ id: training.id, status: 'succeeded', output: { version: expect.stringMatching(/^studio\/styles:/) } });
  });
});
