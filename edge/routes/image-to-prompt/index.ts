// /v1/image-to-prompt: a prompt that would make an image like this one.
import { Hono } from 'hono';
import { ImageToPromptBody } from '../../../shared/api/edits';
import { imageToPrompt } from '../../domain/style/describe';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';
import { readJson } from '../../http/validate';
import { providersFor } from '../../providers/registry';
import { rendererFor } from '../../services';

export const imageToPromptRoutes = new Hono<AppEnv>().post('/', requireUser, async (c) => {
  const { image_id } = await readJson(c, ImageToPromptBody);
  const deps = { db: c.env.DB, bucket: c.env.IMAGES, renderer: rendererFor(c.env), captioner: providersFor(c.env).captioner };
  return c.json(await imageToPrompt(deps, c.get('user').id, image_id));
});
