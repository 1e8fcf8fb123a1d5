// The fal adapter against a fal that speaks fal's wire protocol.
import { beforeEach, describe, expect, it } from 'vitest';
import { appId, falProvider } from '../../../edge/providers/fal';
import { type ImageProvider, ProviderError, WebhookRejected } from '../../../edge/providers/types';
import { createFalFake, type FalFake } from '../../fakes/fal';

const call = { endpoint: 'fal-ai/flux/schnell', prompt: 'a red kite', n: 3, size: { width: 1024, height: 768 }, aspectRatio: '4:3', seed: 5, providerOptions: { sizing: 'image_size' } };
const WEBHOOK = 'https://api.example.test/v1/webhooks/fal';

let fal: FalFake;
let delivered: Request[];
let provider: ImageProvider;
/** Lets the fake send what it has waiting, as its delivery service would. */
async function webhookArrived() {
  await fal.pump();
  if (!delivered.length) throw new Error('no webhook was delivered');
}

beforeEach(async () => {
  const mine: Request[] = [];
  delivered = mine; // each fake delivers into its own test's list, even late
  fal = await createFalFake({ origin: `https://queue-${crypto.randomUUID().slice(0, 6)}.fal.fake`, deliver: async (r) => (mine.push(r), new Response('ok')) });
  provider = falProvider({ key: fal.key, baseUrl: fal.origin, jwksUrl: fal.jwksUrl, fetch: (input, init) => fal.handle(new Request(input, init)) });
});

describe('submitting to fal', () => {
  it('posts the input to the endpoint with the webhook as fal_webhook and a Key header', async () => {
    const submitted = await provider.submit(call, WEBHOOK);
    expect(submitted).toMatchObject({ mode: 'async', requestId: expect.any(String), warnings: [] });
    expect(fal.log.submits[0]).toEqual({
      endpoint: 'fal-ai/flux/schnell',
      webhook: WEBHOOK,
      auth: `Key ${fal.key}`,
      input: { prompt: 'a red kite', num_images: 3, image_size: { width: 1024, height: 768 }, seed: 5, output_format: 'png', enable_safety_checker: true },
    });
  });

  it('sizes by aspect ratio where the endpoint does, and warns about what it cannot take', async () => {
    const submitted = await provider.submit({ ...call, endpoint: 'fal-ai/flux-pro/v1.1-ultra', providerOptions: { sizing: 'aspect_ratio' }, files: [{ bytes: new Uint8Array([1]), contentType: 'image/png' }] }, null);
    expect(fal.log.submits[0]!.input).toMatchObject({ aspect_ratio: '4:3' });
    expect(fal.log.submits[0]!.input).not.toHaveProperty('image_size');
    expect(fal.log.submits[0]!.webhook).toBeNull();
    expect(submitted.warnings).toEqual([expect.objectContaining({ setting: 'files' })]);
  });

  it('reports rate limits and server errors as worth retrying, with fal’s wait', async () => {
    fal.behaviour.rateLimitSubmits = 1;
    fal.behaviour.retryAfterSeconds = 7;
    const limited = await provider.submit(call, null).catch((e) => e);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited.options).toMatchObject({ retryable: true, status: 429, retryAfterSeconds: 7 });
    // A create that answers 500 may have started: never sent again (edge/providers/http.ts).
    fal.behaviour.serverErrorSubmits = 1;
    expect((await provider.submit(call, null).catch((e) => e)).options).toMatchObject({ retryable: false, status: 500 });
  });

  it('reports invalid input and a bad key as final, in fal’s words', async () => {
    const invalid = await provider.submit({ ...call, n: 9 }, null).catch((e) => e);
    expect(invalid.options).toMatchObject({ retryable: false, status: 422 });
    expect(invalid.message).toMatch(/num_images: ensure this value is less than or equal to 4/);
    const badKey = falProvider({ key: 'wrong', baseUrl: fal.origin, jwksUrl: fal.jwksUrl, fetch: (i, init) => fal.handle(new Request(i, init)) });
    const refused = await badKey.submit(call, null).catch((e) => e);
    expect(refused.options).toMatchObject({ retryable: false, status: 401 });
    expect(refused.message).toMatch(/No user found/);
  });

  it('reports an unreachable fal as worth retrying', async () => {
    const down = falProvider({ key: 'k', baseUrl: fal.origin, jwksUrl: fal.jwksUrl, fetch: async () => { throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:443') }); } });
    expect((await down.submit(call, null).catch((e) => e)).options).toMatchObject({ retryable: true });
  });
});

describe('asking fal about a request', () => {
  it('drops the endpoint’s subpath for status and result', async () => {
    expect(appId('fal-ai/flux-pro/v1.1-ultra')).toBe('fal-ai/flux-pro');
    expect(appId('fal-ai/flux/schnell')).toBe('fal-ai/flux');
    fal.behaviour.autoComplete = false;
    const { requestId } = (await provider.submit({ ...call, endpoint: 'fal-ai/flux-pro/v1.1-ultra', providerOptions: { sizing: 'aspect_ratio' } }, null)) as { requestId: string };
    expect(await provider.status('fal-ai/flux-pro/v1.1-ultra', requestId)).toEqual({ state: 'pending' });
    expect(fal.log.statusPaths).toEqual([`/fal-ai/flux-pro/requests/${requestId}/status`]);
    fal.complete(requestId);
    const outcome = await provider.status('fal-ai/flux-pro/v1.1-ultra', requestId);
    expect(outcome).toMatchObject({ state: 'succeeded', rejected: 0 });
    expect((outcome as any).images).toHaveLength(3);
    expect((outcome as any).images[0].url).toMatch(new RegExp(`^${fal.origin}/files/`));
  });

  it('counts images held back by the safety checker as not delivered', async () => {
    fal.behaviour.nsfwImages = 2;
    const { requestId } = (await provider.submit(call, null)) as { requestId: string };
    expect(await provider.status(call.endpoint, requestId)).toMatchObject({ state: 'succeeded', rejected: 2, images: [expect.anything()] });
  });

  it('reads a completed request whose result is an error as failed', async () => {
    fal.behaviour.failRequests = 1;
    const { requestId } = (await provider.submit(call, null)) as { requestId: string };
    const outcome = await provider.status(call.endpoint, requestId);
    expect(outcome).toMatchObject({ state: 'failed', error: expect.stringMatching(/prompt: The prompt was flagged/) });
  });

  it('cancels a queued request, and accepts that a finished one cannot be', async () => {
    fal.behaviour.autoComplete = false;
    const { requestId } = (await provider.submit(call, null)) as { requestId: string };
    await provider.cancel(call.endpoint, requestId);
    expect(fal.requests.get(requestId)!.canceled).toBe(true);
    const finished = (await provider.submit(call, null)) as { requestId: string };
    fal.complete(finished.requestId);
    await expect(provider.cancel(call.endpoint, finished.requestId)).resolves.toBeUndefined();
  });
});

describe('fal webhooks', () => {
  async function completedWithWebhook() {
    const { requestId } = (await provider.submit(call, WEBHOOK)) as { requestId: string };
    await webhookArrived();
    return requestId;
  }
  const verify = async (request: Request, now = new Date()) => {
    const raw = await request.text();
    await provider.verifyWebhook!(request.headers, raw, now);
    return provider.parseWebhook!(request.headers, raw);
  };

  it('accepts fal’s signed delivery and reads its outcome', async () => {
    const requestId = await completedWithWebhook();
    expect(delivered).toHaveLength(1);
    const event = await verify(delivered[0]!);
    expect(event).toMatchObject({ eventId: `${requestId}:OK`, requestId, outcome: { state: 'succeeded', rejected: 0 } });
    expect((event.outcome as any).images).toHaveLength(3);
  });

  it('reads an ERROR delivery as a failure with fal’s reason', async () => {
    fal.behaviour.failRequests = 1;
    await completedWithWebhook();
    expect((await verify(delivered[0]!)).outcome).toEqual({ state: 'failed', error: 'fal: prompt: The prompt was flagged' });
  });

  it('refuses a forged body, a foreign key, a stale or future timestamp, and missing headers', async () => {
    const requestId = await completedWithWebhook();
    const tampered = await fal.webhookFor(requestId);
    const body = (await tampered.text()).replace('"OK"', '"ERROR"');
    await expect(provider.verifyWebhook!(tampered.headers, body, new Date())).rejects.toBeInstanceOf(WebhookRejected);

    const stranger = await createFalFake({ deliver: async () => new Response() });
    stranger.requests.set(requestId, { ...fal.requests.get(requestId)! });
    await expect(verify(await stranger.webhookFor(requestId))).rejects.toThrow(/does not match/);

    await expect(verify(await fal.webhookFor(requestId, { timestamp: Math.floor(Date.now() / 1000) - 301 }))).rejects.toThrow(/stale/);
    await expect(verify(await fal.webhookFor(requestId, { timestamp: Math.floor(Date.now() / 1000) + 400 }))).rejects.toThrow(/stale/);
    const unsigned = new Request(WEBHOOK, { method: 'POST', body: '{}' });
    await expect(verify(unsigned)).rejects.toThrow(/missing/);
  });

  it('follows a key rotation by fetching the key set again', async () => {
    const requestId = await completedWithWebhook();
    await verify(await fal.webhookFor(requestId)); // caches the first key
    await fal.rotateKey();
    const later = new Date(Date.now() + 6 * 60_000);
    const request = await fal.webhookFor(requestId, { timestamp: Math.floor(later.getTime() / 1000) });
    await expect(verify(request, later)).resolves.toMatchObject({ requestId });
  });
});
