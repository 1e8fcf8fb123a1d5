// The fal fake held to the official @fal-ai/client, inside workerd: the client submits, asks,
// reads results and cancels against it exactly as against fal, and the fake's webhooks pass a
// signature check written from fal's documentation (not the project's verifier). Also why the
// adapter does not use the client as its transport: the client repeats a submit on its own.
import { ApiError, createFalClient, ValidationError } from '@fal-ai/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFalFake, type FalFake } from '../../fakes/fal';

let fal: FalFake;
let delivered: Request[];
/** The official client, its requests to fal's hosts routed to the fake. */
let client: ReturnType<typeof createFalClient>;

beforeEach(async () => {
  const mine: Request[] = [];
  delivered = mine;
  fal = await createFalFake({ origin: 'https://queue.fal.fake', deliver: async (r) => (mine.push(r), new Response('ok')) });
  client = createFalClient({
    credentials: fal.key,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      expect(url.host).toBe('queue.fal.run');
      return fal.handle(new Request(`${fal.origin}${url.pathname}${url.search}`, init));
    }) as typeof fetch,
  });
});

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const base64Url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * fal's documented check, step by step: the four X-Fal-Webhook-* headers, a timestamp within
 * five minutes, the message `request_id\nuser_id\ntimestamp\nsha256_hex(body)`, and an ED25519
 * signature (hex) valid under any key of the JWKS (each key's `x`, base64url).
 */
async function verifiedAsFalDocuments(request: Request, jwksUrl: string): Promise<boolean> {
  const header = (name: string) => request.headers.get(`x-fal-webhook-${name}`) ?? '';
  const [requestId, userId, timestamp, signature] = ['request-id', 'user-id', 'timestamp', 'signature'].map(header);
  if (!requestId || !userId || !timestamp || !signature) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const body = new Uint8Array(await request.clone().arrayBuffer());
  const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', body))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const message = new TextEncoder().encode([requestId, userId, timestamp, digest].join('\n'));
  const { keys } = (await (await fal.handle(new Request(jwksUrl))).json()) as { keys: { x: string }[] };
  for (const { x } of keys) {
    const key = await crypto.subtle.importKey('raw', base64Url(x), { name: 'Ed25519' }, false, ['verify']);
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key, hexBytes(signature), message)) return true;
  }
  return false;
}

describe('the fal fake, driven by @fal-ai/client', () => {
  it('queues, reports status, returns the result with its request id, and cancels', async () => {
    fal.behaviour.autoComplete = false;
    const queued = await client.queue.submit('fal-ai/flux/schnell', { input: { prompt: 'a lighthouse', num_images: 2, image_size: { width: 512, height: 512 } } });
    expect(queued).toMatchObject({ request_id: expect.any(String), status: 'IN_QUEUE' });
    const { request_id: requestId } = queued;
    expect(await client.queue.status('fal-ai/flux/schnell', { requestId })).toMatchObject({ status: 'IN_QUEUE', request_id: requestId });
    fal.complete(requestId);
    expect(await client.queue.status('fal-ai/flux/schnell', { requestId, logs: true })).toMatchObject({ status: 'COMPLETED' });
    const result = await client.queue.result('fal-ai/flux/schnell', { requestId });
    expect(result.requestId).toBe(requestId);
    expect(result.data.images).toHaveLength(2);
    expect(result.data.images[0]!.url).toMatch(/^https:\/\/queue\.fal\.fake\/files\//);

    const other = await client.queue.submit('fal-ai/flux-pro/v1.1-ultra', { input: { prompt: 'a harbour', aspect_ratio: '16:9' } });
    await client.queue.cancel('fal-ai/flux-pro/v1.1-ultra', { requestId: other.request_id });
    expect(fal.requests.get(other.request_id)!.canceled).toBe(true);
    // Status and result live under the app, the endpoint's subpath dropped, as the client builds them.
    expect(fal.log.statusPaths).toEqual([`/fal-ai/flux/requests/${requestId}/status`, `/fal-ai/flux/requests/${requestId}/status`]);
  });

  it('subscribes until done, as the client polls', async () => {
    const done = await client.subscribe('fal-ai/esrgan', { input: { image_url: 'https://example.test/photo.png', scale: 2 }, pollInterval: 10 });
    expect(done.data.image).toMatchObject({ width: 16, height: 8, url: expect.stringMatching(/esrgan\.png$/) });
    expect(done.requestId).toBe([...fal.requests.keys()].at(-1));
  });

  it('answers a misspelt field, a missing one and a wrong type with fal’s 422, which the client reads as field errors', async () => {
    const error = await client.queue.submit('fal-ai/flux-pro/v1/fill', { input: { prompt: 'sky', image_url: 'https://example.test/a.png', mask_ulr: 'https://example.test/m.png', num_images: 'two' } as never }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(422);
    expect(error.getFieldErrors('mask_url')).toEqual([expect.objectContaining({ loc: ['body', 'mask_url'], type: 'missing' })]);
    expect(error.getFieldErrors('mask_ulr')).toEqual([expect.objectContaining({ loc: ['body', 'mask_ulr'], type: 'extra_forbidden' })]);
    expect(error.getFieldErrors('num_images')).toEqual([expect.objectContaining({ type: 'number_type' })]);
    const nested = await client.queue.submit('fal-ai/flux-lora', { input: { prompt: 'x', loras: [{ scale: 1 }] } as never }).catch((e) => e);
    expect(nested.fieldErrors).toEqual([expect.objectContaining({ loc: ['body', 'loras', 0, 'path'], type: 'missing' })]);
    expect(fal.log.submits).toHaveLength(0);
  });

  it('answers an endpoint the client does not publish with 404', async () => {
    const error = await client.queue.submit('fal-ai/flux/schnel' as never, { input: { prompt: 'x' } } as never).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
  });

  it('reads a completed request whose runner failed as fal’s 500 with its request id', async () => {
    fal.behaviour.brokenResults = 1;
    const { request_id: requestId } = await client.queue.submit('fal-ai/flux/schnell', { input: { prompt: 'a dune' } });
    const error = await client.queue.result('fal-ai/flux/schnell', { requestId }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, requestId, body: { error_type: 'runner_server_error' } });
  });

  it('signs its webhooks as fal documents: a check written from the docs accepts them and refuses a changed body', async () => {
    const { request_id: requestId } = await client.queue.submit('fal-ai/flux/schnell', { input: { prompt: 'a fox' }, webhookUrl: 'https://studio.example.test/v1/webhooks/fal' });
    await fal.pump();
    expect(delivered).toHaveLength(1);
    const webhook = delivered[0]!;
    expect(webhook.url).toBe('https://studio.example.test/v1/webhooks/fal');
    expect(await verifiedAsFalDocuments(webhook, fal.jwksUrl)).toBe(true);
    expect(await webhook.clone().json()).toMatchObject({ request_id: requestId, gateway_request_id: requestId, status: 'OK', payload: { images: [expect.any(Object)] } });
    const changed = new Request(webhook.url, { method: 'POST', headers: webhook.headers, body: (await webhook.clone().text()).replace('"OK"', '"ERROR"') });
    expect(await verifiedAsFalDocuments(changed, fal.jwksUrl)).toBe(false);
    const forged = await fal.webhookFor(requestId, { signature: '00'.repeat(64) });
    expect(await verifiedAsFalDocuments(forged, fal.jwksUrl)).toBe(false);
  });

  it('repeats a submit whose answer was lost, so fal runs (and bills) it twice: why the adapter keeps its own transport', async () => {
    fal.behaviour.lostAnswers = 1;
    // Even told not to retry: the queue's own retry settings override the client's.
    const noRetries = createFalClient({ credentials: fal.key, retry: { maxRetries: 0 }, fetch: (async (input: RequestInfo | URL, init?: RequestInit) => fal.handle(new Request(`${fal.origin}${new URL(String(input)).pathname}`, init))) as typeof fetch });
    const queued = await noRetries.queue.submit('fal-ai/flux/schnell', { input: { prompt: 'only once, please' } });
    expect(fal.log.submits.filter((s) => s.input.prompt === 'only once, please')).toHaveLength(2);
    expect(queued.request_id).toBe([...fal.requests.keys()].at(-1));
  }, 15_000);
});
