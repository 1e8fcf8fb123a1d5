// /v1/image-to-prompt: a prompt that would make an image like this one.
import { imageToPrompt } from '../../../shared/api/routes/style';
import { imageToPrompt as describe } from '../../domain/style/describe';
import { router, serve } from '../../http/openapi';
import { providersFor } from '../../providers/registry';
import { rendererFor } from '../../services';

export const imageToPromptRoutes = router();

serve(imageToPromptRoutes, imageToPrompt, async (c) => {
  const deps = { db: c.env.DB, bucket: c.env.IMAGES, renderer: rendererFor(c.env), captioner: providersFor(c.env).captioner };
  return c.json(await describe(deps, c.get('user').id, c.req.valid('json').image_id), 200);
}, { limits: ['work'] });
