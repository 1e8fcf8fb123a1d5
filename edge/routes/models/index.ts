// /v1/models: the catalog of generators (public reads).
import { Hono } from 'hono';
import { ModelQuery } from '../../../shared/api/models';
import { findModel, publicModel, searchModels } from '../../../shared/catalog';
import { notFound } from '../../domain/errors';
import type { AppEnv } from '../../env';
import { readQuery } from '../../http/validate';

export const modelRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    const query = readQuery(c, ModelQuery);
    return c.json({ items: searchModels(query).map(publicModel), next_cursor: null });
  })
  .get('/:id', (c) => {
    const model = findModel(c.req.param('id'));
    if (!model) throw notFound('That model');
    return c.json(publicModel(model));
  });
