// fal's webhook answers only what the OpenAPI document declares: duplicate and refused.
import { describe, expect, it } from 'vitest';
import { Contract } from '../../edge/contract';
import { generate, waitForGeneration } from '../../edge/generation-support';
import { call, grant, json, signIn } from '../../edge/support';
import { useFal } from '../network';

const fal = useFal();

describe('the fal webhook, held to the document', () => {
  it('drops a replay and refuses a forgery, each as declared', async () => {
    const api = new Contract(await json(await call('/openapi.json')));
    const me = await signIn();
    await grant(me.email, 10);
    await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a heron', batch: 1, resolution: 'sd', aspect_ratio: '4:3' }))).id);
    const [requestId] = [...fal().requests.values()].filter((r) => r.webhook).map((r) => r.id).slice(-1);
    const replay = await fal().webhookFor(requestId!);
    const body = await replay.text();
    expect(await json(await api.call('/v1/webhooks/fal', { method: 'POST', headers: replay.headers, body }))).toEqual({ received: true, duplicate: true });
    expect((await api.call('/v1/webhooks/fal', { method: 'POST', headers: replay.headers, body: body.replace(/"OK"/, '"ERROR"') })).status).toBe(401);
    expect(api.unexercised()).not.toContain('POST /v1/webhooks/fal');
  });
});
