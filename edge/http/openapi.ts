// Serving a route declared in shared/api/routes: its guard follows its `security`, its
// params, query and headers are validated by @hono/zod-openapi, and its JSON body by
// readJson (64 KB cap, today's messages), so every refusal stays the one problem+json shape.
// A route served with rate limits counts them before its body is read.
import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../env';
import { validationFailed } from '../domain/errors';
import { type RateRuleName, rateRules } from '../rate-limits/rules';
import { optionalUser } from './optional-user';
import { rateLimit } from './rate-limit';
import { requireUser } from './require-user';
import { fieldErrors, readJson } from './validate';

/** A router whose validation failures are 422 validation_failed naming each field. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(fieldErrors(result.error as z.ZodError));
    },
  });
}

const isZod = (value: unknown): value is z.ZodType => typeof (value as z.ZodType | undefined)?.safeParse === 'function';

export interface ServeOptions {
  /** Rate limits counted on every request (the route must declare 429). */
  limits?: readonly RateRuleName[];
}

function guardOf(route: RouteConfig, limits: readonly RateRuleName[]): MiddlewareHandler<AppEnv>[] {
  const security = route.security ?? [];
  if (limits.length && !route.responses[429]) throw new Error(`${route.method.toUpperCase()} ${route.path} is rate limited: declare its 429 rate_limited answer`);
  if (!security.some((requirement) => 'bearer' in requirement)) {
    if (limits.some((rule) => rateRules[rule].per === 'user')) throw new Error(`${route.method.toUpperCase()} ${route.path}: a per-user limit needs a signed-in route`);
    return limits.length ? [rateLimit(limits)] : [];
  }
  // An empty requirement beside the bearer one: the token is optional.
  if (security.some((requirement) => Object.keys(requirement).length === 0)) {
    if (limits.length) throw new Error(`${route.method.toUpperCase()} ${route.path}: rate limits need a required sign-in or none`);
    return [optionalUser];
  }
  return [requireUser(limits)];
}

function jsonBodyOf(route: RouteConfig): z.ZodType | null {
  const schema = (route.request?.body?.content['application/json'] as { schema?: unknown } | undefined)?.schema;
  return isZod(schema) ? schema : null;
}

/** Registers `route` on `app` with its handler, typed from the declaration. */
export function serve<R extends RouteConfig>(app: OpenAPIHono<AppEnv>, route: R, handler: RouteHandler<R, AppEnv>, options: ServeOptions = {}): void {
  app.openAPIRegistry.registerPath(route);
  const body = jsonBodyOf(route);
  const middleware = [...guardOf(route, options.limits ?? [])];
  if (body) {
    middleware.push(async (c, next) => {
      c.req.addValidatedData('json', (await readJson(c, body)) as object);
      await next();
    });
  }
  // The body is read above, not by @hono/zod-openapi (which would refuse a body sent without
  // a content type and read it uncapped); the full declaration is in the registry already.
  const { body: _declared, ...request } = route.request ?? {};
  app.openapi({ ...route, request, middleware, hide: true } as unknown as R, handler as never);
}
