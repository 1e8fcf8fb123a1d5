// A local Stripe that speaks its HTTP API as far as buying credits uses it: Checkout Sessions
// created from a form-encoded body (`line_items[0][price_data][currency]=usd`, as the SDK sends
// them), `Authorization: Bearer <secret key>`, `Idempotency-Key` honoured (the same key and
// parameters answer the same session with `Idempotent-Replayed: true`; other parameters, an
// idempotency_error), Stripe's JSON error shape ({ error: { type, message, param? } }), and
// the events a payment then causes (completed, async_payment_*, expired, charge.refunded,
// charge.dispute.*) as Stripe builds them, signed with the SDK's own test-header helper.
// Proven against the official SDK in test/providers/stripe/.
import Stripe from 'stripe';

export interface StripeFakeOptions {
  origin?: string;
  secretKey?: string;
  /** The endpoint's signing secret (whsec_…). */
  webhookSecret: string;
  /** Where events are delivered (this API's /v1/webhooks/stripe) and how. */
  webhookUrl: string;
  deliver: (request: Request) => Promise<Response>;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'request-id': `req_${random(14)}`, ...headers } });

/** Stripe's error body. */
const stripeError = (status: number, type: string, message: string, param?: string) => json({ error: { type, message, ...(param ? { param } : {}) } }, status);

function random(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => alphabet[b % alphabet.length]).join('');
}

/** Stripe's ids: a prefix and random characters (`cs_test_a1B2…`, `evt_1Q…`). */
export const stripeId = (prefix: string) => `${prefix}_${random(prefix.startsWith('cs_') ? 58 : 24)}`;

/** `a[b][0][c]=v` pairs, as Stripe reads a form body, into nested objects and arrays. */
export function parseForm(body: string): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: any = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) node[segment] = value;
      else node = node[segment] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
    });
  }
  return root;
}

/** An event as Stripe sends it to an endpoint. */
export function stripeEvent(type: string, object: Record<string, unknown>, extra: { previous_attributes?: Record<string, unknown>; created?: number } = {}) {
  return {
    id: stripeId('evt'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: extra.created ?? Math.floor(Date.now() / 1000),
    data: { object, ...(extra.previous_attributes ? { previous_attributes: extra.previous_attributes } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** A Charge as Stripe shows it (the fields refunds and disputes are read by, and their neighbours). */
export function chargeObject(c: { paymentIntent: string; amount: number; currency: string; amountRefunded?: number; id?: string }) {
  const refunded = c.amountRefunded ?? 0;
  return {
    id: c.id ?? stripeId('ch'),
    object: 'charge',
    amount: c.amount,
    amount_captured: c.amount,
    amount_refunded: refunded,
    captured: true,
    currency: c.currency,
    disputed: false,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: c.paymentIntent,
    refunded: refunded >= c.amount,
    status: 'succeeded',
  };
}

export function disputeObject(d: { paymentIntent: string; charge: string; amount: number; currency: string; status: string }) {
  return { id: stripeId('dp'), object: 'dispute', amount: d.amount, charge: d.charge, currency: d.currency, livemode: false, metadata: {}, payment_intent: d.paymentIntent, reason: 'fraudulent', status: d.status };
}

/** A delivery of `event` to `url`, signed as Stripe signs it (the SDK's generateTestHeaderStringAsync); `timestamp` in seconds. */
export async function signedDelivery(url: string, event: unknown, secret: string, options: { timestamp?: number; body?: string } = {}): Promise<Request> {
  const payload = options.body ?? JSON.stringify(event, null, 2);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: Stripe.createSubtleCryptoProvider(), ...(options.timestamp ? { timestamp: options.timestamp } : {}) });
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' }, body: payload });
}

interface Session {
  object: Record<string, any>;
  charge: ReturnType<typeof chargeObject> | null;
}

export function createStripeFake(options: StripeFakeOptions) {
  const origin = options.origin ?? 'https://api.stripe.fake';
  const secretKey = options.secretKey ?? 'sk_test_fake_key';
  const sessions = new Map<string, Session>();
  const replays = new Map<string, { params: string; response: { status: number; body: unknown } }>();
  const log = { creates: [] as { params: Record<string, any>; idempotencyKey: string | null; version: string | null }[], deliveries: [] as { type: string; status: number }[] };

  type Answer = { status: number; body: unknown };
  const refusal = (message: string, param?: string, type = 'invalid_request_error'): Answer => ({ status: 400, body: { error: { type, message, ...(param ? { param } : {}) } } });

  /** What Stripe refuses in a Checkout Session create, as it words it. */
  function refused(params: Record<string, any>): Answer | null {
    if (!params.mode) return refusal('Missing required param: mode.', 'mode');
    if (!['payment', 'setup', 'subscription'].includes(params.mode)) return refusal(`Invalid mode: must be one of payment, setup, or subscription`, 'mode');
    const items = params.line_items;
    if (!Array.isArray(items) || !items.length) return refusal('Missing required param: line_items.', 'line_items');
    for (const [i, item] of items.entries()) {
      const p = item?.price_data;
      const at = (field: string) => `line_items[${i}]${field}`;
      if (!p) return refusal('You must specify either `price` or `price_data` for each line item.', at(''));
      if (!/^[a-z]{3}$/.test(p.currency ?? '')) return refusal(`Missing required param: ${at('[price_data][currency]')}.`, at('[price_data][currency]'));
      if (!/^\d+$/.test(p.unit_amount ?? '')) return refusal(`Invalid integer: ${p.unit_amount ?? ''}`, at('[price_data][unit_amount]'));
      if (!p.product_data?.name) return refusal(`Missing required param: ${at('[price_data][product_data][name]')}.`, at('[price_data][product_data][name]'));
      if (!/^[1-9]\d*$/.test(item.quantity ?? '')) return refusal(`Missing required param: ${at('[quantity]')}.`, at('[quantity]'));
    }
    for (const field of ['success_url', 'cancel_url']) {
      if (params[field] !== undefined && !URL.canParse(params[field])) return refusal('Not a valid URL', field);
    }
    return null;
  }

  function createSession(params: Record<string, any>): Answer {
    const bad = refused(params);
    if (bad) return bad;
    const items = params.line_items as any[];
    const amount = items.reduce((sum, item) => sum + Number(item.price_data.unit_amount) * Number(item.quantity), 0);
    const id = stripeId('cs_test');
    const created = Math.floor(Date.now() / 1000);
    const object = {
      id,
      object: 'checkout.session',
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created,
      currency: items[0].price_data.currency,
      customer: null,
      customer_details: null,
      customer_email: params.customer_email ?? null,
      expires_at: created + 24 * 3600,
      livemode: false,
      metadata: params.metadata ?? {},
      mode: params.mode,
      payment_intent: null,
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      status: 'open',
      success_url: params.success_url ?? null,
      url: `https://checkout.stripe.fake/c/pay/${id}`,
    };
    sessions.set(id, { object, charge: null });
    return { status: 200, body: object };
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.headers.get('authorization') !== `Bearer ${secretKey}`) {
      const given = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
      return stripeError(401, 'invalid_request_error', given ? `Invalid API Key provided: ${given.slice(0, 8)}***` : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    }
    if (request.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      if (!(request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) return stripeError(400, 'invalid_request_error', 'Invalid request: unsupported Content-Type.');
      const body = new TextDecoder().decode(await request.arrayBuffer());
      const params = parseForm(body);
      const key = request.headers.get('idempotency-key');
      log.creates.push({ params, idempotencyKey: key, version: request.headers.get('stripe-version') });
      if (key) {
        const earlier = replays.get(key);
        if (earlier && earlier.params !== body) {
          return stripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
        }
        if (earlier) return json(earlier.response.body, earlier.response.status, { 'idempotent-replayed': 'true', 'idempotency-key': key });
      }
      const response = createSession(params);
      // Stripe keeps the answer to a key once the request ran; a refused one (validation) is not kept.
      if (key && response.status === 200) replays.set(key, { params: body, response });
      return json(response.body, response.status, key ? { 'idempotency-key': key } : {});
    }
    const read = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && read) {
      const session = sessions.get(read[1]!);
      return session ? json(session.object) : stripeError(404, 'invalid_request_error', `No such checkout.session: '${read[1]}'`, 'session');
    }
    return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);
  }

  function session(id: string): Session {
    const s = sessions.get(id);
    if (!s) throw new Error(`the Stripe fake made no session ${id}`);
    return s;
  }

  /** Delivers an event to the endpoint now; the answer is Stripe's cue to retry (non-2xx). */
  async function deliver(event: ReturnType<typeof stripeEvent>, signing: { timestamp?: number } = {}): Promise<Response> {
    const response = await options.deliver(await signedDelivery(options.webhookUrl, event, options.webhookSecret, signing));
    log.deliveries.push({ type: event.type, status: response.status });
    return response;
  }

  return {
    origin,
    secretKey,
    log,
    handle,
    session: (id: string) => session(id).object,
    /**
     * The buyer pays on the session's page: a card pays at once, a bank debit completes unpaid
     * and settles later. Returns the `checkout.session.completed` event (not yet delivered).
     */
    pay(id: string, method: 'card' | 'delayed' = 'card') {
      const s = session(id);
      const paymentIntent = stripeId('pi');
      s.object = { ...s.object, status: 'complete', payment_status: method === 'card' ? 'paid' : 'unpaid', payment_intent: paymentIntent, url: null };
      s.charge = chargeObject({ paymentIntent, amount: s.object.amount_total, currency: s.object.currency });
      return stripeEvent('checkout.session.completed', s.object);
    },
    /** A delayed payment's outcome. */
    settleDelayed(id: string, succeeded: boolean) {
      const s = session(id);
      s.object = { ...s.object, payment_status: succeeded ? 'paid' : 'unpaid' };
      return stripeEvent(succeeded ? 'checkout.session.async_payment_succeeded' : 'checkout.session.async_payment_failed', s.object);
    },
    expire(id: string) {
      const s = session(id);
      s.object = { ...s.object, status: 'expired', url: null };
      return stripeEvent('checkout.session.expired', s.object);
    },
    /** Refunds `amount` (all that is left when not given) of the session's charge. */
    refund(id: string, amount?: number) {
      const s = session(id);
      if (!s.charge) throw new Error(`session ${id} has no charge to refund`);
      const before = { amount_refunded: s.charge.amount_refunded, refunded: s.charge.refunded };
      const refunded = Math.min(s.charge.amount, s.charge.amount_refunded + (amount ?? s.charge.amount - s.charge.amount_refunded));
      s.charge = { ...s.charge, amount_refunded: refunded, refunded: refunded >= s.charge.amount };
      return stripeEvent('charge.refunded', s.charge, { previous_attributes: before });
    },
    /** A dispute on the session's charge, closed with `status` (lost, won). Returns created and closed. */
    dispute(id: string, status: 'lost' | 'won') {
      const s = session(id);
      if (!s.charge) throw new Error(`session ${id} has no charge to dispute`);
      const opened = disputeObject({ paymentIntent: s.charge.payment_intent, charge: s.charge.id, amount: s.charge.amount, currency: s.charge.currency, status: 'needs_response' });
      return [stripeEvent('charge.dispute.created', opened), stripeEvent('charge.dispute.closed', { ...opened, status })] as const;
    },
    deliver,
  };
}

export type StripeFake = ReturnType<typeof createStripeFake>;
