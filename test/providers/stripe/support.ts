// The network edge for the Stripe tests inside workerd: the Worker's requests to
// https://api.stripe.fake (STRIPE_API_BASE in the edge-stripe project) reach the local Stripe,
// and its events come back into the Worker's webhook route, as they would over the internet.
import { exports } from 'cloudflare:workers';
import { afterAll, beforeAll, vi } from 'vitest';
import { createStripeFake, type StripeFake } from '../../fakes/stripe';
import { BASE, env } from '../../edge/support';

export function useStripe(): StripeFake {
  const stripe = createStripeFake({
    origin: env.STRIPE_API_BASE,
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
    webhookUrl: `${BASE}/v1/webhooks/stripe`,
    deliver: (request) => exports.default.fetch(request),
  });
  const host = new URL(stripe.origin).host;
  beforeAll(() => {
    const original = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      return new URL(request.url).host === host ? stripe.handle(request) : original(request);
    });
  });
  afterAll(() => vi.unstubAllGlobals());
  return stripe;
}
