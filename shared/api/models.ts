// The catalog as the API lists it.
import { z } from 'zod';
import { modelKinds, PublicModel } from '../catalog/types';
import { ListQuery, Page } from './credits';

/** `limit` and `cursor` page through the Styles (the built-in models all come on the first page). */
export const ModelQuery = ListQuery.extend({
  kind: z.enum(modelKinds).optional(),
  q: z.string().trim().max(100).optional(),
  /** The library's order: most distinct users first, or newest first; unset: the catalog's own order. */
  sort: z.enum(['popular', 'new']).optional(),
});

export const ModelList = Page(PublicModel);
export type ModelList = z.infer<typeof ModelList>;
