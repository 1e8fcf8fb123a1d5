// /v1/credits: the balance and its ledger, the packs on sale, buying one (a Checkout Session),
// and your purchases. /checkout/*: the pages Stripe Checkout sends a buyer back to.
import { Hono } from 'hono';
import { checkout, credits, ledger, packs, purchases } from '../../../shared/api/routes/credits';
import { creditPacks } from '../../../shared/catalog/packs';
import { getCredits, listLedger } from '../../domain/ledger';
import { listPurchases, startCheckout } from '../../domain/purchases';
import type { AppEnv } from '../../env';
import { idempotencyKey, requestHash } from '../../http/idempotency';
import { router, serve } from '../../http/openapi';
import { publicOrigin } from '../../http/public-origin';
import { checkoutFor } from '../../payments/checkout';
import { cancelledPage, paidPage } from '../../payments/pages';

export const creditRoutes = router();

serve(creditRoutes, credits, async (c) => c.json(await getCredits(c.env.DB, c.get('user').id), 200));
serve(creditRoutes, ledger, async (c) => c.json(await listLedger(c.env.DB, c.get('user').id, c.req.valid('query')), 200));
serve(creditRoutes, packs, (c) => c.json({ items: [...creditPacks] }, 200));

serve(
  creditRoutes,
  checkout,
  async (c) => {
    const body = c.req.valid('json');
    const session = await startCheckout(c.env.DB, checkoutFor(c.env), {
      userId: c.get('user').id,
      packId: body.pack_id,
      idempotencyKey: idempotencyKey(c),
      requestHash: await requestHash({ checkout: body }),
      origin: publicOrigin(c),
      now: new Date(),
    });
    return c.json(session, 201);
  },
  { limits: ['work'] },
);

serve(creditRoutes, purchases, async (c) => c.json(await listPurchases(c.env.DB, c.get('user').id, c.req.valid('query')), 200));

/** Where Stripe Checkout returns the buyer: a page in words, since the panel shows the credits. */
export const checkoutPageRoutes = new Hono<AppEnv>().get('/paid', (c) => c.html(paidPage())).get('/cancelled', (c) => c.html(cancelledPage()));
