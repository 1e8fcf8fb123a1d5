// The Replicate adapter against a Replicate that speaks its HTTP API and signs webhooks:
// predictions, trainings, and the failures Replicate documents (throttling with the wait only
// in words; creates that fail on the wire after perhaps starting).
import { unzipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { throttleHint, UnconfirmedCreate } from '../../../edge/providers/http';
import { replicateProvider, replicateTrainer, verifyReplicateTrainingWebhook } from '../../../edge/providers/replicate';
import { type ImageProvider, ProviderError, type StyleTrainer, WebhookRejected } from '../../../edge/providers/types';
import { createPng } from '../../fakes/png';
import { createReplicateFake, FLUX_LORA_TRAINER, type ReplicateFake } from '../../fakes/replicate';

const call = { endpoint: 'black-forest-labs/flux-schnell', prompt: 'a red kite', n: 2, size: { width: 1024, height: 1024 }, aspectRatio: '16:9', seed: 9 };
const WEBHOOK = 'https://api.example.test/v1/webhooks/replicate';
const PINNED = '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa';

let replicate: ReplicateFake;
let delivered: Request[];
let provider: ImageProvider;
/** Lets the fake send what it has waiting, as its delivery service would. */
async function webhookArrived() {
  await replicate.pump();
  if (!delivered.length) throw new Error('no webhook was delivered');
}

beforeEach(() => {
  const mine: Request[] = [];
  delivered = mine; // each fake delivers into its own test's list, even late
  replicate = createReplicateFake({ deliver: async (r) => (mine.push(r), new Response('ok')), versions: { [PINNED]: 'owner/model' } });
  provider = replicateProvider({ token: replicate.token, baseUrl: `${replicate.origin}/v1`, webhookSecret: replicate.secret, fetch: (i, init) => replicate.handle(new Request(i, init)) });
});

describe('Replicate predictions', () => {
  it('runs an official model with the webhook filtered to completed', async () => {
    const submitted = await provider.submit(call, WEBHOOK);
    expect(submitted).toMatchObject({ mode: 'async', requestId: expect.any(String), warnings: [] });
    expect(replicate.log.creates[0]).toEqual({
      path: '/v1/models/black-forest-labs/flux-schnell/predictions',
      auth: `Bearer ${replicate.token}`,
      body: { input: { prompt: 'a red kite', num_outputs: 2, output_format: 'png', megapixels: '1', aspect_ratio: '16:9', seed: 9 }, webhook: WEBHOOK, webhook_events_filter: ['completed'] },
    });
  });

  it('pins a version through POST /predictions', async () => {
    await provider.submit({ ...call, endpoint: `owner/model:${PINNED}` }, null);
    expect(replicate.log.creates[0]).toMatchObject({ path: '/v1/predictions', body: { version: PINNED } });
  });

  it('is refused, finally, for a model or version Replicate does not have (a catalog typo fails here)', async () => {
    const unknown = await provider.submit({ ...call, endpoint: 'black-forest-labs/flux-schnel' }, null).catch((e) => e);
    expect(unknown.options).toMatchObject({ retryable: false, status: 404 });
    const version = await provider.submit({ ...call, endpoint: `owner/model:${'0'.repeat(64)}` }, null).catch((e) => e);
    expect(version.options).toMatchObject({ retryable: false, status: 422 });
    expect(version.message).toMatch(/version does not exist/);
  });

  it('sends an image input as our short-lived link where the model takes one, else the bytes inline', async () => {
    const image = { bytes: createPng(4, 4, [1, 2, 3]), contentType: 'image/png' };
    const options = { image_input: 'image', mask_input: 'mask' };
    await provider.submit({ ...call, endpoint: 'black-forest-labs/flux-dev', files: [{ ...image, url: 'https://api.example.test/v1/inputs/abc?sig=1' }], mask: { ...image, url: 'https://api.example.test/v1/inputs/def?sig=2' }, providerOptions: options }, null);
    expect(replicate.log.creates[0]!.body.input).toMatchObject({ image: 'https://api.example.test/v1/inputs/abc?sig=1', mask: 'https://api.example.test/v1/inputs/def?sig=2' });
    await provider.submit({ ...call, endpoint: 'black-forest-labs/flux-dev', files: [image], providerOptions: options }, null);
    expect(replicate.log.creates[1]!.body.input.image).toMatch(/^data:image\/png;base64,/);
    const ignored = await provider.submit({ ...call, files: [image] }, null);
    expect(ignored.warnings).toEqual([expect.objectContaining({ setting: 'files' })]);
  });

  it('reads statuses: starting is pending, succeeded has the output URLs, failed says why, canceled is canceled', async () => {
    replicate.behaviour.autoComplete = false;
    const { requestId } = (await provider.submit(call, null)) as { requestId: string };
    expect(await provider.status(call.endpoint, requestId)).toEqual({ state: 'pending' });
    replicate.complete(requestId);
    const done = await provider.status(call.endpoint, requestId);
    expect(done).toMatchObject({ state: 'succeeded', rejected: 0 });
    expect((done as any).images.map((i: any) => i.url)).toEqual([expect.stringMatching(/out-0\.png$/), expect.stringMatching(/out-1\.png$/)]);

    replicate.behaviour.failPredictions = 1;
    const failing = (await provider.submit(call, null)) as { requestId: string };
    replicate.complete(failing.requestId);
    expect(await provider.status(call.endpoint, failing.requestId)).toEqual({ state: 'failed', error: expect.stringMatching(/^Replicate: NSFW content detected/) });

    const canceled = (await provider.submit(call, null)) as { requestId: string };
    await provider.cancel(call.endpoint, canceled.requestId);
    expect(await provider.status(call.endpoint, canceled.requestId)).toEqual({ state: 'canceled' });
  });

  it('reads the wait from the words of a 429, as Replicate sends no Retry-After', async () => {
    const none = new Headers();
    expect(throttleHint(none, { detail: 'Request was throttled. Your rate limit resets in ~30s.' })).toBe(30);
    expect(throttleHint(none, { detail: 'Request was throttled. Expected available in 1 second.' })).toBe(1);
    expect(throttleHint(none, { detail: 'Request was throttled. Expected available in 831.0 seconds.' })).toBe(831);
    expect(throttleHint(none, { detail: 'Request was throttled.' })).toBeUndefined();
    expect(throttleHint(new Headers({ 'retry-after': '7' }), { detail: 'resets in ~30s' })).toBe(7);
    expect(throttleHint(new Headers({ 'retry-after': new Date(Date.UTC(2030, 0, 1, 0, 0, 20)).toUTCString() }), null, Date.UTC(2030, 0, 1))).toBe(20);
  });

  it('never sends a create twice: a 500 or a timeout leaves it unknown whether it started', async () => {
    replicate.behaviour.serverErrorCreates = 1;
    const failed = await provider.submit(call, null).catch((e) => e);
    expect(failed).toBeInstanceOf(UnconfirmedCreate);
    expect(failed.retryable).toBe(false);
    expect(failed.message).toMatch(/Replicate did not confirm it started this work \(it answered 500\)/);
    // It had started: sending it again would have run (and billed) it twice.
    expect(replicate.predictions.size).toBe(1);
    replicate.behaviour.timeoutCreates = 1;
    const silent = await provider.submit(call, null).catch((e) => e);
    expect(silent).toBeInstanceOf(UnconfirmedCreate);
    expect(silent.message).toMatch(/no answer within 30 s/);
    expect(replicate.predictions.size).toBe(2);
  });

  it('tries a create again when the connection was refused before anything was sent, and reads again after a 5xx', async () => {
    const refused = replicateProvider({ token: 't', baseUrl: 'https://api.replicate.fake/v1', fetch: async () => { throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:443') }); } });
    expect((await refused.submit(call, null).catch((e) => e)).options).toMatchObject({ retryable: true });
    const lost = replicateProvider({ token: 't', baseUrl: 'https://api.replicate.fake/v1', fetch: async () => { throw new Error('Network connection lost.'); } });
    expect(await lost.submit(call, null).catch((e) => e)).toBeInstanceOf(UnconfirmedCreate);
    const { requestId } = (await provider.submit(call, null)) as { requestId: string };
    replicate.behaviour.serverErrorReads = 1;
    const busy = await provider.status(call.endpoint, requestId).catch((e) => e);
    expect(busy).toBeInstanceOf(ProviderError);
    expect(busy.options).toMatchObject({ retryable: true, status: 503 });
    expect(busy).not.toBeInstanceOf(UnconfirmedCreate);
  });

  it('reports throttling with Replicate’s wait, and auth and input errors as final', async () => {
    replicate.behaviour.rateLimitCreates = 1;
    replicate.behaviour.retryAfterSeconds = 10;
    expect((await provider.submit(call, null).catch((e) => e)).options).toMatchObject({ retryable: true, status: 429, retryAfterSeconds: 10 });
    const invalid = await provider.submit({ ...call, n: 5 }, null).catch((e) => e);
    expect(invalid.options).toMatchObject({ retryable: false, status: 422 });
    expect(invalid.message).toMatch(/num_outputs: Must be less than or equal to 4/);
    const stranger = replicateProvider({ token: 'r8_wrong', baseUrl: `${replicate.origin}/v1`, fetch: (i, init) => replicate.handle(new Request(i, init)) });
    expect((await stranger.submit(call, null).catch((e) => e)).message).toMatch(/valid authentication token/);
  });

  it('warns about an aspect ratio Replicate lacks instead of dropping it silently', async () => {
    const submitted = await provider.submit({ ...call, aspectRatio: '7:3' }, null);
    expect(submitted.warnings).toEqual([expect.objectContaining({ setting: 'aspectRatio' })]);
    expect(replicate.log.creates[0]!.body.input).not.toHaveProperty('aspect_ratio');
  });
});

describe('Replicate webhooks', () => {
  async function completed() {
    const { requestId } = (await provider.submit(call, WEBHOOK)) as { requestId: string };
    await webhookArrived();
    return requestId;
  }
  const verify = async (request: Request, now = new Date()) => {
    const raw = await request.text();
    await provider.verifyWebhook!(request.headers, raw, now);
    return provider.parseWebhook!(request.headers, raw);
  };

  it('accepts the signed delivery, keyed by webhook-id', async () => {
    const id = await completed();
    const event = await verify(delivered[0]!);
    expect(event).toMatchObject({ eventId: delivered[0]!.headers.get('webhook-id'), requestId: id, outcome: { state: 'succeeded' } });
  });

  it('refuses forged, stale and unsigned deliveries', async () => {
    const id = await completed();
    const forged = await replicate.signedWebhook(id);
    await expect(provider.verifyWebhook!(forged.headers, (await forged.text()).replace('succeeded', 'failed'), new Date())).rejects.toBeInstanceOf(WebhookRejected);
    await expect(verify(await replicate.signedWebhook(id, { timestamp: Math.floor(Date.now() / 1000) - 600 }))).rejects.toThrow(/stale/);
    await expect(verify(await replicate.signedWebhook(id, { signature: 'v1,AAAA v2,BBBB' }))).rejects.toThrow(/does not match/);
    await expect(verify(new Request(WEBHOOK, { method: 'POST', body: '{}' }))).rejects.toThrow(/missing/);
  });

  it('accepts any one matching signature in the list', async () => {
    const id = await completed();
    const good = await replicate.signedWebhook(id);
    const list = `v1,bm90IGl0 ${good.headers.get('webhook-signature')}`;
    await expect(verify(await replicate.signedWebhook(id, { id: good.headers.get('webhook-id')!, timestamp: Number(good.headers.get('webhook-timestamp')), signature: list }))).resolves.toMatchObject({ requestId: id });
  });
});

describe('Replicate trainings (a Style)', () => {
  let trainer: StyleTrainer;
  const images = [
    { bytes: createPng(8, 8, [200, 10, 10]), contentType: 'image/png', caption: 'a red square, flat ink' },
    { bytes: createPng(8, 8, [10, 10, 200]), contentType: 'image/png', caption: 'a blue square, flat ink' },
  ];
  beforeEach(() => {
    trainer = replicateTrainer({ token: replicate.token, baseUrl: `${replicate.origin}/v1`, webhookSecret: replicate.secret, trainer: `${FLUX_LORA_TRAINER.model}:${FLUX_LORA_TRAINER.version}`, destination: 'studio/styles', fetch: (i, init) => replicate.handle(new Request(i, init)) });
  });

  it('sends the set as a zip of images with one caption each, to the trainer version, pushing to the destination', async () => {
    const { requestId } = await trainer.startTraining({ images, triggerWord: 'INKSTYLE', steps: 1000 }, WEBHOOK);
    const sent = replicate.log.trainings[0]!;
    expect(sent.path).toBe(`/v1/models/${FLUX_LORA_TRAINER.model}/versions/${FLUX_LORA_TRAINER.version}/trainings`);
    expect(sent.body).toMatchObject({ destination: 'studio/styles', input: { trigger_word: 'INKSTYLE', steps: 1000, autocaption: false }, webhook: WEBHOOK, webhook_events_filter: ['completed'] });
    const zip = unzipSync(Uint8Array.from(atob(sent.body.input.input_images.split(',')[1]), (c) => c.charCodeAt(0)));
    expect(Object.keys(zip).sort()).toEqual(['image_001.png', 'image_001.txt', 'image_002.png', 'image_002.txt']);
    expect(new TextDecoder().decode(zip['image_002.txt'])).toBe('a blue square, flat ink');
    expect(replicate.trainings.get(requestId)).toBeDefined();
  });

  it('gives the zip by our link when there is one', async () => {
    await trainer.startTraining({ images, triggerWord: 'INKSTYLE', archiveUrl: 'https://api.example.test/v1/inputs/set.zip?sig=1' }, null);
    expect(replicate.log.trainings[0]!.body.input.input_images).toBe('https://api.example.test/v1/inputs/set.zip?sig=1');
  });

  it('reports progress, then the new version, which predictions then run', async () => {
    const { requestId } = await trainer.startTraining({ images, triggerWord: 'INKSTYLE' }, null);
    expect(await trainer.trainingStatus(requestId)).toEqual({ state: 'pending', progress: undefined });
    replicate.progressTraining(requestId, 40);
    expect(await trainer.trainingStatus(requestId)).toEqual({ state: 'pending', progress: 0.4 });
    replicate.completeTraining(requestId);
    const done = await trainer.trainingStatus(requestId);
    expect(done).toEqual({ state: 'succeeded', weights: { kind: 'version', version: expect.stringMatching(/^studio\/styles:[0-9a-f]{64}$/) } });
    const version = (done as { weights: { version: string } }).weights.version;
    const submitted = await provider.submit({ ...call, endpoint: version, prompt: 'INKSTYLE, a lighthouse' }, null);
    expect(submitted).toMatchObject({ mode: 'async' });
    expect(replicate.log.creates.at(-1)).toMatchObject({ path: '/v1/predictions', body: { version: version.split(':')[1] } });
  });

  it('says why a training failed, and cancels one', async () => {
    const failing = await trainer.startTraining({ images, triggerWord: 'INKSTYLE' }, null);
    replicate.completeTraining(failing.requestId, 'failed');
    expect(await trainer.trainingStatus(failing.requestId)).toEqual({ state: 'failed', error: 'Replicate: CUDA out of memory.' });
    const stopped = await trainer.startTraining({ images, triggerWord: 'INKSTYLE' }, null);
    await trainer.cancelTraining(stopped.requestId);
    expect(await trainer.trainingStatus(stopped.requestId)).toEqual({ state: 'canceled' });
  });

  it('is refused, in Replicate’s words, without a destination it has, or with an uncaptioned image', async () => {
    const elsewhere = await trainer.startTraining({ images, triggerWord: 'X', destination: 'studio/missing' }, null).catch((e) => e);
    expect(elsewhere.options).toMatchObject({ retryable: false, status: 404 });
    expect(elsewhere.message).toMatch(/destination model studio\/missing does not exist/);
    const wrongTrainer = replicateTrainer({ token: replicate.token, baseUrl: `${replicate.origin}/v1`, trainer: `${FLUX_LORA_TRAINER.model}:${'1'.repeat(64)}`, destination: 'studio/styles', fetch: (i, init) => replicate.handle(new Request(i, init)) });
    expect((await wrongTrainer.startTraining({ images, triggerWord: 'X' }, null).catch((e) => e)).options).toMatchObject({ status: 404 });
    const bare = await replicate.handle(
      new Request(`${replicate.origin}/v1/models/${FLUX_LORA_TRAINER.model}/versions/${FLUX_LORA_TRAINER.version}/trainings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${replicate.token}` },
        body: JSON.stringify({ destination: 'studio/styles', input: { input_images: `data:application/zip;base64,${btoa(String.fromCharCode(...(await import('fflate')).zipSync({ 'a.png': images[0]!.bytes })))}` } }),
      }),
    );
    expect(bare.status).toBe(422);
    expect(await bare.json()).toMatchObject({ status: 422, invalid_fields: [{ field: 'input.input_images', description: 'a.png has no caption file' }] });
  });

  it('delivers the finished training by signed webhook, keyed by webhook-id', async () => {
    const { requestId } = await trainer.startTraining({ images, triggerWord: 'INKSTYLE' }, WEBHOOK);
    replicate.completeTraining(requestId);
    await webhookArrived();
    const request = delivered[0]!;
    const raw = await request.text();
    await verifyReplicateTrainingWebhook({ webhookSecret: replicate.secret }, request.headers, raw, new Date());
    expect(trainer.parseTrainingWebhook!(request.headers, raw)).toEqual({ eventId: request.headers.get('webhook-id'), requestId, outcome: { state: 'succeeded', weights: { kind: 'version', version: expect.stringMatching(/^studio\/styles:/) } } });
    await expect(verifyReplicateTrainingWebhook({ webhookSecret: replicate.secret }, request.headers, raw.replace('succeeded', 'failed'), new Date())).rejects.toBeInstanceOf(WebhookRejected);
  });
});
