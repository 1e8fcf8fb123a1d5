// The health check.
import { z } from 'zod';
import { defineRoute, json, problems } from './define';

export const health = defineRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'The Worker answers',
  responses: { 200: json(z.object({ ok: z.literal(true) }), 'Up', { ok: true }), ...problems() },
});
