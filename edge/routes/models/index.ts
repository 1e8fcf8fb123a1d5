// /v1/models: the catalog of generators and the community library (public reads; a signed-in
// caller also sees their own private Styles).
import { model, models } from '../../../shared/api/routes/models';
import { builtInModels, findModel, publicModel, searchModels } from '../../../shared/catalog';
import { notFound } from '../../domain/errors';
import { libraryStyle, searchLibrary } from '../../domain/styles/library';
import { router, serve } from '../../http/openapi';

export const modelRoutes = router();

serve(modelRoutes, models, async (c) => {
  const query = c.req.valid('query');
  const styles = await searchLibrary(c.env.DB, c.get('user')?.id ?? null, query);
  // The built-in generators come first, on the first page only: the cursor pages through Styles.
  const builtIns = query.cursor ? [] : searchModels(query, builtInModels).map(publicModel);
  return c.json({ items: [...builtIns, ...styles.items], next_cursor: styles.next_cursor }, 200);
});

serve(modelRoutes, model, async (c) => {
  const { id } = c.req.valid('param');
  const builtIn = findModel(id);
  const found = builtIn ? publicModel(builtIn) : await libraryStyle(c.env.DB, c.get('user')?.id ?? null, id);
  if (!found) throw notFound('That model');
  return c.json(found, 200);
});
