// /v1/models: the catalog of generators (public reads; a signed-in caller also sees their
// own private Styles).
import { model, models } from '../../../shared/api/routes/models';
import { publicModel, searchModels } from '../../../shared/catalog';
import { notFound } from '../../domain/errors';
import { modelFor, visibleModels } from '../../domain/models';
import { router, serve } from '../../http/openapi';

export const modelRoutes = router();

serve(modelRoutes, models, async (c) => {
  const found = await visibleModels(c.env.DB, c.get('user')?.id ?? null);
  return c.json({ items: searchModels(c.req.valid('query'), found).map(publicModel), next_cursor: null }, 200);
});

serve(modelRoutes, model, async (c) => {
  const found = await modelFor(c.env.DB, c.get('user')?.id ?? null, c.req.valid('param').id);
  if (!found) throw notFound('That model');
  return c.json(publicModel(found), 200);
});
