// Generating through Replicate, end to end inside workerd: predictions, Standard Webhooks,
// duplicates, throttling and failed predictions, settled exactly.
import { describe, expect, it } from 'vitest';
import { generate, waitForGeneration } from '../../edge/generation-support';
import { call, expectProblem, grant, json, signIn } from '../../edge/support';
import { useReplicate } from '../network';

const replicate = useReplicate();
const schnell = (batch: number) => ({ model_id: 'flux-schnell', prompt: 'a heron in the reeds', batch, resolution: 'sd', aspect_ratio: '4:3' });

async function account(credits: number) {
  const me = await signIn();
  await grant(me.email, credits);
  return me;
}

describe('generating through Replicate', () => {
  it('runs the official model, fanned out in fours, and settles from the signed webhooks', async () => {
    const me = await account(20);
    const before = replicate().log.creates.length;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(6)))).id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 6, refunded: 0 }, progress: { delivered: 6 } });
    const creates = replicate().log.creates.slice(before);
    expect(creates.map((c) => [c.path, c.body.input.num_outputs, c.body.input.megapixels, c.body.webhook_events_filter]).sort((a, b) => Number(b[1]) - Number(a[1]))).toEqual([
      ['/v1/models/black-forest-labs/flux-schnell/predictions', 4, '0.25', ['completed']],
      ['/v1/models/black-forest-labs/flux-schnell/predictions', 2, '0.25', ['completed']],
    ]);
  });

  it('a failed prediction is refunded and says why', async () => {
    const me = await account(20);
    replicate().behaviour.failPredictions = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(2)))).id);
    expect(done).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 2 } });
    expect(done.error).toMatch(/NSFW content detected/);
  });

  it('waits out throttling, then delivers', async () => {
    const me = await account(20);
    replicate().behaviour.rateLimitCreates = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(1)))).id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 1 } });
  });

  it('drops duplicate deliveries and refuses forged ones', async () => {
    const me = await account(20);
    replicate().behaviour.deliveries = 2;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(3)))).id);
    replicate().behaviour.deliveries = 1;
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 3 }, progress: { delivered: 3 } });
    const prediction = [...replicate().predictions.values()].at(-1)!;
    const forged = await replicate().signedWebhook(prediction.id, { signature: 'v1,Zm9yZ2Vk' });
    await expectProblem(await call('/v1/webhooks/replicate', { method: 'POST', headers: forged.headers, body: await forged.text() }), 401, 'unauthorized');
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 17, held: 0, available: 17, owed: 0 });
  });

  it('drops a replayed delivery (the same webhook-id again)', async () => {
    const me = await account(20);
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(2)))).id);
    const prediction = [...replicate().predictions.values()].at(-1)!;
    const deliveredId = replicate().log.webhooks.filter((w) => w.status === 200).at(-1)!.id;
    const replay = await replicate().signedWebhook(prediction.id, { id: deliveredId });
    expect(await json(await call('/v1/webhooks/replicate', { method: 'POST', headers: replay.headers, body: await replay.text() }))).toEqual({ received: true, duplicate: true });
    expect((await json(await call(`/v1/generations/${done.id}`, { token: me.access_token }))).images).toHaveLength(2);
  });

  it('ignores a report that arrives out of order (processing after succeeded)', async () => {
    const me = await account(20);
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(2)))).id);
    const prediction = [...replicate().predictions.values()].at(-1)!;
    const stale = await replicate().signedWebhook(prediction.id, { body: JSON.stringify({ id: prediction.id, status: 'processing', output: null, error: null }) });
    expect((await call('/v1/webhooks/replicate', { method: 'POST', headers: stale.headers, body: await stale.text() })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await json(await call(`/v1/generations/${done.id}`, { token: me.access_token }))).toMatchObject({ status: 'succeeded', cost: { charged: 2 }, progress: { delivered: 2 } });
  });

  it('has no fal webhook here: an unconfigured provider’s endpoint does not exist', async () => {
    await expectProblem(await call('/v1/webhooks/fal', { method: 'POST', body: '{}' }), 404, 'not_found');
  });
});
