// The development checkout: with no Stripe key, a session is a page this Worker serves under
// /dev, and paying there makes the event Stripe would send — `checkout.session.completed`,
// shaped as Stripe shapes it and signed with STRIPE_WEBHOOK_SECRET the way the Stripe CLI signs
// test events — for the one webhook route to receive. Nothing else grants a pack locally.
import Stripe from 'stripe';
import { newId } from '../db/ids';
import type { PurchaseRow } from '../db/schema';
import type { Checkout } from './checkout';

export const localCheckout: Checkout = {
  name: 'local',
  async createSession(request) {
    const id = newId('cs_local');
    return { id, url: `${request.origin}/dev/checkout/${id}` };
  },
};

/** The session ids the local checkout makes (its page answers for no other). */
export const isLocalSession = (id: string) => /^cs_local_[0-9a-z]+$/.test(id);

/** The event Stripe sends when a Checkout Session is paid, for a purchase paid on the local page. */
export function completedEvent(purchase: PurchaseRow, now: Date) {
  const created = Math.floor(now.getTime() / 1000);
  const metadata = { purchase_id: purchase.id, pack_id: purchase.pack_id, user_id: purchase.user_id };
  return {
    id: newId('evt_local'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'checkout.session.completed',
    data: {
      object: {
        id: purchase.checkout_session_id,
        object: 'checkout.session',
        amount_subtotal: purchase.amount,
        amount_total: purchase.amount,
        client_reference_id: purchase.user_id,
        created: Math.floor(Date.parse(purchase.created_at) / 1000),
        currency: purchase.currency,
        livemode: false,
        metadata,
        mode: 'payment',
        payment_intent: newId('pi_local'),
        payment_status: 'paid',
        status: 'complete',
        url: null,
      },
    },
  };
}
