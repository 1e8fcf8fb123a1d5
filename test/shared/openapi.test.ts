// The OpenAPI document the Worker serves, checked by a real OpenAPI 3.1 validator, and against
// the paths the HTTP contract (API.md) names for every feature built so far.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/document';

/** API.md's paths for implemented features, as `METHOD /path` with OpenAPI's `{param}`. */
const contractPaths = [
  'GET /health',
  'POST /v1/auth/email/start',
  'POST /v1/auth/email/verify',
  'POST /v1/auth/refresh',
  'POST /v1/auth/logout',
  'GET /v1/me',
  'GET /v1/credits',
  'GET /v1/credits/ledger',
  'GET /v1/credits/packs',
  'POST /v1/credits/checkout',
  'GET /v1/credits/purchases',
  'POST /v1/events/ticket',
  'GET /v1/events',
  'GET /v1/models',
  'GET /v1/models/{id}',
  'POST /v1/images',
  'GET /v1/images/{id}',
  'GET /v1/images/{id}/thumb',
  'GET /v1/images/{id}/preview',
  'GET /v1/images/{id}/download',
  'GET /v1/files/{token}',
  'DELETE /v1/images/{id}',
  'POST /v1/images/{id}/upscale',
  'POST /v1/images/{id}/remove-background',
  'POST /v1/images/{id}/vectorize',
  'GET /v1/images/{id}/variants',
  'POST /v1/quotes',
  'POST /v1/generations',
  'GET /v1/generations',
  'GET /v1/generations/{id}',
  'POST /v1/generations/{id}/cancel',
  'POST /v1/images/{id}/edits',
  'POST /v1/image-to-prompt',
  'POST /v1/style-components',
  'POST /v1/pins',
  'GET /v1/pins',
  'GET /v1/pins/{id}',
  'PATCH /v1/pins/{id}',
  'DELETE /v1/pins/{id}',
  'POST /v1/recipes',
  'GET /v1/recipes',
  'GET /v1/recipes/{id}',
  'DELETE /v1/recipes/{id}',
  'POST /v1/images/{id}/license',
  'GET /v1/licenses',
  'GET /v1/licenses/{id}',
  'GET /v1/licenses/{id}/certificate',
  'POST /v1/webhooks/fal',
  'POST /v1/webhooks/replicate',
  'POST /v1/webhooks/stripe',
  'GET /v1/provider-inputs/{token}',
  'GET /v1/admin/providers',
  'POST /v1/training-sets',
  'GET /v1/training-sets',
  'GET /v1/training-sets/{id}',
  'POST /v1/training-sets/{id}/images',
  'PATCH /v1/training-sets/{id}/images/{image_id}',
  'DELETE /v1/training-sets/{id}/images/{image_id}',
  'POST /v1/styles',
  'GET /v1/styles',
  'GET /v1/styles/{id}',
  'POST /v1/styles/{id}/quiz',
  'POST /v1/styles/{id}/retrain',
  'POST /v1/styles/{id}/publish',
  'POST /v1/styles/{id}/verify',
  'GET /v1/earnings',
  'GET /v1/moderation',
  'POST /v1/moderation/{id}',
  'GET /v1/moderation/{id}/images/{image_id}',
  'GET /v1/models/{id}/examples/{image_id}',
  'GET /v1/creators/{handle}',
  'GET /v1/creators/{handle}/avatar',
  'GET /v1/profile',
  'PATCH /v1/profile',
];

type Operation = { security?: Record<string, string[]>[]; responses: Record<string, { content?: Record<string, unknown> }> };
const operations = (doc: ReturnType<typeof openApiDocument>) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );

describe('the OpenAPI document', () => {
  const doc = openApiDocument('http://127.0.0.1:8787');

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is judged by a validator that refuses a broken one', async () => {
    const broken = { ...doc, paths: { '/x': { get: { responses: { 200: { content: 'nope' } } } } } };
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it('lists every path of the contract, and nothing under /dev', () => {
    const listed = operations(doc).map((o) => o.key);
    expect(listed.filter((key) => !contractPaths.includes(key))).toEqual([]);
    expect(contractPaths.filter((key) => !listed.includes(key))).toEqual([]);
    expect(listed.some((key) => key.includes('/dev'))).toBe(false);
  });

  it('puts the bearer scheme on every route behind a sign-in, and declares its problems', () => {
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    // The live channel's upgrade is opened by its ticket, not the bearer token (no token in a URL).
    const publicRoutes = ['GET /health', 'GET /v1/events', 'POST /v1/auth/email/start', 'POST /v1/auth/email/verify', 'POST /v1/auth/refresh', 'POST /v1/auth/logout', 'GET /v1/licenses/{id}/certificate', 'POST /v1/webhooks/fal', 'POST /v1/webhooks/replicate', 'POST /v1/webhooks/stripe', 'GET /v1/credits/packs', 'GET /v1/provider-inputs/{token}', 'GET /v1/models/{id}/examples/{image_id}', 'GET /v1/creators/{handle}', 'GET /v1/creators/{handle}/avatar'];
    for (const { key, op } of operations(doc)) {
      const bearer = (op.security ?? []).some((requirement) => 'bearer' in requirement);
      expect(bearer, key).toBe(!publicRoutes.includes(key));
      if (bearer && !key.startsWith('GET /v1/models')) expect(op.responses['401']?.content?.['application/problem+json'], key).toBeDefined();
      expect(op.responses['500']?.content?.['application/problem+json'], key).toBeDefined();
    }
  });

  it('carries examples', () => {
    const verify = (doc.paths?.['/v1/auth/email/verify'] as Record<string, any>).post;
    expect(verify.requestBody.content['application/json'].example).toEqual({ email: 'ana@example.com', code: '492031' });
    expect(verify.responses['200'].content['application/json'].example.token_type).toBe('Bearer');
  });
});
