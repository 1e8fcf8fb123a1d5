// Character and Product Pins.
import { Page } from '../credits';
import { CreatePinBody, Pin, UpdatePinBody } from '../pins';
import { bodyProblems, defineRoute, IdParam, json, jsonBody, noContent, problems, signedIn } from './define';

const pinExample = { id: 'pin_01', kind: 'character' as const, name: 'Ana', image_ids: ['img_01'], created_at: '2026-11-22T10:00:00.000Z', updated_at: '2026-11-22T10:00:00.000Z' };

export const createPin = defineRoute({
  method: 'post',
  path: '/v1/pins',
  tags: ['pins'],
  summary: 'Pin 1 to 10 images of one subject',
  security: signedIn,
  request: { body: jsonBody(CreatePinBody, { kind: 'character', name: 'Ana', image_ids: ['img_01'] }) },
  responses: { 201: json(Pin, 'Pinned', pinExample), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'not_licensed') },
});

export const pins = defineRoute({
  method: 'get',
  path: '/v1/pins',
  tags: ['pins'],
  summary: 'Your pins',
  security: signedIn,
  responses: { 200: json(Page(Pin), 'Your pins'), ...problems('unauthorized') },
});

export const pin = defineRoute({
  method: 'get',
  path: '/v1/pins/{id}',
  tags: ['pins'],
  summary: 'One pin',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(Pin, 'The pin', pinExample), ...problems('unauthorized', 'not_found') },
});

export const updatePin = defineRoute({
  method: 'patch',
  path: '/v1/pins/{id}',
  tags: ['pins'],
  summary: 'Rename a pin or change its images',
  security: signedIn,
  request: { params: IdParam, body: jsonBody(UpdatePinBody, { name: 'Ana, side view' }) },
  responses: { 200: json(Pin, 'The pin as it now is'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'not_licensed') },
});

export const deletePin = defineRoute({
  method: 'delete',
  path: '/v1/pins/{id}',
  tags: ['pins'],
  summary: 'Delete a pin (its images stay)',
  security: signedIn,
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...problems('unauthorized', 'not_found') },
});

export const pinRoutes = { createPin, pins, pin, updatePin, deletePin } as const;
