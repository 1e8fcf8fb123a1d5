// Where a purchase is paid, chosen from configuration: Stripe Checkout when STRIPE_SECRET_KEY
// and STRIPE_WEBHOOK_SECRET are set; the development checkout (a page this Worker serves under
// /dev) in development without them; nowhere otherwise, and buying credits says so.
import type { CreditPack } from '../../shared/catalog/packs';
import type { Bindings } from '../env';
import { localCheckout } from './local';
import { stripeCheckout } from './stripe';

export interface SessionRequest {
  purchaseId: string;
  userId: string;
  email: string;
  pack: CreditPack;
  /** This API's public origin: the pages a buyer returns to, and the local checkout's, live there. */
  origin: string;
}

/** A Checkout Session: its id (cs_…) and the page where the buyer pays. */
export interface CheckoutSession {
  id: string;
  url: string;
}

export interface Checkout {
  name: 'stripe' | 'local';
  /** Makes the session a purchase is paid through; asked again for the same purchase, the same session. */
  createSession(request: SessionRequest): Promise<CheckoutSession>;
}

export function checkoutFor(env: Bindings): Checkout | null {
  if (env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET) return stripeCheckout(env.STRIPE_SECRET_KEY, env.STRIPE_API_BASE);
  // A key without the webhook secret would take payments whose credits never arrive.
  if (env.STRIPE_SECRET_KEY) console.error('STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET: buying credits stays off');
  else if (env.ENVIRONMENT === 'development') return localCheckout;
  return null;
}
