// /v1/quotes: what a generation would cost, against what the caller has available. It refuses
// what the generation itself would refuse (the model, its features, the recipe), naming the field.
import { quote } from '../../../shared/api/routes/models';
import { checkRequest } from '../../domain/generations/create';
import { getCredits } from '../../domain/ledger';
import { router, serve } from '../../http/openapi';

export const quoteRoutes = router();

serve(quoteRoutes, quote, async (c) => {
  const userId = c.get('user').id;
  const { price } = await checkRequest(c.env.DB, userId, c.req.valid('json'));
  const { available } = await getCredits(c.env.DB, userId);
  return c.json({ ...price, available, affordable: price.total <= available }, 200);
});
