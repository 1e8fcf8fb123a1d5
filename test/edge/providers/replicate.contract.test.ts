// The Replicate adapter against a Replicate that speaks its HTTP API and signs webhooks.
import { beforeEach, describe, expect, it } from 'vitest';
import { replicateProvider } from '../../../edge/providers/replicate';
import { type ImageProvider, WebhookRejected } from '../../../edge/providers/types';
import { createReplicateFake, type ReplicateFake } from '../../fakes/replicate';

const call = { endpoint: 'black-forest-labs/flux-schnell', prompt: 'a red kite', n: 2, size: { width: 1024, height: 1024 }, aspectRatio: '16:9', seed: 9 };
const WEBHOOK = 'https://api.example.test/v1/webhooks/replicate';

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
  replicate = createReplicateFake({ deliver: async (r) => (mine.push(r), new Response('ok')) });
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
    await provider.submit({ ...call, endpoint: 'owner/model:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa' }, null);
    expect(replicate.log.creates[0]).toMatchObject({ path: '/v1/predictions', body: { version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa' } });
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
