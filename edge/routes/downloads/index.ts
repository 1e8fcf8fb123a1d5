// Downloads: GET /v1/images/:id/download redirects to a signed link valid 5 minutes, served
// by GET /v1/files/:token for the same signed-in user (a same-origin redirect keeps the token);
// and the licensed extras, started on request.
import type { Context } from 'hono';
import { download, file, removeBackground, upscale, variants, vectorize } from '../../../shared/api/routes/licenses';
import { openFile, startDownload } from '../../domain/files';
import { requestVariant, toVariantDto, type VariantKind, variantsOf } from '../../domain/variants';
import type { AppEnv } from '../../env';
import { router, serve } from '../../http/openapi';
import { publicOrigin } from '../../http/public-origin';

export const downloadRoutes = router();

serve(downloadRoutes, download, async (c) => {
  const answer = await startDownload(c.env, c.get('user').id, c.req.valid('param').id, c.req.valid('query'), new Date(), publicOrigin(c));
  if ('link' in answer) return c.redirect(answer.link, 302);
  const { job, poll_url } = answer;
  return answer.failed ? c.json({ job, poll_url }, 422) : c.json({ job, poll_url }, 202);
});

async function startVariant(c: Context<AppEnv>, id: string, kind: VariantKind) {
  return toVariantDto(await requestVariant(c.env.DB, c.env.JOBS, c.get('user').id, id, kind, new Date(), publicOrigin(c)));
}

serve(downloadRoutes, upscale, async (c) => c.json(await startVariant(c, c.req.valid('param').id, c.req.valid('json').size === '4k' ? 'upscale_4k' : 'upscale_8k'), 202), { limits: ['work'] });
serve(downloadRoutes, removeBackground, async (c) => c.json(await startVariant(c, c.req.valid('param').id, 'no_background'), 202), { limits: ['work'] });
serve(downloadRoutes, vectorize, async (c) => c.json(await startVariant(c, c.req.valid('param').id, 'svg'), 202), { limits: ['work'] });
serve(downloadRoutes, variants, async (c) => c.json({ items: await variantsOf(c.env.DB, c.get('user').id, c.req.valid('param').id) }, 200));

serve(downloadRoutes, file, async (c) => {
  const { body, headers } = await openFile(c.env, c.req.valid('param').token, c.get('user').id, new Date());
  return c.body(body as ReadableStream, 200, headers);
});
