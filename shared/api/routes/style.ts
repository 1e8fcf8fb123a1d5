// Reading images: Image-to-Prompt and style components.
import { ImageToPromptBody, StyleComponentsBody } from '../edits';
import { ImageToPrompt, StyleComponentsResult } from '../style';
import { bodyProblems, defineRoute, json, jsonBody, problems, signedIn } from './define';

export const imageToPrompt = defineRoute({
  method: 'post',
  path: '/v1/image-to-prompt',
  tags: ['style'],
  summary: 'A prompt that would make an image like this one',
  security: signedIn,
  request: { body: jsonBody(ImageToPromptBody, { image_id: 'img_01' }) },
  responses: { 200: json(ImageToPrompt, 'The prompt and what it was read from'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'not_licensed', 'unsupported_media_type', 'rate_limited') },
});

export const styleComponents = defineRoute({
  method: 'post',
  path: '/v1/style-components',
  tags: ['style'],
  summary: 'Composition, lighting, palette and grading of up to 10 references, and their blend',
  security: signedIn,
  request: { body: jsonBody(StyleComponentsBody, { image_ids: ['img_01', 'img_02'] }) },
  responses: { 200: json(StyleComponentsResult, 'The components'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'not_licensed', 'unsupported_media_type', 'rate_limited') },
});

export const styleRoutes = { imageToPrompt, styleComponents } as const;
