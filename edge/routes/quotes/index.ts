// /v1/quotes: what a generation would cost, against what the caller has available.
import { Hono } from 'hono';
import { type Quote, QuoteBody } from '../../../shared/api/generation';
import { priceGeneration } from '../../../shared/pricing';
import { DomainError } from '../../domain/errors';
import { getCredits } from '../../domain/ledger';
import { modelFor } from '../../domain/models';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';
import { readJson } from '../../http/validate';

export const quoteRoutes = new Hono<AppEnv>().post('/', requireUser, async (c) => {
  const body = await readJson(c, QuoteBody);
  const model = await modelFor(c.env.DB, c.get('user').id, body.model_id);
  if (!model) {
    throw new DomainError('validation_failed', 'That model is not in the catalog.', {
      errors: [{ path: 'model_id', message: 'Unknown model' }],
    });
  }
  const priced = priceGeneration(model, body);
  if (!priced.ok) {
    const detail = priced.errors.map((e) => e.message).join('. ') + '.';
    throw new DomainError(priced.code, detail, { errors: priced.errors });
  }
  const { available } = await getCredits(c.env.DB, c.get('user').id);
  return c.json({ ...priced.price, available, affordable: priced.price.total <= available } satisfies Quote);
});
