// Generations and edits: start (Idempotency-Key), read, list, cancel.
import { z } from 'zod';
import { ListQuery } from '../credits';
import { EditBody } from '../edits';
import { Generation, GenerationBody, GenerationPage } from '../generation';
import { bodyProblems, defineRoute, IdempotencyHeader, IdParam, json, jsonBody, problems, signedIn } from './define';

/** Starting paid work: the refusals it can meet, including the per-user rate limit. */
const spending = ['unauthorized', 'insufficient_credits', 'conflict', 'not_found', 'feature_not_supported', 'not_licensed', 'rate_limited'] as const;

export const generate = defineRoute({
  method: 'post',
  path: '/v1/generations',
  tags: ['generations'],
  summary: 'Start a generation: its quote is held, then charged for what is delivered',
  security: signedIn,
  request: {
    headers: IdempotencyHeader,
    body: jsonBody(GenerationBody, { model_id: 'flux-schnell', prompt: 'A lighthouse at dusk, warm light', batch: 4, resolution: '1k', aspect_ratio: '1:1' }),
  },
  responses: { 202: json(Generation, 'Started (or, for a repeated Idempotency-Key, the first answer)'), ...problems(...bodyProblems, ...spending) },
});

export const GenerationListQuery = ListQuery.extend({
  cursor: z.string().max(200).regex(/^gen_[0-9a-z]+$/, { message: 'Use next_cursor from the previous page' }).optional(),
});

export const generations = defineRoute({
  method: 'get',
  path: '/v1/generations',
  tags: ['generations'],
  summary: 'Your generations, newest first, with their images',
  security: signedIn,
  request: { query: GenerationListQuery },
  responses: { 200: json(GenerationPage, 'A page of generations'), ...problems('unauthorized', 'validation_failed') },
});

export const generation = defineRoute({
  method: 'get',
  path: '/v1/generations/{id}',
  tags: ['generations'],
  summary: 'One generation',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(Generation, 'The generation'), ...problems('unauthorized', 'not_found') },
});

export const cancelGeneration = defineRoute({
  method: 'post',
  path: '/v1/generations/{id}/cancel',
  tags: ['generations'],
  summary: 'Cancel what has not been delivered; its credits are released',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(Generation, 'The generation as it now stands'), ...problems('unauthorized', 'not_found', 'conflict') },
});

export const edit = defineRoute({
  method: 'post',
  path: '/v1/images/{id}/edits',
  tags: ['edits'],
  summary: 'Instruct, replace, recreate or erase: a generation-shaped job',
  security: signedIn,
  request: { params: IdParam, headers: IdempotencyHeader, body: jsonBody(EditBody, { op: 'instruct', prompt: 'Make it winter' }) },
  responses: { 202: json(Generation, 'Started'), ...problems(...bodyProblems, ...spending) },
});

export const generationRoutes = { generate, generations, generation, cancelGeneration, edit } as const;
