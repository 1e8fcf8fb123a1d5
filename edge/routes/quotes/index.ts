// /v1/quotes: what a generation would cost, against what the caller has available.
import { quote } from '../../../shared/api/routes/models';
import { priceGeneration } from '../../../shared/pricing';
import { DomainError } from '../../domain/errors';
import { getCredits } from '../../domain/ledger';
import { modelFor } from '../../domain/models';
import { router, serve } from '../../http/openapi';

export const quoteRoutes = router();

serve(quoteRoutes, quote, async (c) => {
  const body = c.req.valid('json');
  const userId = c.get('user').id;
  const model = await modelFor(c.env.DB, userId, body.model_id);
  if (!model) throw new DomainError('validation_failed', 'That model is not in the catalog.', { errors: [{ path: 'model_id', message: 'Unknown model' }] });
  const priced = priceGeneration(model, body);
  if (!priced.ok) throw new DomainError(priced.code, priced.errors.map((e) => e.message).join('. ') + '.', { errors: priced.errors });
  const { available } = await getCredits(c.env.DB, userId);
  return c.json({ ...priced.price, available, affordable: priced.price.total <= available }, 200);
});
