// The balance and its ledger.
import { Credits } from '../auth';
import { CheckoutBody, CheckoutSession, LedgerPage, ListQuery, PackList, PurchasePage } from '../credits';
import { bodyProblems, defineRoute, IdempotencyHeader, json, jsonBody, problems, signedIn } from './define';

export const credits = defineRoute({
  method: 'get',
  path: '/v1/credits',
  tags: ['credits'],
  summary: 'Balance, held and available credits',
  security: signedIn,
  responses: { 200: json(Credits, 'The credits', { balance: 1000, held: 40, available: 960 }), ...problems('unauthorized', 'not_found') },
});

export const ledger = defineRoute({
  method: 'get',
  path: '/v1/credits/ledger',
  tags: ['credits'],
  summary: 'Every change to the balance, newest first',
  security: signedIn,
  request: { query: ListQuery },
  responses: {
    200: json(LedgerPage, 'A page of ledger entries', {
      items: [{ id: 'led_01', kind: 'grant', amount: 1000, held_change: 0, balance_after: 1000, held_after: 0, ref: 'dev', created_at: '2026-11-22T10:00:00.000Z' }],
      next_cursor: null,
    }),
    ...problems('unauthorized', 'validation_failed'),
  },
});

export const packs = defineRoute({
  method: 'get',
  path: '/v1/credits/packs',
  tags: ['credits'],
  summary: 'The credit packs on sale',
  responses: { 200: json(PackList, 'The packs', { items: [{ id: 'pack_500', credits: 500, price: { amount: 2000, currency: 'usd' } }] }), ...problems() },
});

export const checkout = defineRoute({
  method: 'post',
  path: '/v1/credits/checkout',
  tags: ['credits'],
  summary: 'Start buying a pack: a Stripe Checkout Session to open (the development checkout locally)',
  security: signedIn,
  request: { headers: IdempotencyHeader, body: jsonBody(CheckoutBody, { pack_id: 'pack_500' }) },
  responses: {
    201: json(CheckoutSession, 'The session to open (for a repeated Idempotency-Key, the same one)'),
    ...problems(...bodyProblems, 'unauthorized', 'conflict', 'rate_limited', 'service_unavailable'),
  },
});

export const purchases = defineRoute({
  method: 'get',
  path: '/v1/credits/purchases',
  tags: ['credits'],
  summary: 'Your purchases of credit packs, newest first',
  security: signedIn,
  request: { query: ListQuery },
  responses: { 200: json(PurchasePage, 'A page of purchases'), ...problems('unauthorized', 'validation_failed') },
});

export const creditRoutes = { credits, ledger, packs, checkout, purchases } as const;
