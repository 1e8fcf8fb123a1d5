// Stripe through its official SDK, made for Workers: requests go through its fetch HTTP client
// and webhook signatures are checked with its SubtleCrypto provider (no Node crypto). Tests
// point it at a local fake with STRIPE_API_BASE.
import Stripe from 'stripe';
import { DomainError } from '../domain/errors';
import type { Checkout, SessionRequest } from './checkout';
import { NotAnEvent, type PaymentReport, paymentReport } from './events';
import { creditsText } from './money';

/** Stripe's tolerance for a signature's age, in seconds: older deliveries are refused as stale. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A client for one request: the fetch client binds the global fetch as it is then. */
export function stripeClient(secretKey: string, apiBase?: string): Stripe {
  const base = apiBase ? new URL(apiBase) : null;
  return new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    // Stripe's idempotency key (the purchase id) makes its own retry harmless.
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    ...(base
      ? { host: base.hostname, port: base.port || (base.protocol === 'http:' ? 80 : 443), protocol: base.protocol === 'http:' ? ('http' as const) : ('https' as const) }
      : {}),
  });
}

export function checkoutSessionParams(request: SessionRequest) {
  const { pack, origin } = request;
  const metadata = { purchase_id: request.purchaseId, pack_id: pack.id, user_id: request.userId };
  return {
    mode: 'payment',
    client_reference_id: request.userId,
    customer_email: request.email,
    metadata,
    // Refunds and disputes name the PaymentIntent: it carries the purchase too.
    payment_intent_data: { metadata },
    line_items: [{ quantity: 1, price_data: { currency: pack.price.currency, unit_amount: pack.price.amount, product_data: { name: creditsText(pack.credits) } } }],
    success_url: `${origin}/checkout/paid`,
    cancel_url: `${origin}/checkout/cancelled`,
  } satisfies Stripe.Checkout.SessionCreateParams;
}

export function stripeCheckout(secretKey: string, apiBase?: string): Checkout {
  return {
    name: 'stripe',
    async createSession(request) {
      let session: Stripe.Checkout.Session;
      try {
        // The purchase id as Stripe's idempotency key: a retried checkout gets the same session.
        session = await stripeClient(secretKey, apiBase).checkout.sessions.create(checkoutSessionParams(request), { idempotencyKey: request.purchaseId });
      } catch (error) {
        console.error(`Stripe refused a Checkout Session for ${request.purchaseId}`, error instanceof Error ? error.message : error);
        throw new DomainError('service_unavailable', 'Stripe could not open a checkout just now. Nothing was charged; try again in a moment.');
      }
      if (!session.url) throw new DomainError('service_unavailable', 'Stripe opened a checkout without a page to pay on. Nothing was charged; try again in a moment.');
      return { id: session.id, url: session.url };
    },
  };
}

/** Why the SDK refused a signature, in words (its own messages are written for developers). */
function refusalWords(message: string): string {
  if (message.startsWith('Timestamp outside the tolerance zone')) return `it was signed more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes ago (stale, or replayed)`;
  if (/No stripe-signature header|Unable to extract timestamp|No signatures found with expected scheme/.test(message)) return 'it carries no Stripe-Signature Stripe would send';
  if (message.startsWith('No webhook payload')) return 'it has no body';
  return 'its Stripe-Signature does not match its body (forged, or signed with another secret)';
}

/**
 * What a webhook delivery reports, once its Stripe-Signature holds for this secret and is at
 * most 300 s old. Forged, stale or unsigned: 401; signed, but not a Stripe event: 400.
 */
export async function verifiedReport(raw: Uint8Array, signature: string | null, secret: string, now: Date): Promise<PaymentReport> {
  let event: unknown;
  try {
    event = await Stripe.webhooks.constructEventAsync(raw, signature ?? '', secret, SIGNATURE_TOLERANCE_SECONDS, Stripe.createSubtleCryptoProvider(), now.getTime());
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new DomainError('unauthorized', `This Stripe webhook was refused: ${refusalWords(error.message)}.`);
    // The signature held, but the body is not JSON.
    if (error instanceof SyntaxError) throw new DomainError('bad_request', 'This Stripe webhook is signed, but its body is not JSON.');
    throw error;
  }
  try {
    return paymentReport(event);
  } catch (error) {
    if (error instanceof NotAnEvent) throw new DomainError('bad_request', `This Stripe webhook is signed, but ${error.message}.`);
    throw error;
  }
}

/** A Stripe-Signature header for `payload`, made by the SDK's own helper, as the Stripe CLI signs test events. */
export function signedHeader(payload: string, secret: string, timestamp?: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: Stripe.createSubtleCryptoProvider(), ...(timestamp === undefined ? {} : { timestamp }) });
}
