// Downloads: GET /v1/images/:id/download redirects to a signed link valid 5 minutes, served
// by GET /v1/files/:token for the same signed-in user (a same-origin redirect keeps the token).
import { Hono } from 'hono';
import { z } from 'zod';
import { readConfig } from '../../config';
import { type DownloadFormat, downloadFormats, grantDownload, redeemDownload } from '../../domain/downloads';
import { readyVariant, requestVariant, toVariantDto, type VariantKind, variantKinds, variantsOf } from '../../domain/variants';
import { DomainError } from '../../domain/errors';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';
import { readJson, readQuery } from '../../http/validate';
import { rendererFor } from '../../services';

const DownloadQuery = z.object({
  format: z.enum([...downloadFormats, 'svg']).default('original'),
  size: z.enum(['original', '4k', '8k']).default('original'),
  variant: z.enum(['no_background']).optional(),
});

/** Which licensed extra a download asks for, if any. */
function extraOf(q: z.infer<typeof DownloadQuery>): VariantKind | null {
  if (q.format === 'svg') return 'svg';
  if (q.variant === 'no_background') return 'no_background';
  if (q.size === '4k') return 'upscale_4k';
  if (q.size === '8k') return 'upscale_8k';
  return null;
}

const UpscaleBody = z.object({ size: z.enum(['4k', '8k']) });

export const imageDownloadRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get('/:id/download', async (c) => {
    const query = readQuery(c, DownloadQuery);
    const extra = extraOf(query);
    const userId = c.get('user').id;
    let format: DownloadFormat = query.format === 'svg' ? 'original' : query.format;
    if (extra) {
      const variant = await requestVariant(c.env.DB, c.env.JOBS, userId, c.req.param('id'), extra, new Date());
      // Not made yet: the job runs; poll the image's variants, then download again.
      if (variant.status !== 'ready') return c.json({ job: toVariantDto(variant), poll_url: `/v1/images/${variant.image_id}/variants` }, variant.status === 'failed' ? 422 : 202);
      format = extra;
    }
    const token = await grantDownload(c.env.DB, readConfig(c.env).authSecret, { userId, imageId: c.req.param('id'), format, now: new Date() });
    return c.redirect(`/v1/files/${token}`, 302);
  })
  .post('/:id/upscale', async (c) => {
    const { size } = await readJson(c, UpscaleBody);
    return c.json(toVariantDto(await requestVariant(c.env.DB, c.env.JOBS, c.get('user').id, c.req.param('id'), size === '4k' ? 'upscale_4k' : 'upscale_8k', new Date())), 202);
  })
  .post('/:id/remove-background', async (c) => c.json(toVariantDto(await requestVariant(c.env.DB, c.env.JOBS, c.get('user').id, c.req.param('id'), 'no_background', new Date())), 202))
  .post('/:id/vectorize', async (c) => c.json(toVariantDto(await requestVariant(c.env.DB, c.env.JOBS, c.get('user').id, c.req.param('id'), 'svg', new Date())), 202))
  .get('/:id/variants', async (c) => c.json({ items: await variantsOf(c.env.DB, c.get('user').id, c.req.param('id')) }));

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif', 'image/avif': 'avif', 'image/svg+xml': 'svg' };

export const fileRoutes = new Hono<AppEnv>().get('/:token', requireUser, async (c) => {
  const { image, format } = await redeemDownload(c.env.DB, readConfig(c.env).authSecret, c.req.param('token'), c.get('user').id, new Date());
  if ((variantKinds as readonly string[]).includes(format)) {
    const variant = await readyVariant(c.env.DB, image.id, format as VariantKind);
    const file = variant.r2_key ? await c.env.IMAGES.get(variant.r2_key) : null;
    if (!file) throw new DomainError('not_found', 'That version of the image was not found.');
    return c.body(file.body, 200, {
      'content-type': variant.content_type!,
      'content-disposition': `attachment; filename="exactly-${image.id}-${format}.${extensions[variant.content_type!] ?? 'bin'}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      // An SVG opened directly runs nothing: no scripts, no external loads.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
  }
  const object = await c.env.IMAGES.get(image.r2_key);
  if (!object) throw new DomainError('not_found', 'The image file was not found.');
  const made = format === 'original' ? { body: object.body, contentType: image.content_type } : await (async () => {
    const converted = await rendererFor(c.env).convert(new Uint8Array(await object.arrayBuffer()), format as 'png' | 'jpg' | 'webp');
    return { body: converted.bytes, contentType: converted.contentType };
  })();
  return c.body(made.body as ReadableStream, 200, {
    'content-type': made.contentType,
    'content-disposition': `attachment; filename="exactly-${image.id}.${extensions[made.contentType] ?? 'bin'}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
});
