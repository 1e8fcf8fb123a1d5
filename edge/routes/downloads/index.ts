// Downloads: GET /v1/images/:id/download redirects to a signed link valid 5 minutes, served
// by GET /v1/files/:token for the same signed-in user (a same-origin redirect keeps the token).
import { Hono } from 'hono';
import { z } from 'zod';
import { readConfig } from '../../config';
import { downloadFormats, grantDownload, redeemDownload } from '../../domain/downloads';
import { DomainError } from '../../domain/errors';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';
import { readQuery } from '../../http/validate';
import { rendererFor } from '../../services';

const DownloadQuery = z.object({
  format: z.enum(downloadFormats).default('original'),
  size: z.literal('original', { message: 'Upscaled sizes come with licensed extras (not available yet)' }).default('original'),
});

export const imageDownloadRoutes = new Hono<AppEnv>().get('/:id/download', requireUser, async (c) => {
  const { format } = readQuery(c, DownloadQuery);
  const token = await grantDownload(c.env.DB, readConfig(c.env).authSecret, { userId: c.get('user').id, imageId: c.req.param('id'), format, now: new Date() });
  return c.redirect(`/v1/files/${token}`, 302);
});

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif', 'image/avif': 'avif' };

export const fileRoutes = new Hono<AppEnv>().get('/:token', requireUser, async (c) => {
  const { image, format } = await redeemDownload(c.env.DB, readConfig(c.env).authSecret, c.req.param('token'), c.get('user').id, new Date());
  const object = await c.env.IMAGES.get(image.r2_key);
  if (!object) throw new DomainError('not_found', 'The image file was not found.');
  const made = format === 'original' ? { body: object.body, contentType: image.content_type } : await (async () => {
    const converted = await rendererFor(c.env).convert(new Uint8Array(await object.arrayBuffer()), format);
    return { body: converted.bytes, contentType: converted.contentType };
  })();
  return c.body(made.body as ReadableStream, 200, {
    'content-type': made.contentType,
    'content-disposition': `attachment; filename="exactly-${image.id}.${extensions[made.contentType] ?? 'bin'}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
});
