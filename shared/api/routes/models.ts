// The catalog of generators and what a generation would cost.
import { PublicModel } from '../../catalog/types';
import { Quote, QuoteBody } from '../generation';
import { ModelList, ModelQuery } from '../models';
import { bodyProblems, defineRoute, IdParam, json, jsonBody, problems, signedIn } from './define';

/** Public reads: a valid access token also shows the caller's private Styles. */
const optionallySignedIn: Record<string, string[]>[] = [{}, { bearer: [] }];

export const models = defineRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['models'],
  summary: 'Search the catalog',
  security: optionallySignedIn,
  request: { query: ModelQuery },
  responses: { 200: json(ModelList, 'The models that match'), ...problems('validation_failed') },
});

export const model = defineRoute({
  method: 'get',
  path: '/v1/models/{id}',
  tags: ['models'],
  summary: 'One model',
  security: optionallySignedIn,
  request: { params: IdParam },
  responses: { 200: json(PublicModel, 'The model'), ...problems('not_found') },
});

export const quote = defineRoute({
  method: 'post',
  path: '/v1/quotes',
  tags: ['generations'],
  summary: 'What a generation would cost, against what is available',
  security: signedIn,
  request: { body: jsonBody(QuoteBody, { model_id: 'flux-schnell', batch: 4, resolution: '1k', aspect_ratio: '1:1' }) },
  responses: {
    200: json(Quote, 'The price', { model_id: 'flux-schnell', credits_per_image: 2, batch: 4, total: 8, available: 960, affordable: true }),
    ...problems(...bodyProblems, 'unauthorized', 'feature_not_supported', 'not_found'),
  },
});

export const modelRoutes = { models, model, quote } as const;
