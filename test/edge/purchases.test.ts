// Buying credits with no Stripe key: packs, the checkout (idempotent), the development checkout
// that pays through the same webhook Stripe calls, and the webhook's promises — a pack granted
// exactly once whatever arrives how often, refunds and lost disputes taken back never below
// zero, an owing account that spends nothing until a purchase settles it, forged deliveries
// refused. Events are built as Stripe builds them and signed with the SDK's own helper.
import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ledgerEntries, providerEvents, purchases } from '../../edge/db/schema';
import { getCredits, hold, listLedger, settle } from '../../edge/domain/ledger';
import { receivePayment } from '../../edge/domain/purchases';
import { paymentReport } from '../../edge/payments/events';
import { creditPacks } from '../../shared/catalog/packs';
import { chargeObject, disputeObject, signedDelivery, stripeEvent } from '../fakes/stripe';
import { db, ledgerSums } from './db';
import { generate, waitForGeneration } from './generation-support';
import { BASE, call, env, expectProblem, json, randomEmail, signIn } from './support';

type Buyer = Awaited<ReturnType<typeof signIn>> & { id: string };

async function buyer(): Promise<Buyer> {
  const me = await signIn();
  return { ...me, id: (await json(await call('/v1/me', { token: me.access_token }))).id };
}

const checkout = (token: string, packId = 'pack_500', key?: string) =>
  call('/v1/credits/checkout', { method: 'POST', token, json: { pack_id: packId }, headers: key ? { 'idempotency-key': key } : {} });

async function startPurchase(me: Buyer, packId = 'pack_500') {
  const response = await checkout(me.access_token, packId);
  expect(response.status).toBe(201);
  const session = await json(response);
  return { session, row: async () => (await db().select().from(purchases).where(eq(purchases.id, session.purchase_id)).get())! };
}

/** The Checkout Session object Stripe sends for this purchase, paid by card unless told otherwise. */
function sessionObject(row: typeof purchases.$inferSelect, changes: Record<string, unknown> = {}) {
  return {
    id: row.checkout_session_id,
    object: 'checkout.session',
    amount_subtotal: row.amount,
    amount_total: row.amount,
    client_reference_id: row.user_id,
    currency: row.currency,
    livemode: false,
    metadata: { purchase_id: row.id, pack_id: row.pack_id, user_id: row.user_id },
    mode: 'payment',
    payment_intent: `pi_${row.id}`,
    payment_status: 'paid',
    status: 'complete',
    ...changes,
  };
}

/** A delivery to the webhook, signed as Stripe signs it (unless told otherwise). */
async function deliver(event: unknown, options: { secret?: string; timestamp?: number; body?: string; signature?: string | null } = {}) {
  const request = await signedDelivery(`${BASE}/v1/webhooks/stripe`, event, options.secret ?? env.STRIPE_WEBHOOK_SECRET!, options);
  const headers = new Headers(request.headers);
  if (options.signature !== undefined) options.signature === null ? headers.delete('stripe-signature') : headers.set('stripe-signature', options.signature);
  return call('/v1/webhooks/stripe', { method: 'POST', headers, body: await request.text() });
}

/**
 * Events handled at once. Requests from the test runner reach the Worker one after another, so
 * the races are run where they happen: the handling of the same verified events, interleaved.
 */
async function atOnce(events: unknown[]) {
  const deps = { db: env.DB, events: { publish: async () => {} }, waitUntil: () => {} };
  return Promise.all(events.map((event) => receivePayment(deps, paymentReport(event), new Date())));
}

const credits = async (me: Buyer) => json(await call('/v1/credits', { token: me.access_token }));
const outbox = async (me: Buyer) => (await json(await call(`/dev/outbox?to=${encodeURIComponent(me.email)}`))).items as { subject: string; text: string }[];

/** The development checkout's Pay button, pressed (a form post, no script). */
const pay = (sessionId: string) => call(`/dev/checkout/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });

async function boughtLocally(me: Buyer, packId = 'pack_500') {
  const purchase = await startPurchase(me, packId);
  const paid = await pay(purchase.session.id);
  expect(await paid.text()).toContain('Payment received');
  return purchase;
}

/** The ledger's rows add up to the account, and it never shows a balance below zero. */
async function expectLedgerMatchesAccount(userId: string) {
  const account = await getCredits(env.DB, userId);
  expect(await ledgerSums(userId)).toEqual({ amount: account.balance, held: account.held });
  const { items } = await listLedger(env.DB, userId, { limit: 100 });
  for (const e of items) expect(e.balance_after - e.held_after).toBeGreaterThanOrEqual(0);
  return account;
}

const purchaseEntries = (userId: string, purchaseId: string) =>
  db()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.user_id, userId), eq(ledgerEntries.ref, purchaseId)))
    .all();

describe('the packs', () => {
  it('are the catalog’s, for anyone to read', async () => {
    const response = await call('/v1/credits/packs');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ items: creditPacks });
  });
});

describe('POST /v1/credits/checkout', () => {
  it('writes a pending purchase and answers a session on the development checkout', async () => {
    const me = await buyer();
    const { session, row } = await startPurchase(me, 'pack_100');
    expect(session).toEqual({ id: expect.stringMatching(/^cs_local_/), url: `${BASE}/dev/checkout/${session.id}`, purchase_id: expect.stringMatching(/^pur_/) });
    expect(await row()).toMatchObject({ user_id: me.id, pack_id: 'pack_100', credits: 100, amount: 500, currency: 'usd', status: 'pending', checkout_session_id: session.id });
    expect((await json(await call('/v1/credits/purchases', { token: me.access_token }))).items).toEqual([
      { id: session.purchase_id, pack_id: 'pack_100', credits: 100, amount: 500, currency: 'usd', status: 'pending', created_at: expect.any(String), paid_at: null },
    ]);
  });

  it('answers the same session for the same Idempotency-Key, also when the requests come at once, and refuses the key for another pack', async () => {
    const me = await buyer();
    const answers = await Promise.all(Array.from({ length: 8 }, () => checkout(me.access_token, 'pack_500', 'buy-once')));
    const bodies = await Promise.all(answers.map((r) => (expect(r.status).toBe(201), json(r))));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    const otherPack = await expectProblem(await checkout(me.access_token, 'pack_100', 'buy-once'), 409, 'conflict');
    expect(otherPack.detail).toBe('This Idempotency-Key was already used to buy 500 credits; use a new key to buy another pack.');
    const mine = await db().select().from(purchases).where(eq(purchases.user_id, me.id)).all();
    expect(mine).toHaveLength(1);
    // Another buyer's same key is their own purchase.
    const neighbour = await buyer();
    const theirs = await json(await checkout(neighbour.access_token, 'pack_100', 'buy-once'));
    expect(theirs.purchase_id).not.toBe(bodies[0].purchase_id);
    // Without a key, each request is its own purchase.
    await checkout(me.access_token, 'pack_100');
    await checkout(me.access_token, 'pack_100');
    expect(await db().select().from(purchases).where(eq(purchases.user_id, me.id)).all()).toHaveLength(3);
  });

  it('refuses a pack that is not on sale and a caller who is not signed in', async () => {
    const me = await buyer();
    await expectProblem(await checkout(me.access_token, 'pack_9000'), 422, 'validation_failed');
    await expectProblem(await call('/v1/credits/checkout', { method: 'POST', json: { pack_id: 'pack_100' } }), 401, 'unauthorized');
    expect(await db().select().from(purchases).where(eq(purchases.user_id, me.id)).all()).toEqual([]);
  });

  it('says in words that buying is not set up outside development with no Stripe key, and writes nothing', async () => {
    const me = await buyer();
    const off = await call('/v1/credits/checkout', { method: 'POST', token: me.access_token, json: { pack_id: 'pack_100' }, vars: { ENVIRONMENT: 'production' } });
    expect((await expectProblem(off, 503, 'service_unavailable')).detail).toBe('Buying credits is not set up on this server yet.');
    expect(await db().select().from(purchases).where(eq(purchases.user_id, me.id)).all()).toEqual([]);
  });
});

describe('the development checkout', () => {
  it('shows the pack and one Pay button; paying delivers a signed checkout.session.completed through the webhook and grants the pack once', async () => {
    const me = await buyer();
    const { session, row } = await startPurchase(me);
    const page = await call(`/dev/checkout/${session.id}`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('500 credits');
    expect([...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1])).toEqual(['Pay $20.00']);

    const paid = await pay(session.id);
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment received — your credits are in the Exactly panel.');
    expect(await credits(me)).toEqual({ balance: 500, held: 0, available: 500, owed: 0 });
    const purchase = await row();
    expect(purchase).toMatchObject({ status: 'paid', paid_at: expect.any(String), payment_intent_id: expect.stringMatching(/^pi_local_/) });
    // It came through the webhook: the event was recorded there.
    expect(await db().select().from(providerEvents).where(and(eq(providerEvents.provider, 'stripe'), like(providerEvents.event_id, 'evt_local_%'))).all()).not.toEqual([]);

    const again = await pay(session.id);
    expect(await again.text()).toContain('already paid');
    expect(await (await call(`/dev/checkout/${session.id}`)).text()).toContain('already paid');
    expect((await credits(me)).balance).toBe(500);
    expect((await purchaseEntries(me.id, purchase.id)).map((e) => [e.kind, e.amount, e.idempotency_key])).toEqual([['purchase', 500, `purchase:${purchase.id}`]]);
    await expectLedgerMatchesAccount(me.id);

    const receipts = (await outbox(me)).filter((m) => m.subject === 'Your Exactly receipt: 500 credits');
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.text).toContain('Paid: $20.00 (USD)');
    expect(receipts[0]!.text).toContain(`Purchase: ${purchase.id}`);
    expect(receipts[0]!.text).toContain('Your balance is now 500 credits.');
  });

  it('has the pages Stripe Checkout returns a buyer to, in words', async () => {
    expect(await (await call('/checkout/paid')).text()).toContain('Payment received — your credits appear in the Exactly panel.');
    expect(await (await call('/checkout/cancelled')).text()).toContain('Payment cancelled — nothing was charged.');
  });

  it('answers a checkout it does not know with a page in words', async () => {
    for (const response of [await call('/dev/checkout/cs_local_nothing'), await pay('cs_local_nothing'), await call('/dev/checkout/cs_test_someone_elses')]) {
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('There is no checkout here with this address.');
    }
  });
});

describe('POST /v1/webhooks/stripe', () => {
  it('grants the pack once when one paid event is delivered 20 times at once', async () => {
    const me = await buyer();
    const purchase = await (await startPurchase(me)).row();
    const event = stripeEvent('checkout.session.completed', sessionObject(purchase));
    const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(event)));
    for (const r of answers) expect(r.status).toBe(200);
    const handled = await atOnce(Array.from({ length: 20 }, () => event));
    expect(handled.every((r) => r.duplicate)).toBe(true);
    expect(await credits(me)).toEqual({ balance: 500, held: 0, available: 500, owed: 0 });
    expect(await purchaseEntries(me.id, purchase.id)).toHaveLength(1);
    expect((await outbox(me)).filter((m) => m.subject.startsWith('Your Exactly receipt'))).toHaveLength(1);

    // Interleaved from the start: one grants, the others find the grant made.
    const other = await buyer();
    const second = await (await startPurchase(other)).row();
    const results = await atOnce(Array.from({ length: 20 }, () => stripeEvent('checkout.session.completed', sessionObject(second))).flatMap((e) => [e, e]));
    expect(results.filter((r) => !r.duplicate).length).toBeGreaterThanOrEqual(1);
    expect(await expectLedgerMatchesAccount(other.id)).toEqual({ balance: 500, held: 0, available: 500, owed: 0 });
    expect(await purchaseEntries(other.id, second.id)).toHaveLength(1);
  });

  it('grants once for a session reported completed and async_payment_succeeded, in either order or at once', async () => {
    for (const order of [['checkout.session.completed', 'checkout.session.async_payment_succeeded'], ['checkout.session.async_payment_succeeded', 'checkout.session.completed']]) {
      const me = await buyer();
      const purchase = await (await startPurchase(me, 'pack_100')).row();
      for (const type of order) expect(await json(await deliver(stripeEvent(type, sessionObject(purchase))))).toEqual({ received: true });
      expect((await credits(me)).balance).toBe(100);
      expect(await purchaseEntries(me.id, purchase.id)).toHaveLength(1);
    }
    const me = await buyer();
    const purchase = await (await startPurchase(me, 'pack_100')).row();
    await atOnce(['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.completed'].map((type) => stripeEvent(type, sessionObject(purchase))));
    expect(await expectLedgerMatchesAccount(me.id)).toMatchObject({ balance: 100 });
    expect(await purchaseEntries(me.id, purchase.id)).toHaveLength(1);
  });

  it('grants nothing for a session completed unpaid until its delayed payment succeeds; a failed one ends failed', async () => {
    const me = await buyer();
    const slow = await (await startPurchase(me, 'pack_100')).row();
    await deliver(stripeEvent('checkout.session.completed', sessionObject(slow, { payment_status: 'unpaid' })));
    expect((await credits(me)).balance).toBe(0);
    expect(await db().select().from(purchases).where(eq(purchases.id, slow.id)).get()).toMatchObject({ status: 'pending', payment_intent_id: `pi_${slow.id}` });
    await deliver(stripeEvent('checkout.session.async_payment_succeeded', sessionObject(slow)));
    expect((await credits(me)).balance).toBe(100);

    const bounced = await (await startPurchase(me, 'pack_500')).row();
    await deliver(stripeEvent('checkout.session.completed', sessionObject(bounced, { payment_status: 'unpaid' })));
    await deliver(stripeEvent('checkout.session.async_payment_failed', sessionObject(bounced, { payment_status: 'unpaid' })));
    const abandoned = await (await startPurchase(me, 'pack_1500')).row();
    await deliver(stripeEvent('checkout.session.expired', sessionObject(abandoned, { status: 'expired', payment_status: 'unpaid', payment_intent: null })));
    const { items } = await json(await call('/v1/credits/purchases', { token: me.access_token }));
    expect(items.map((p: any) => [p.id, p.status])).toEqual([
      [abandoned.id, 'failed'],
      [bounced.id, 'failed'],
      [slow.id, 'paid'],
    ]);
    expect((await credits(me)).balance).toBe(100);
    expect((await outbox(me)).map((m) => m.subject)).toContain('Your payment for 500 credits did not go through');
    // A late success for a failed purchase grants nothing.
    await deliver(stripeEvent('checkout.session.async_payment_succeeded', sessionObject(bounced)));
    expect((await credits(me)).balance).toBe(100);
    await expectLedgerMatchesAccount(me.id);
  });

  it('grants nothing for a session that does not match its purchase: another buyer, another amount or currency', async () => {
    const me = await buyer();
    const other = await buyer();
    const purchase = await (await startPurchase(me)).row();
    for (const changes of [{ client_reference_id: other.id }, { amount_total: 1 }, { currency: 'eur' }, { id: 'cs_test_not_this_one' }]) {
      expect((await deliver(stripeEvent('checkout.session.completed', sessionObject(purchase, changes)))).status).toBe(200);
    }
    expect((await credits(me)).balance).toBe(0);
    expect((await credits(other)).balance).toBe(0);
    expect((await db().select().from(purchases).where(eq(purchases.id, purchase.id)).get())!.status).toBe('pending');
  });

  it('refuses forged, stale, unsigned and malformed deliveries, answers a replay as a duplicate, and none of them changes anything', async () => {
    const me = await buyer();
    const purchase = await (await startPurchase(me)).row();
    const event = stripeEvent('checkout.session.completed', sessionObject(purchase));
    const refusals = [
      await deliver(event, { secret: 'whsec_not_ours' }),
      await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      await deliver(event, { signature: null }),
      await deliver(event, { signature: 't=1,v1=deadbeef' }),
      // Signed for another body: the amount changed on the way.
      await (async () => {
        const signed = await signedDelivery(`${BASE}/v1/webhooks/stripe`, event, env.STRIPE_WEBHOOK_SECRET!);
        const forged = JSON.stringify({ ...event, data: { object: { ...sessionObject(purchase), amount_total: 1 } } });
        return call('/v1/webhooks/stripe', { method: 'POST', headers: signed.headers, body: forged });
      })(),
    ];
    const details = [];
    for (const r of refusals) details.push((await expectProblem(r, 401, 'unauthorized')).detail);
    expect(details.slice(0, 3)).toEqual([
      'This Stripe webhook was refused: its Stripe-Signature does not match its body (forged, or signed with another secret).',
      'This Stripe webhook was refused: it was signed more than 5 minutes ago (stale, or replayed).',
      'This Stripe webhook was refused: it carries no Stripe-Signature Stripe would send.',
    ]);
    await expectProblem(await deliver(null, { body: 'not json at all' }), 400, 'bad_request');
    await expectProblem(await deliver({ hello: 'world' }), 400, 'bad_request');
    await expectProblem(await deliver({ ...event, data: { object: { object: 'checkout.session' } } }), 400, 'bad_request');
    expect((await credits(me)).balance).toBe(0);
    expect(await db().select().from(providerEvents).where(eq(providerEvents.event_id, event.id)).all()).toEqual([]);

    expect(await json(await deliver(event))).toEqual({ received: true });
    expect(await json(await deliver(event))).toEqual({ received: true, duplicate: true });
    expect((await credits(me)).balance).toBe(500);
  });

  it('accepts events of no concern and sessions of other sales, changing nothing', async () => {
    expect(await json(await deliver(stripeEvent('customer.created', { id: 'cus_1', object: 'customer' })))).toEqual({ received: true });
    const foreign = { id: 'cs_test_other_shop', object: 'checkout.session', amount_total: 900, currency: 'usd', payment_status: 'paid', metadata: {}, client_reference_id: null };
    expect(await json(await deliver(stripeEvent('checkout.session.completed', foreign)))).toEqual({ received: true });
    expect(await json(await deliver(stripeEvent('charge.refunded', chargeObject({ paymentIntent: 'pi_not_ours', amount: 900, currency: 'usd', amountRefunded: 900 }))))).toEqual({ received: true });
  });
});

/** Stripe's charge.refunded for this purchase, `refunded` of its amount refunded so far. */
const refundEvent = (p: typeof purchases.$inferSelect, refunded: number) =>
  stripeEvent('charge.refunded', chargeObject({ paymentIntent: p.payment_intent_id!, amount: p.amount, currency: p.currency, amountRefunded: refunded }));

describe('refunds and disputes', () => {
  it('take back what a spent balance has left, owe the rest, refuse every spending while owing, and a later purchase settles it', async () => {
    await call('/dev/seed', { method: 'POST', json: { email: randomEmail('seed') } });
    const me = await buyer();
    const first = await (await boughtLocally(me, 'pack_100')).row();
    const { items: models } = await json(await call('/v1/models', { token: me.access_token }));
    const dusk = models.find((m: any) => m.name === 'Dusk Harbour');
    const made = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: dusk.id, prompt: 'boats at rest', batch: 2, resolution: 'hd', aspect_ratio: '1:1', seed: 3 }))).id);
    const spent = made.cost.charged;
    expect(spent).toBeGreaterThan(0);

    const refunded = await deliver(refundEvent(first, first.amount));
    expect(await json(refunded)).toEqual({ received: true });
    expect(await expectLedgerMatchesAccount(me.id)).toEqual({ balance: 0, held: 0, available: 0, owed: spent });
    expect((await purchaseEntries(me.id, first.id)).map((e) => e.amount)).toEqual([100, -(100 - spent)]);
    expect((await db().select().from(purchases).where(eq(purchases.id, first.id)).get())!).toMatchObject({ status: 'refunded', reversed_at: expect.any(String) });
    const notice = (await outbox(me)).find((m) => m.subject === 'Your Exactly purchase was refunded: 100 credits taken back')!;
    expect(notice.text).toContain(`${spent} credits are owing`);

    const owing = `A refunded purchase left ${spent} credits owing. Buy credits to settle them, then try again.`;
    const before = await json(await call('/v1/generations', { token: me.access_token }));
    const refusedGeneration = await expectProblem(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a pier', batch: 1, resolution: 'sd', aspect_ratio: '1:1' }), 402, 'account_owing');
    expect(refusedGeneration).toMatchObject({ detail: owing, owed: spent });
    const refusedLicense = await expectProblem(await call(`/v1/images/${made.images[0].id}/license`, { method: 'POST', token: me.access_token }), 402, 'account_owing');
    expect(refusedLicense.detail).toBe(owing);
    expect((await json(await call('/v1/generations', { token: me.access_token }))).items).toEqual(before.items);
    expect(await expectLedgerMatchesAccount(me.id)).toEqual({ balance: 0, held: 0, available: 0, owed: spent });

    const second = await (await boughtLocally(me, 'pack_100')).row();
    expect(await expectLedgerMatchesAccount(me.id)).toEqual({ balance: 100 - spent, held: 0, available: 100 - spent, owed: 0 });
    expect((await purchaseEntries(me.id, second.id)).map((e) => [e.amount, e.idempotency_key])).toEqual([
      [100, `purchase:${second.id}`],
      [-spent, `settles-owed:purchase:${second.id}`],
    ]);
    const receipt = (await outbox(me)).find((m) => m.subject === 'Your Exactly receipt: 100 credits')!;
    expect(receipt.text).toContain(`${spent} credits of it settled what a refunded purchase left owing.`);
    expect((await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a pier', batch: 1, resolution: 'sd', aspect_ratio: '1:1' })).status).toBe(202);
  });

  it('take back only what is not held for work in flight; what that work releases settles the debt', async () => {
    const me = await buyer();
    const p = await (await boughtLocally(me, 'pack_100')).row();
    const inFlight = await hold(env.DB, { userId: me.id, amount: 40, ref: 'gen_in_flight', idempotencyKey: 'in-flight', now: new Date(), ttlMinutes: 60 });
    await deliver(refundEvent(p, p.amount));
    expect(await expectLedgerMatchesAccount(me.id)).toEqual({ balance: 40, held: 40, available: 0, owed: 40 });
    // The work delivers a quarter: 10 charged, 30 released, and those 30 pay back what is owed.
    await settle(env.DB, { holdId: inFlight.id, charge: 10, now: new Date() });
    expect(await expectLedgerMatchesAccount(me.id)).toEqual({ balance: 0, held: 0, available: 0, owed: 10 });
  });

  it('take back a partial refund in proportion, each refund once, whatever the order and concurrency of their events', async () => {
    const me = await buyer();
    const p = await (await boughtLocally(me)).row();
    const quarter = refundEvent(p, 500); // $5 of $20
    const half = refundEvent(p, 1000);
    // The later refund's event arrives first: it takes back half; the earlier one then adds nothing.
    await deliver(half);
    await deliver(quarter);
    expect(await json(await deliver(half))).toEqual({ received: true, duplicate: true });
    expect(await expectLedgerMatchesAccount(me.id)).toMatchObject({ balance: 250, owed: 0 });
    expect((await db().select().from(purchases).where(eq(purchases.id, p.id)).get())!.status).toBe('paid');
    // Two refunds handled at once still add up to the whole pack, never more.
    const threeQuarters = refundEvent(p, 1500);
    const all = refundEvent(p, 2000);
    await atOnce([threeQuarters, all, threeQuarters, all]);
    expect(await expectLedgerMatchesAccount(me.id)).toEqual({ balance: 0, held: 0, available: 0, owed: 0 });
    expect((await purchaseEntries(me.id, p.id)).reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    expect((await db().select().from(purchases).where(eq(purchases.id, p.id)).get())!.status).toBe('refunded');
  });

  it('take back what is left after a lost dispute; a won dispute changes nothing', async () => {
    const me = await buyer();
    const p = await (await boughtLocally(me, 'pack_100')).row();
    const charge = chargeObject({ paymentIntent: p.payment_intent_id!, amount: p.amount, currency: p.currency });
    const dispute = (status: string) => disputeObject({ paymentIntent: p.payment_intent_id!, charge: charge.id, amount: p.amount, currency: p.currency, status });
    await deliver(stripeEvent('charge.dispute.created', dispute('needs_response')));
    await deliver(stripeEvent('charge.dispute.closed', dispute('won')));
    expect((await credits(me)).balance).toBe(100);
    await deliver(refundEvent(p, 100)); // $1 of $5: 20 credits
    expect((await credits(me)).balance).toBe(80);
    expect(await json(await deliver(stripeEvent('charge.dispute.closed', dispute('lost'))))).toEqual({ received: true });
    expect(await expectLedgerMatchesAccount(me.id)).toEqual({ balance: 0, held: 0, available: 0, owed: 0 });
    expect((await db().select().from(purchases).where(eq(purchases.id, p.id)).get())!.status).toBe('disputed');
    expect((await outbox(me)).map((m) => m.subject)).toContain('A lost dispute took back 80 credits');
  });
});

describe('GET /v1/credits/purchases', () => {
  it('lists only your own purchases, newest first, a page at a time', async () => {
    const me = await buyer();
    const someoneElse = await buyer();
    const mine = [];
    for (const pack of ['pack_100', 'pack_500', 'pack_1500']) mine.push((await startPurchase(me, pack)).session.purchase_id);
    await startPurchase(someoneElse);
    const first = await json(await call('/v1/credits/purchases?limit=2', { token: me.access_token }));
    expect(first.items.map((p: any) => p.id)).toEqual([mine[2], mine[1]]);
    const second = await json(await call(`/v1/credits/purchases?limit=2&cursor=${first.next_cursor}`, { token: me.access_token }));
    expect(second).toEqual({ items: [expect.objectContaining({ id: mine[0] })], next_cursor: null });
    const theirs = await json(await call('/v1/credits/purchases', { token: someoneElse.access_token }));
    expect(theirs.items).toHaveLength(1);
    expect(theirs.items[0].id).not.toBeOneOf(mine);
    await expectProblem(await call('/v1/credits/purchases?cursor=bm90LWEtY3Vyc29y', { token: me.access_token }), 422, 'validation_failed');
    await expectProblem(await call('/v1/credits/purchases'), 401, 'unauthorized');
  });
});
