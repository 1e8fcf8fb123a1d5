// /v1/style-components: composition, lighting, palette and grading of up to 10 references,
// and their even blend (the Agentic model takes per-reference, per-component weights).
import { styleComponents } from '../../../shared/api/routes/style';
import { styleComponentsOf } from '../../domain/style/describe';
import { router, serve } from '../../http/openapi';
import { rendererFor } from '../../services';

export const styleComponentRoutes = router();

serve(styleComponentRoutes, styleComponents, async (c) => {
  const deps = { db: c.env.DB, bucket: c.env.IMAGES, renderer: rendererFor(c.env) };
  return c.json(await styleComponentsOf(deps, c.get('user').id, c.req.valid('json').image_ids), 200);
}, { limits: ['work'] });
