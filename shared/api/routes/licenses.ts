// Licenses, their public certificate, downloads and the licensed extras (variants).
import { z } from 'zod';
import { Certificate, DownloadQuery, License, LicensePage, UpscaleBody, Variant, VariantJob, VariantList } from '../licenses';
import { PROBLEM_CONTENT_TYPE, Problem } from '../problem';
import { bodyProblems, defineRoute, IdempotencyHeader, IdParam, json, jsonBody, problems, signedIn } from './define';

const binary = { type: 'string', format: 'binary' } as const;

export const buyLicense = defineRoute({
  method: 'post',
  path: '/v1/images/{id}/license',
  tags: ['licenses'],
  summary: 'License an image: the license, your debit and the creator’s share in one step',
  security: signedIn,
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: {
    201: json(License, 'Licensed'),
    200: json(License, 'Already licensed under this Idempotency-Key: that license'),
    ...problems('unauthorized', 'insufficient_credits', 'not_found', 'conflict', 'validation_failed'),
  },
});

export const licenses = defineRoute({
  method: 'get',
  path: '/v1/licenses',
  tags: ['licenses'],
  summary: 'Your licenses',
  security: signedIn,
  responses: { 200: json(LicensePage, 'Your licenses'), ...problems('unauthorized') },
});

export const license = defineRoute({
  method: 'get',
  path: '/v1/licenses/{id}',
  tags: ['licenses'],
  summary: 'One of your licenses',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(License, 'The license'), ...problems('unauthorized', 'not_found') },
});

export const certificate = defineRoute({
  method: 'get',
  path: '/v1/licenses/{id}/certificate',
  tags: ['licenses'],
  summary: 'The public certificate: JSON, or an HTML page when asked for text/html',
  request: { params: IdParam },
  responses: {
    200: { description: 'The certificate', content: { 'application/json': { schema: Certificate }, 'text/html': { schema: z.string() } } },
    ...problems('not_found'),
  },
});

export const download = defineRoute({
  method: 'get',
  path: '/v1/images/{id}/download',
  tags: ['downloads'],
  summary: 'A link to the file, valid five minutes for you only; starts a licensed extra not made yet',
  security: signedIn,
  request: { params: IdParam, query: DownloadQuery },
  responses: {
    302: { description: 'Redirect to /v1/files/{token}', headers: { location: { schema: { type: 'string' }, description: 'The signed file link' } } },
    202: json(VariantJob, 'The extra is being made: poll the variants, then download again'),
    422: {
      description: 'The extra failed (its job), or the request was wrong (problem)',
      content: { 'application/json': { schema: VariantJob }, [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
    },
    ...problems('unauthorized', 'not_licensed', 'not_found'),
  },
});

export const file = defineRoute({
  method: 'get',
  path: '/v1/files/{token}',
  tags: ['downloads'],
  summary: 'The file a download link names, for the user it was made for',
  security: signedIn,
  request: { params: z.object({ token: z.string().min(1) }) },
  responses: {
    200: {
      description: 'The file, as an attachment',
      content: Object.fromEntries(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif', 'image/svg+xml'].map((type) => [type, { schema: binary }])),
    },
    ...problems('unauthorized', 'forbidden', 'not_found'),
  },
});

const variantRoute = (name: 'upscale' | 'remove-background' | 'vectorize', summary: string) => ({
  method: 'post' as const,
  path: `/v1/images/{id}/${name}` as const,
  tags: ['downloads'],
  summary,
  security: signedIn,
  responses: { 202: json(Variant, 'The job (or the variant already made)'), ...problems(...bodyProblems, 'unauthorized', 'not_licensed', 'not_found', 'rate_limited') },
});

export const upscale = defineRoute({
  ...variantRoute('upscale', 'Upscale a licensed image to 4K or 8K'),
  request: { params: IdParam, body: jsonBody(UpscaleBody, { size: '4k' }) },
});
export const removeBackground = defineRoute({ ...variantRoute('remove-background', 'Cut a licensed image out of its background'), request: { params: IdParam } });
export const vectorize = defineRoute({ ...variantRoute('vectorize', 'Trace a licensed image into SVG'), request: { params: IdParam } });

export const variants = defineRoute({
  method: 'get',
  path: '/v1/images/{id}/variants',
  tags: ['downloads'],
  summary: 'The licensed extras of an image and their state',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(VariantList, 'The variants'), ...problems('unauthorized', 'not_found') },
});

export const licenseRoutes = { buyLicense, licenses, license, certificate, download, file, upscale, removeBackground, vectorize, variants } as const;
