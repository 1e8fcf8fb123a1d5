// The catalog as the API lists it.
import { z } from 'zod';
import { modelKinds, PublicModel } from '../catalog/types';

export const ModelQuery = z.object({
  kind: z.enum(modelKinds).optional(),
  q: z.string().trim().max(100).optional(),
});

export const ModelList = z.object({ items: z.array(PublicModel), next_cursor: z.string().nullable() });
export type ModelList = z.infer<typeof ModelList>;
