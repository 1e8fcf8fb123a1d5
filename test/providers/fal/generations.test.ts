// Generating through fal, end to end inside workerd: fan-out, webhooks, exact settlement,
// refusals, retries, polling when no webhook comes, and cancel.
import { describe, expect, it } from 'vitest';
import { ledgerSums } from '../../edge/db';
import { generate, waitForGeneration, waitForStatus } from '../../edge/generation-support';
import { call, expectProblem, grant, json, signIn } from '../../edge/support';
import { runCron, useFal } from '../network';

const fal = useFal();
const schnell = (batch: number) => ({ model_id: 'flux-schnell', prompt: 'a red kite over a field', batch, resolution: 'hd', aspect_ratio: '1:1' });


async function account(credits: number) {
  const me = await signIn();
  await grant(me.email, credits);
  return me;
}

async function expectLedgerConsistent(me: Awaited<ReturnType<typeof account>>) {
  const credits = await json(await call('/v1/credits', { token: me.access_token }));
  const sums = await ledgerSums(me.user.id);
  expect(sums.amount).toBe(credits.balance);
  expect(sums.held).toBe(credits.held);
  return credits;
}

describe('generating through fal', () => {
  it('fans a batch of 12 out into calls of 4 and delivers all of it', async () => {
    const me = await account(100);
    const before = fal().log.submits.length;
    const started = await json(await generate(me.access_token, { ...schnell(12), prompt: 'fan out please' }));
    const done = await waitForGeneration(me.access_token, started.id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { held: 0, charged: 24, refunded: 0 }, progress: { delivered: 12 } });
    const submits = fal().log.submits.slice(before).filter((s) => s.input.prompt === 'fan out please');
    expect(submits.map((s) => s.input.num_images)).toEqual([4, 4, 4]);
    expect(new Set(submits.map((s) => s.input.seed)).size).toBe(3);
    expect(submits[0]!.webhook).toBe('http://127.0.0.1:8787/v1/webhooks/fal');
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 76, held: 0, available: 76, owed: 0 });
  });

  it('a 12-image batch where the provider fails 3 is partial: charged 9, refunded 3', async () => {
    const me = await account(100);
    fal().behaviour.nsfwImages = 3;
    const started = await json(await generate(me.access_token, schnell(12)));
    const done = await waitForGeneration(me.access_token, started.id);
    expect(done).toMatchObject({ status: 'partial', cost: { held: 0, charged: 9 * 2, refunded: 3 * 2 }, progress: { delivered: 9 } });
    expect(done.images).toHaveLength(9);
    expect(done.error).toMatch(/9 of 12 images delivered; the rest were refunded.*safety filter/);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 100 - 18, held: 0, available: 82, owed: 0 });
    const { items } = await json(await call('/v1/credits/ledger', { token: me.access_token }));
    expect(items.slice(0, 3).map((e: any) => [e.kind, e.amount, e.held_change])).toEqual([
      ['refund', 0, -6],
      ['charge', -18, -18],
      ['hold', 0, 24],
    ]);
  });

  it('a call that fails entirely costs nothing for its images', async () => {
    const me = await account(100);
    fal().behaviour.failRequests = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(12)))).id);
    expect(done).toMatchObject({ status: 'partial', cost: { charged: 16, refunded: 8 }, progress: { delivered: 8 } });
    expect(done.error).toMatch(/The prompt was flagged/);
  });

  it('a provider that refuses the submit refunds in full and says why', async () => {
    const me = await account(10);
    fal().behaviour.rejectSubmits = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(2)))).id);
    expect(done).toMatchObject({ status: 'failed', cost: { held: 0, charged: 0, refunded: 4 }, images: [] });
    expect(done.error).toMatch(/fal refused the request \(422\): image_size: Image size is not supported/);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 10, held: 0, available: 10, owed: 0 });
  });

  it('a create that answers 500 is not sent again (it may have started): refunded at once', async () => {
    const me = await account(10);
    fal().behaviour.serverErrorSubmits = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(1)))).id, 20_000);
    expect(done).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 2 } });
    expect(done.error).toMatch(/fal did not confirm it started this work \(it answered 500\)/);
  });

  it('waits out a rate limit for as long as fal asks, then delivers', async () => {
    const me = await account(10);
    fal().behaviour.rateLimitSubmits = 1;
    fal().behaviour.retryAfterSeconds = 1;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(1)))).id, 20_000);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 2 } });
  });
});

describe('fal webhooks through HTTP', () => {
  it('duplicates change nothing', async () => {
    const me = await account(20);
    fal().behaviour.deliveries = 3;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(4)))).id);
    fal().behaviour.deliveries = 1;
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 8 }, progress: { delivered: 4 } });
    await new Promise((r) => setTimeout(r, 200));
    const again = await json(await call(`/v1/generations/${done.id}`, { token: me.access_token }));
    expect(again.images).toHaveLength(4);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 12, held: 0, available: 12, owed: 0 });
  });

  it('refuses forged and stale deliveries, and a replayed one changes nothing', async () => {
    const me = await account(20);
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(4)))).id);
    const [requestId] = [...fal().requests.values()].filter((r) => r.webhook && r.input.num_images === 4).map((r) => r.id).slice(-1);
    const original = await fal().webhookFor(requestId!);
    const body = await original.text();
    const forged = new Request(original.url, { method: 'POST', headers: original.headers, body: body.replace(/"OK"/, '"ERROR"') });
    await expectProblem(await call('/v1/webhooks/fal', { method: 'POST', headers: forged.headers, body: await forged.text() }), 401, 'unauthorized');
    const stale = await fal().webhookFor(requestId!, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    await expectProblem(await call('/v1/webhooks/fal', { method: 'POST', headers: stale.headers, body: await stale.text() }), 401, 'unauthorized');
    const replay = await fal().webhookFor(requestId!);
    const replayed = await call('/v1/webhooks/fal', { method: 'POST', headers: replay.headers, body: await replay.text() });
    expect(await json(replayed)).toEqual({ received: true, duplicate: true });
    expect((await json(await call(`/v1/generations/${done.id}`, { token: me.access_token }))).images).toHaveLength(4);
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 12, held: 0, available: 12, owed: 0 });
  });

  it('falls back to polling when the webhook never comes', async () => {
    const me = await account(20);
    fal().behaviour.webhooks = false;
    const started = await json(await generate(me.access_token, schnell(2)));
    await waitForStatus(me.access_token, started.id, 'running');
    await new Promise((r) => setTimeout(r, 100));
    expect((await json(await call(`/v1/generations/${started.id}`, { token: me.access_token }))).status).toBe('running');
    await runCron(new Date(Date.now() + 2 * 60_000));
    fal().behaviour.webhooks = true;
    const done = await waitForGeneration(me.access_token, started.id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 4 } });
  });

  it('cancel stops the calls at fal, charges nothing undelivered, and ignores late results', async () => {
    const me = await account(20);
    fal().behaviour.autoComplete = false;
    const started = await json(await generate(me.access_token, schnell(4)));
    await waitForStatus(me.access_token, started.id, 'running');
    const canceled = await json(await call(`/v1/generations/${started.id}/cancel`, { method: 'POST', token: me.access_token }));
    fal().behaviour.autoComplete = true;
    expect(canceled).toMatchObject({ status: 'canceled', cost: { held: 0, charged: 0, refunded: 8 } });
    const request = [...fal().requests.values()].find((r) => fal().log.cancels.includes(r.id));
    expect(request?.canceled).toBe(true);
    // fal finishes it anyway and reports late: nothing is stored and nothing charged.
    request!.canceled = false;
    fal().complete(request!.id);
    await fal().pump();
    await new Promise((r) => setTimeout(r, 200));
    const after = await json(await call(`/v1/generations/${started.id}`, { token: me.access_token }));
    expect(after).toMatchObject({ status: 'canceled', images: [], cost: { charged: 0, refunded: 8 } });
    // Cancelling again changes nothing; cancelling a finished generation is refused.
    const again = await call(`/v1/generations/${started.id}/cancel`, { method: 'POST', token: me.access_token });
    expect(await json(again)).toMatchObject({ status: 'canceled', cost: { charged: 0, refunded: 8 } });
    const finished = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, schnell(1)))).id);
    await expectProblem(await call(`/v1/generations/${finished.id}/cancel`, { method: 'POST', token: me.access_token }), 409, 'conflict');
    expect(await expectLedgerConsistent(me)).toEqual({ balance: 18, held: 0, available: 18, owed: 0 });
  });
});

describe('edits through fal', () => {
  it('send an erase to the fill endpoint with the image and its mask', async () => {
    const me = await account(10);
    const png = (await import('../../fakes/png')).createPng;
    const upload = async (rgb: [number, number, number]) =>
      json(await call('/v1/images', { method: 'POST', token: me.access_token, body: png(40, 30, rgb), headers: { 'content-type': 'image/png' } }));
    const source = await upload([200, 100, 50]);
    const mask = await upload([255, 255, 255]);
    const before = fal().log.submits.length;
    const started = await json(await call(`/v1/images/${source.id}/edits`, { method: 'POST', token: me.access_token, json: { op: 'erase', mask_image_id: mask.id } }));
    const done = await waitForGeneration(me.access_token, started.id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 3 } });
    const submit = fal().log.submits[before]!;
    expect(submit.endpoint).toBe('fal-ai/flux-pro/v1/fill');
    // Both go by our short-lived links (test/providers/fal/inputs.test.ts checks what they serve).
    expect(submit.input.image_url).toMatch(/\/v1\/provider-inputs\//);
    expect(submit.input.mask_url).toMatch(/\/v1\/provider-inputs\//);
    expect(submit.input).not.toHaveProperty('image_size');
  });
});
