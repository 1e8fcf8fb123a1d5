// /dev: development-only helpers, absent (404) unless ENVIRONMENT = "development"; among them
// the development checkout, which pays a purchase through the same webhook Stripe would call.
import { Hono } from 'hono';
import { z } from 'zod';
import { DevGrantBody } from '../../../shared/api/credits';
import { findOrCreateUser, setRole } from '../../domain/accounts';
import { publishCredits } from '../../domain/events';
import { credit, getCredits } from '../../domain/ledger';
import { notFound } from '../../domain/errors';
import type { AppEnv } from '../../env';
import { jsonCap, limitBody } from '../../http/body';
import { readJson, readQuery } from '../../http/validate';
import { listOutbox } from '../../mail/outbox';
import { newId } from '../../db/ids';
import { roleNames } from '../../../shared/statuses';
import { seedDevelopment } from '../../domain/seed';
import { eventsFor } from '../../services';
import { purchaseOfSession } from '../../domain/purchases';
import { completedEvent, isLocalSession } from '../../payments/local';
import { LocalCheckoutPage, MessagePage } from '../../payments/pages';
import { signedHeader } from '../../payments/stripe';
import { createApp } from '../../app';

const OutboxQuery = z.object({ to: z.string().trim().toLowerCase().optional() });
const SeedBody = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) });
const RoleBody = SeedBody.extend({ role: z.enum(roleNames) });

export const devRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.env.ENVIRONMENT !== 'development') throw notFound(`${c.req.method} ${new URL(c.req.url).pathname}`);
    await next();
  })
  .use(limitBody(jsonCap))
  .post('/seed', async (c) => {
    const { email } = await readJson(c, SeedBody);
    return c.json(await seedDevelopment(c.env.DB, email, new Date()));
  })
  .post('/roles', async (c) => {
    const { email, role } = await readJson(c, RoleBody);
    return c.json({ roles: await setRole(c.env.DB, email, role, new Date()) });
  })
  .get('/outbox', async (c) => c.json({ items: await listOutbox(c.env.DB, readQuery(c, OutboxQuery).to) }))
  .get('/checkout/:id', async (c) => {
    const purchase = await localPurchase(c.env.DB, c.req.param('id'));
    if (!purchase) return c.html(unknownSession(), 404);
    if (purchase.status !== 'pending') return c.html(settledPage(purchase.status));
    return c.html(LocalCheckoutPage({ sessionId: purchase.checkout_session_id!, credits: purchase.credits, amount: purchase.amount, currency: purchase.currency }));
  })
  .post('/checkout/:id/pay', async (c) => {
    const purchase = await localPurchase(c.env.DB, c.req.param('id'));
    if (!purchase) return c.html(unknownSession(), 404);
    if (purchase.status !== 'pending') return c.html(settledPage(purchase.status));
    const secret = c.env.STRIPE_WEBHOOK_SECRET;
    if (!secret) {
      return c.html(MessagePage({ title: 'Not set up', message: 'The development checkout needs STRIPE_WEBHOOK_SECRET.', detail: 'npm start writes one to .dev.vars; restart it, then pay again.' }), 503);
    }
    const payload = JSON.stringify(completedEvent(purchase, new Date()));
    // Through the Worker's own webhook route, exactly as Stripe's delivery would arrive.
    const delivery = new Request(new URL('/v1/webhooks/stripe', c.req.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await signedHeader(payload, secret) },
      body: payload,
    });
    const answer = await createApp().fetch(delivery, c.env, c.executionCtx);
    if (!answer.ok) {
      const problem = (await answer.json().catch(() => ({}))) as { detail?: string };
      return c.html(MessagePage({ title: 'Payment not delivered', message: 'The webhook refused this payment.', detail: problem.detail ?? `It answered ${answer.status}.` }), 502);
    }
    return c.html(MessagePage({ title: 'Payment received', message: 'Payment received — your credits are in the Exactly panel.', detail: 'You can close this tab.' }));
  })
  .post('/credits/grant', async (c) => {
    const { email, amount } = await readJson(c, DevGrantBody);
    const now = new Date();
    const user = await findOrCreateUser(c.env.DB, email, now);
    // A retried grant with the same Idempotency-Key applies once.
    const key = c.req.header('idempotency-key') ?? newId('devgrant');
    await credit(c.env.DB, { userId: user.id, amount, kind: 'grant', ref: 'dev', idempotencyKey: `dev-grant:${key}`, now });
    c.executionCtx.waitUntil(publishCredits(c.env.DB, eventsFor(c.env), user.id));
    const { balance } = await getCredits(c.env.DB, user.id);
    return c.json({ balance });
  });

/** A purchase paid through the development checkout, by its session id. */
async function localPurchase(db: D1Database, sessionId: string) {
  return isLocalSession(sessionId) ? purchaseOfSession(db, sessionId) : undefined;
}

const unknownSession = () => MessagePage({ title: 'Checkout not found', message: 'There is no checkout here with this address.', detail: 'Start buying credits again from the Exactly panel.' });

function settledPage(status: string) {
  if (status === 'paid') return MessagePage({ title: 'Already paid', message: 'This checkout is already paid — your credits are in the Exactly panel.', detail: 'Nothing more was charged. You can close this tab.' });
  return MessagePage({ title: 'Checkout closed', message: `This checkout is closed (${status}).`, detail: 'Nothing more was charged. Start buying credits again from the Exactly panel.' });
}
