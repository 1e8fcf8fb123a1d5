// fal's documented failure modes, end to end through the Worker: only an ERROR report fails a
// call; a report without its result (payload_error) or with a status fal does not document
// sends us to the queue for it; a later complete report is not dropped as a duplicate; and a
// completed request whose result answers 5xx fails at once instead of being polled for 30 minutes.
import { describe, expect, it } from 'vitest';
import { generate, waitForGeneration, waitForStatus } from '../../edge/generation-support';
import { call, grant, json, signIn } from '../../edge/support';
import { runCron, useFal } from '../network';

const fal = useFal();
const schnell = (batch: number, prompt = 'a lantern in the fog') => ({ model_id: 'flux-schnell', prompt, batch, resolution: 'hd', aspect_ratio: '1:1' });

async function account(credits: number) {
  const me = await signIn();
  await grant(me.email, credits);
  return me;
}

const requestFor = (prompt: string) => [...fal().requests.values()].filter((r) => r.input.prompt === prompt).at(-1)!;

describe('fal reports that do not carry the result', () => {
  it('a webhook with payload null and a payload_error delivers the images from the queue and charges for them', async () => {
    const me = await account(20);
    fal().behaviour.payloadErrors = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(3, 'payload error')))).id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 6, refunded: 0 }, progress: { delivered: 3 } });
    const request = requestFor('payload error');
    expect(fal().log.statusPaths).toContain(`/fal-ai/flux/requests/${request.id}/status`);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toMatchObject({ balance: 14, held: 0 });
  });

  it('a later complete delivery after a payload_error one is taken, not dropped as a duplicate', async () => {
    const me = await account(20);
    fal().behaviour.payloadErrors = 1;
    fal().behaviour.autoComplete = false;
    const started = await json(await generate(me.access_token, schnell(2, 'twice reported')));
    await waitForStatus(me.access_token, started.id, 'running');
    fal().behaviour.autoComplete = true;
    const request = requestFor('twice reported');
    fal().behaviour.webhooks = false;
    fal().complete(request.id);
    fal().behaviour.webhooks = true;
    const first = await fal().webhookFor(request.id);
    expect(await first.clone().json()).toMatchObject({ status: 'OK', payload: null, payload_error: expect.any(String) });
    expect(await json(await call('/v1/webhooks/fal', { method: 'POST', headers: first.headers, body: await first.text() }))).toEqual({ received: true });
    delete request.result!.webhook;
    const second = await fal().webhookFor(request.id);
    expect(await json(await call('/v1/webhooks/fal', { method: 'POST', headers: second.headers, body: await second.text() }))).toEqual({ received: true });
    // The same complete delivery again is the duplicate.
    const third = await fal().webhookFor(request.id);
    expect(await json(await call('/v1/webhooks/fal', { method: 'POST', headers: third.headers, body: await third.text() }))).toEqual({ received: true, duplicate: true });
    expect(await waitForGeneration(me.access_token, started.id)).toMatchObject({ status: 'succeeded', cost: { charged: 4 }, progress: { delivered: 2 } });
  });

  it('a webhook with a status fal does not document fails nothing: the result is fetched from the queue', async () => {
    const me = await account(20);
    fal().behaviour.unexpectedStatuses = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(2, 'odd status')))).id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 4, refunded: 0 } });
  });
});

describe('a completed fal request whose result answers 5xx', () => {
  it('fails at the first poll and refunds, instead of being polled until the 30-minute give-up', async () => {
    const me = await account(20);
    fal().behaviour.webhooks = false;
    fal().behaviour.brokenResults = 1;
    const started = await json(await generate(me.access_token, schnell(2, 'broken runner')));
    await waitForStatus(me.access_token, started.id, 'running');
    fal().behaviour.webhooks = true;
    await runCron(new Date(Date.now() + 2 * 60_000));
    const done = await waitForGeneration(me.access_token, started.id, 5_000);
    expect(done).toMatchObject({ status: 'failed', cost: { held: 0, charged: 0, refunded: 4 } });
    expect(done.error).toMatch(/fal refused the request \(500\): Internal server error in the runner/);
  });

  it('reported by webhook as ERROR, fails at once too', async () => {
    const me = await account(20);
    fal().behaviour.brokenResults = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(1, 'broken with webhook')))).id);
    expect(done).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 2 } });
    expect(done.error).toMatch(/Internal server error in the runner/);
  });
});
