// The OpenAPI 3.1 document of API v1, made from the route declarations: the Worker serves it
// at /openapi.json and tests validate it. Not imported by the extension (it carries the generator).
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allRoutes } from './routes';

export const OPENAPI_INFO = {
  title: 'Exactly API',
  version: '1.0.0',
  description:
    'The HTTP API of Exactly, an AI image studio in the browser. Every error is RFC 9457 problem+json (`application/problem+json`) with a `code` naming the rule. Routes with the bearer scheme take `Authorization: Bearer <access_token>` from `/v1/auth/email/verify` or `/v1/auth/refresh`.',
};

export const BEARER_SCHEME = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token (15 minutes by default).' } as const;

// One kept: a Worker answers for one origin, and a cache keyed by the Host a caller sends
// would grow without bound.
let last: { server: string | undefined; document: ReturnType<typeof generate> } | null = null;

/** The document, naming `server` as where the API is. */
export function openApiDocument(server?: string) {
  if (!last || last.server !== server) last = { server, document: generate(server) };
  return last.document;
}

function generate(server?: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', BEARER_SCHEME);
  for (const route of allRoutes) registry.registerPath(route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: OPENAPI_INFO,
    ...(server ? { servers: [{ url: server }] } : {}),
  });
}
