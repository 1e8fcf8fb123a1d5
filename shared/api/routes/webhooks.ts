// Provider reports: verified, deduplicated, queued.
import { z } from 'zod';
import { defineRoute, json, problems } from './define';

export const WebhookReceipt = z.object({ received: z.literal(true), duplicate: z.literal(true).optional() });

const webhook = (provider: 'fal' | 'replicate', how: string) =>
  defineRoute({
    method: 'post',
    path: `/v1/webhooks/${provider}`,
    tags: ['webhooks'],
    summary: `A ${provider} result, verified by ${how}`,
    // The raw body is what the signature covers: read as bytes, never re-serialised.
    request: { body: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } },
    responses: { 200: json(WebhookReceipt, 'Accepted (or already seen)', { received: true }), ...problems('unauthorized', 'not_found', 'payload_too_large') },
  });

export const falWebhook = webhook('fal', 'its ED25519 signature (JWKS)');
export const replicateWebhook = webhook('replicate', 'its Standard Webhooks HMAC');

export const stripeWebhook = defineRoute({
  method: 'post',
  path: '/v1/webhooks/stripe',
  tags: ['webhooks'],
  summary: 'A Stripe event (Checkout, refunds, disputes), verified by its Stripe-Signature (300 s tolerance)',
  request: { body: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } },
  responses: { 200: json(WebhookReceipt, 'Accepted (or already seen, or of no concern)', { received: true }), ...problems('bad_request', 'unauthorized', 'payload_too_large', 'service_unavailable') },
});

export const webhookRoutes = { falWebhook, replicateWebhook, stripeWebhook } as const;
