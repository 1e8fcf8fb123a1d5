// The link a provider fetches one input of a call from (a reference, the image to edit, its
// mask, an upscale's original): no sign-in, the signed token is the whole permission.
import { z } from 'zod';
import { defineRoute, problems } from './define';

const binary = { type: 'string', format: 'binary' } as const;

export const providerInput = defineRoute({
  method: 'get',
  path: '/v1/provider-inputs/{token}',
  tags: ['providers'],
  summary: 'One input image of a provider call, by the short-lived link the call carried (15 minutes)',
  request: { params: z.object({ token: z.string().min(1).max(2048).meta({ description: 'The signed token of the link' }) }) },
  responses: {
    200: {
      description: 'The input’s bytes, never cached',
      content: Object.fromEntries(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif', 'application/octet-stream'].map((type) => [type, { schema: binary }])),
    },
    ...problems('not_found', 'link_expired'),
  },
});

export const providerInputRoutes = { providerInput } as const;
