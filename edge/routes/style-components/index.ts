// /v1/style-components: composition, lighting, palette and grading of up to 10 references,
// and their even blend (the Agentic model takes per-reference, per-component weights).
import { Hono } from 'hono';
import { StyleComponentsBody } from '../../../shared/api/edits';
import { styleComponentsOf } from '../../domain/style/describe';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';
import { readJson } from '../../http/validate';
import { rendererFor } from '../../services';

export const styleComponentRoutes = new Hono<AppEnv>().post('/', requireUser, async (c) => {
  const { image_ids } = await readJson(c, StyleComponentsBody);
  return c.json(await styleComponentsOf({ db: c.env.DB, bucket: c.env.IMAGES, renderer: rendererFor(c.env) }, c.get('user').id, image_ids));
});
