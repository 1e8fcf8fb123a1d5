// Operating the deployment (role admin).
import { ProviderChecks } from '../admin';
import { defineRoute, json, problems, signedIn } from './define';

export const providerSelfCheck = defineRoute({
  method: 'get',
  path: '/v1/admin/providers',
  tags: ['admin'],
  summary: 'Check each configured provider’s key and webhook settings with a harmless call (admin)',
  security: signedIn,
  responses: {
    200: json(ProviderChecks, 'What each provider answered, in words', {
      ok: false,
      checked_at: '2026-11-22T10:00:00.000Z',
      items: [
        { subject: 'fal', status: 'ok', checks: [{ name: 'key', ok: true, detail: 'fal accepted FAL_KEY.' }] },
        { subject: 'replicate', status: 'problem', checks: [{ name: 'webhook secret', ok: false, detail: 'REPLICATE_WEBHOOK_SECRET is not set: every Replicate webhook will be refused.' }] },
      ],
    }),
    ...problems('unauthorized', 'forbidden'),
  },
});

export const adminRoutes = { providerSelfCheck };
