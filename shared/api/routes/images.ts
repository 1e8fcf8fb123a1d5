// Uploads (raw bytes with where they came from), metadata, thumbnails and previews, deletion.
import { z } from 'zod';
import { UploadedImage } from '../generation';
import { defineRoute, IdParam, json, noContent, problems, signedIn } from './define';

const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'] as const;
const binary = { type: 'string', format: 'binary' } as const;

/**
 * Attribution from the page, UTF-8 percent-encoded (encodeURIComponent) so any text fits in a
 * header; the API stores and answers the decoded text.
 */
export const AttributionHeaders = z.object({
  'x-source-url': z.string().optional().meta({ description: 'The image URL, percent-encoded', example: 'https%3A%2F%2Fexample.com%2Fa.png' }),
  'x-page-url': z.string().optional().meta({ description: 'The page URL, percent-encoded', example: 'https%3A%2F%2Fexample.com%2F' }),
  'x-page-title': z.string().optional().meta({ description: 'The page title, percent-encoded', example: 'Caf%C3%A9%20%F0%9F%8C%8A' }),
});

export const uploadImage = defineRoute({
  method: 'post',
  path: '/v1/images',
  tags: ['images'],
  summary: 'Upload image bytes (PNG, JPEG, WebP, GIF or AVIF, at most 25 MB)',
  security: signedIn,
  request: {
    headers: AttributionHeaders,
    // Raw bytes, judged by their header: not a zod schema, so the body is read by the route.
    body: { required: true, content: Object.fromEntries(imageTypes.map((type) => [type, { schema: binary }])) },
  },
  responses: {
    201: json(UploadedImage, 'Stored'),
    200: json(UploadedImage, 'The same bytes were stored before: that image'),
    ...problems('unauthorized', 'payload_too_large', 'unsupported_media_type', 'validation_failed', 'rate_limited'),
  },
});

export const image = defineRoute({
  method: 'get',
  path: '/v1/images/{id}',
  tags: ['images'],
  summary: 'One of your images, with what may be done with it',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(UploadedImage, 'The image'), ...problems('unauthorized', 'not_found') },
});

const rendition = (name: 'thumb' | 'preview', summary: string) =>
  defineRoute({
    method: 'get',
    path: `/v1/images/{id}/${name}`,
    tags: ['images'],
    summary,
    security: signedIn,
    request: { params: IdParam },
    responses: {
      200: { description: 'The image (watermarked where its policy says so)', content: { 'image/png': { schema: binary }, 'image/jpeg': { schema: binary }, 'image/webp': { schema: binary } } },
      ...problems('unauthorized', 'not_found', 'unsupported_media_type', 'validation_failed'),
    },
  });

export const thumb = rendition('thumb', 'A 256 px thumbnail');
export const preview = rendition('preview', 'A 1024 px preview');

export const deleteImage = defineRoute({
  method: 'delete',
  path: '/v1/images/{id}',
  tags: ['images'],
  summary: 'Delete an upload',
  security: signedIn,
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...problems('unauthorized', 'forbidden', 'not_found') },
});

export const imageRoutes = { uploadImage, image, thumb, preview, deleteImage } as const;
