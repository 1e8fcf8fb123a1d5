// The balance and its ledger.
import { Credits } from '../auth';
import { LedgerPage, ListQuery } from '../credits';
import { defineRoute, json, problems, signedIn } from './define';

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

export const creditRoutes = { credits, ledger } as const;
