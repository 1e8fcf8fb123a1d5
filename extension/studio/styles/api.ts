// The creator's calls, typed from their route declarations (shared/api/routes/styles.ts): the
// training set, training, the quiz, publishing and verification. Kept beside the views that use
// them, on the same caller as the rest of the extension (lib/api-call.ts).
import type { z } from 'zod';
import { generations } from '../../../shared/api/routes/generations';
import {
  addTrainingImage,
  createStyle,
  createTrainingSet,
  getStyle,
  listStyles,
  publishStyle,
  removeTrainingImage,
  retrainStyle,
  scoreQuiz,
  trainingSet,
  updateTrainingImage,
  verifyStyle,
} from '../../../shared/api/routes/styles';
import type { CreateStyleBody, PublishBody, QuizBody } from '../../../shared/api/styles';
import { createCaller } from '../../lib/api-call';
import { API_URL } from '../../lib/config';

export type StylesClient = ReturnType<typeof createStylesClient>;

export function createStylesClient(baseUrl: string, fetcher: typeof fetch = (...args) => fetch(...args)) {
  const { call } = createCaller(baseUrl, fetcher);
  return {
    createTrainingSet: (token: string, name: string) => call(createTrainingSet, { body: { name }, token }),
    trainingSet: (token: string, id: string) => call(trainingSet, { params: { id }, token }),
    addTrainingImage: (token: string, id: string, imageId: string, description: string) => call(addTrainingImage, { params: { id }, body: { image_id: imageId, description }, token }),
    describeTrainingImage: (token: string, id: string, imageId: string, description: string) =>
      call(updateTrainingImage, { params: { id, image_id: imageId }, body: { description }, token }),
    removeTrainingImage: (token: string, id: string, imageId: string) => call(removeTrainingImage, { params: { id, image_id: imageId }, token }),
    train: (token: string, body: z.input<typeof CreateStyleBody>, idempotencyKey: string) => call(createStyle, { body, token, headers: { 'idempotency-key': idempotencyKey } }),
    styles: (token: string) => call(listStyles, { token }),
    style: (token: string, id: string) => call(getStyle, { params: { id }, token }),
    scoreQuiz: (token: string, id: string, scores: z.input<typeof QuizBody>['scores']) => call(scoreQuiz, { params: { id }, body: { scores }, token }),
    retrain: (token: string, id: string, idempotencyKey: string) => call(retrainStyle, { params: { id }, token, headers: { 'idempotency-key': idempotencyKey } }),
    publish: (token: string, id: string, body: z.input<typeof PublishBody>) => call(publishStyle, { params: { id }, body, token }),
    verify: (token: string, id: string) => call(verifyStyle, { params: { id }, body: { attestation: true }, token }),
    /** A large page of my generations (the publish form looks for a Style's results among them). */
    generations: (token: string, cursor?: string) => call(generations, { query: { limit: 100, cursor }, token }),
  };
}

export const stylesApi = createStylesClient(API_URL);
