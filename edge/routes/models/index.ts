// /v1/models: the catalog of generators (public reads; a signed-in caller also sees their
// own private Styles).
import { Hono } from 'hono';
import { ModelQuery } from '../../../shared/api/models';
import { publicModel, searchModels } from '../../../shared/catalog';
import { notFound } from '../../domain/errors';
import { modelFor, visibleModels } from '../../domain/models';
import type { AppEnv } from '../../env';
import { optionalUser } from '../../http/optional-user';
import { readQuery } from '../../http/validate';

export const modelRoutes = new Hono<AppEnv>()
  .use(optionalUser)
  .get('/', async (c) => {
    const query = readQuery(c, ModelQuery);
    const models = await visibleModels(c.env.DB, c.get('user')?.id ?? null);
    return c.json({ items: searchModels(query, models).map(publicModel), next_cursor: null });
  })
  .get('/:id', async (c) => {
    const model = await modelFor(c.env.DB, c.get('user')?.id ?? null, c.req.param('id'));
    if (!model) throw notFound('That model');
    return c.json(publicModel(model));
  });
