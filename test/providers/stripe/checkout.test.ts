// Buying credits with Stripe configured: the official `stripe` SDK runs inside workerd (its fetch
// HTTP client makes the Checkout Session, its SubtleCrypto provider verifies the webhook), and
// the local Stripe it talks to is held to the SDK itself first, so the fake cannot drift from
// what the SDK sends and accepts.
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { creditPacks } from '../../../shared/catalog/packs';
import { stripeClient } from '../../../edge/payments/stripe';
import { signedDelivery, stripeEvent } from '../../fakes/stripe';
import { call, env, expectProblem, json, signIn } from '../../edge/support';
import { useStripe } from './support';

const stripe = useStripe();
const pack500 = creditPacks.find((p) => p.id === 'pack_500')!;

const checkout = (token: string, packId: string, key?: string) =>
  call('/v1/credits/checkout', { method: 'POST', token, json: { pack_id: packId }, headers: key ? { 'idempotency-key': key } : {} });

describe('the official SDK against the local Stripe', () => {
  it('creates a Checkout Session from the form body it encodes, replays an idempotency key, and is refused in Stripe’s own error shapes', async () => {
    const client = stripeClient(env.STRIPE_SECRET_KEY!, env.STRIPE_API_BASE);
    const params = {
      mode: 'payment' as const,
      client_reference_id: 'usr_1',
      metadata: { purchase_id: 'pur_1' },
      line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 2000, product_data: { name: '500 credits' } } }],
      success_url: 'https://api.example.test/checkout/paid',
    };
    const session = await client.checkout.sessions.create(params, { idempotencyKey: 'pur_1' });
    expect(session).toMatchObject({ id: expect.stringMatching(/^cs_test_/), object: 'checkout.session', status: 'open', payment_status: 'unpaid', amount_total: 2000, currency: 'usd', client_reference_id: 'usr_1', metadata: { purchase_id: 'pur_1' }, url: `https://checkout.stripe.fake/c/pay/${session.id}` });
    expect(stripe.log.creates.at(-1)).toMatchObject({ idempotencyKey: 'pur_1', version: Stripe.API_VERSION, params: { line_items: [{ price_data: { unit_amount: '2000', product_data: { name: '500 credits' } } }] } });
    expect((await client.checkout.sessions.create(params, { idempotencyKey: 'pur_1' })).id).toBe(session.id);
    expect((await client.checkout.sessions.retrieve(session.id)).id).toBe(session.id);

    const reused = await client.checkout.sessions.create({ ...params, client_reference_id: 'usr_2' }, { idempotencyKey: 'pur_1' }).catch((e) => e);
    expect(reused).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    const missing = await client.checkout.sessions.create({ ...params, line_items: [] }).catch((e) => e);
    expect(missing).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, param: 'line_items' });
    const wrongKey = await stripeClient('sk_test_wrong', env.STRIPE_API_BASE).checkout.sessions.retrieve(session.id).catch((e) => e);
    expect(wrongKey).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('signs its events so that constructEventAsync (SubtleCrypto) accepts them, and only with the right secret', async () => {
    const event = stripeEvent('checkout.session.expired', { id: 'cs_test_x', object: 'checkout.session' });
    const delivery = await signedDelivery('https://api.example.test/v1/webhooks/stripe', event, env.STRIPE_WEBHOOK_SECRET!);
    const raw = await delivery.text();
    const header = delivery.headers.get('stripe-signature')!;
    const verified = await Stripe.webhooks.constructEventAsync(raw, header, env.STRIPE_WEBHOOK_SECRET!, 300, Stripe.createSubtleCryptoProvider());
    expect(verified).toMatchObject({ id: event.id, type: 'checkout.session.expired', api_version: Stripe.API_VERSION });
    await expect(Stripe.webhooks.constructEventAsync(raw, header, 'whsec_another', 300, Stripe.createSubtleCryptoProvider())).rejects.toBeInstanceOf(Stripe.errors.StripeSignatureVerificationError);
  });
});

describe('buying a pack through Stripe Checkout', () => {
  it('opens a session made by the SDK inside the Worker, and a paid session grants the pack once', async () => {
    const me = await signIn();
    const response = await checkout(me.access_token, 'pack_500', 'buy-1');
    expect(response.status).toBe(201);
    const session = await json(response);
    expect(session).toEqual({ id: expect.stringMatching(/^cs_test_/), url: `https://checkout.stripe.fake/c/pay/${session.id}`, purchase_id: expect.stringMatching(/^pur_/) });
    const sent = stripe.log.creates.at(-1)!;
    const me2 = await json(await call('/v1/me', { token: me.access_token }));
    expect(sent).toMatchObject({
      idempotencyKey: session.purchase_id,
      params: {
        mode: 'payment',
        client_reference_id: me2.id,
        customer_email: me.email,
        metadata: { purchase_id: session.purchase_id, pack_id: 'pack_500', user_id: me2.id },
        line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: String(pack500.price.amount), product_data: { name: '500 credits' } } }],
        success_url: 'http://127.0.0.1:8787/checkout/paid',
        cancel_url: 'http://127.0.0.1:8787/checkout/cancelled',
      },
    });
    // The same key: the same session, without a second one at Stripe.
    const creates = stripe.log.creates.length;
    expect(await json(await checkout(me.access_token, 'pack_500', 'buy-1'))).toEqual(session);
    expect(stripe.log.creates.length).toBe(creates);

    const completed = stripe.pay(session.id);
    expect((await stripe.deliver(completed)).status).toBe(200);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 500, held: 0, available: 500, owed: 0 });
    expect(await json(await stripe.deliver(completed))).toEqual({ received: true, duplicate: true });
    const { items } = await json(await call('/v1/credits/purchases', { token: me.access_token }));
    expect(items).toEqual([expect.objectContaining({ id: session.purchase_id, status: 'paid', credits: 500, amount: 2000, currency: 'usd', paid_at: expect.any(String) })]);

    // A full refund through Stripe takes the pack back.
    expect((await stripe.deliver(stripe.refund(session.id))).status).toBe(200);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 0, held: 0, available: 0, owed: 0 });
  });

  it('says so in words when Stripe refuses the session, and answers the same key once Stripe works again', async () => {
    const me = await signIn();
    const refused = await call('/v1/credits/checkout', { method: 'POST', token: me.access_token, json: { pack_id: 'pack_100' }, headers: { 'idempotency-key': 'k' }, vars: { STRIPE_SECRET_KEY: 'sk_test_revoked' } });
    const problem = await expectProblem(refused, 503, 'service_unavailable');
    expect(problem.detail).toBe('Stripe could not open a checkout just now. Nothing was charged; try again in a moment.');
    const retried = await checkout(me.access_token, 'pack_100', 'k');
    expect(retried.status).toBe(201);
    const { items } = await json(await call('/v1/credits/purchases', { token: me.access_token }));
    expect(items).toEqual([expect.objectContaining({ id: (await json(retried)).purchase_id, status: 'pending' })]);
  });

  it('is off, in words, when the key is set without the webhook secret that would credit the payments', async () => {
    const me = await signIn();
    const off = await call('/v1/credits/checkout', { method: 'POST', token: me.access_token, json: { pack_id: 'pack_100' }, vars: { STRIPE_WEBHOOK_SECRET: undefined, ENVIRONMENT: 'production' } });
    expect((await expectProblem(off, 503, 'service_unavailable')).detail).toBe('Buying credits is not set up on this server yet.');
  });
});
