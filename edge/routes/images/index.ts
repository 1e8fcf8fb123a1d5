// /v1/images: uploads (raw bytes), metadata, thumbnails and previews, deletion.
import type { Context } from 'hono';
import { deleteImage, image, preview, thumb, uploadImage } from '../../../shared/api/routes/images';
import { MAX_UPLOAD_BYTES } from '../../../shared/imaging/limits';
import { deleteUpload, getOwnImage, rendition, storeUpload, toImageDto } from '../../domain/images';
import { imagePolicyOf } from '../../domain/licenses';
import { watermarkSecret } from '../../domain/watermark';
import type { AppEnv } from '../../env';
import { attribution } from '../../http/attribution';
import { readBytes } from '../../http/body';
import { router, serve } from '../../http/openapi';
import { rendererFor } from '../../services';

export const imageRoutes = router();

const uploadCap = { bytes: MAX_UPLOAD_BYTES, tooLarge: `Images can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` };

serve(imageRoutes, uploadImage, async (c) => {
  const declaredType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const bytes = await readBytes(c, uploadCap);
  const from = c.req.valid('header');
  const { image: stored, created } = await storeUpload(c.env.DB, c.env.IMAGES, rendererFor(c.env), {
    ownerId: c.get('user').id,
    bytes,
    declaredType,
    sourceUrl: attribution(from['x-source-url']),
    pageUrl: attribution(from['x-page-url']),
    pageTitle: attribution(from['x-page-title'], 500),
    now: new Date(),
  });
  return c.json(toImageDto(stored), created ? 201 : 200);
}, { limits: ['uploads'], cap: uploadCap });

serve(imageRoutes, image, async (c) => {
  const found = await getOwnImage(c.env.DB, c.get('user').id, c.req.valid('param').id);
  return c.json(toImageDto(found, await imagePolicyOf(c.env.DB, found)), 200);
});

async function serveRendition(c: Context<AppEnv>, id: string, kind: 'thumb' | 'preview') {
  const found = await getOwnImage(c.env.DB, c.get('user').id, id);
  const policy = await imagePolicyOf(c.env.DB, found);
  const made = await rendition(c.env.IMAGES, rendererFor(c.env), found, kind, policy.watermarked ? watermarkSecret(c.env) : null);
  return c.body(made.body as ReadableStream, 200, { 'content-type': made.contentType, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' });
}

serve(imageRoutes, thumb, (c) => serveRendition(c, c.req.valid('param').id, 'thumb'));
serve(imageRoutes, preview, (c) => serveRendition(c, c.req.valid('param').id, 'preview'));

serve(imageRoutes, deleteImage, async (c) => {
  await deleteUpload(c.env.DB, c.env.IMAGES, c.get('user').id, c.req.valid('param').id);
  return c.body(null, 204);
});
