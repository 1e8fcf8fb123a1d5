// /v1/images: uploads (raw bytes), metadata, thumbnails and previews, deletion.
import { Hono } from 'hono';
import { MAX_UPLOAD_BYTES } from '../../../shared/imaging/limits';
import { deleteUpload, getOwnImage, rendition, storeUpload, toImageDto } from '../../domain/images';
import { imagePolicyOf } from '../../domain/licenses';
import type { AppEnv } from '../../env';
import { readBytes } from '../../http/body';
import { requireUser } from '../../http/require-user';
import { rendererFor } from '../../services';

/** Attribution headers are free text from the page; keep them bounded and single-line. */
function attribution(value: string | undefined, max = 2048): string | null {
  if (!value) return null;
  const clean = value.replace(/[\r\n]+/g, ' ').trim();
  return clean ? clean.slice(0, max) : null;
}

export const imageRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post('/', async (c) => {
    const declaredType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const bytes = await readBytes(c, MAX_UPLOAD_BYTES, `Images can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
    const { image, created } = await storeUpload(c.env.DB, c.env.IMAGES, {
      ownerId: c.get('user').id,
      bytes,
      declaredType,
      sourceUrl: attribution(c.req.header('x-source-url')),
      pageUrl: attribution(c.req.header('x-page-url')),
      pageTitle: attribution(c.req.header('x-page-title'), 500),
      now: new Date(),
    });
    return c.json(toImageDto(image), created ? 201 : 200);
  })
  .get('/:id', async (c) => {
    const image = await getOwnImage(c.env.DB, c.get('user').id, c.req.param('id'));
    return c.json(toImageDto(image, await imagePolicyOf(c.env.DB, image)));
  })
  .get('/:id/:rendition{thumb|preview}', async (c) => {
    const image = await getOwnImage(c.env.DB, c.get('user').id, c.req.param('id'));
    const policy = await imagePolicyOf(c.env.DB, image);
    const made = await rendition(c.env.IMAGES, rendererFor(c.env), image, c.req.param('rendition') as 'thumb' | 'preview', policy.watermarked);
    return c.body(made.body as ReadableStream, 200, {
      'content-type': made.contentType,
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
  })
  .delete('/:id', async (c) => {
    await deleteUpload(c.env.DB, c.env.IMAGES, c.get('user').id, c.req.param('id'));
    return c.body(null, 204);
  });
