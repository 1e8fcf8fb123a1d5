// Replicate's webhook answers only what the OpenAPI document declares: accepted, duplicate, refused.
import { describe, expect, it } from 'vitest';
import { Contract } from '../../edge/contract';
import { generate, waitForGeneration } from '../../edge/generation-support';
import { call, grant, json, signIn } from '../../edge/support';
import { useReplicate } from '../network';

const replicate = useReplicate();

describe('the Replicate webhook, held to the document', () => {
  it('accepts a report, drops a replay and refuses a forgery, each as declared', async () => {
    const api = new Contract(await json(await call('/openapi.json')));
    const me = await signIn();
    await grant(me.email, 5);
    await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a heron', batch: 1, resolution: 'sd', aspect_ratio: '4:3' }))).id);
    const prediction = [...replicate().predictions.values()].at(-1)!;
    const deliver = async (request: Request) => api.call('/v1/webhooks/replicate', { method: 'POST', headers: request.headers, body: await request.text() });
    const late = await replicate().signedWebhook(prediction.id, { body: JSON.stringify({ id: prediction.id, status: 'processing', output: null, error: null }) });
    const lateBody = await late.clone().text();
    expect(await json(await deliver(late))).toEqual({ received: true });
    expect(await json(await api.call('/v1/webhooks/replicate', { method: 'POST', headers: late.headers, body: lateBody }))).toEqual({ received: true, duplicate: true });
    expect((await deliver(await replicate().signedWebhook(prediction.id, { signature: 'v1,Zm9yZ2Vk' }))).status).toBe(401);
    expect(api.unexercised()).not.toContain('POST /v1/webhooks/replicate');
  });
});
