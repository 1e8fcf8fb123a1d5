// Serving a route declared in shared/api/routes: its guard follows its `security`, a body it
// declares is capped while streaming (64 KB of JSON unless the route says otherwise), its
// params, query and headers are validated by @hono/zod-openapi, and its JSON body by
// readJson, so every refusal stays the one problem+json shape.
// A route served with rate limits counts them before its body is read, unless its handler
// carries them in its own batch with the sign-in check (`admitInBatch`).
import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../env';
import { validationFailed } from '../domain/errors';
import { type RateRuleName, rateRules } from '../rate-limits/rules';
import { optionalUser } from './optional-user';
import { rateLimit } from './rate-limit';
import { requireUser } from './require-user';
import { type BodyCap, jsonCap, limitBody } from './body';
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
  /** The body's cap where it is not JSON (raw image bytes, a signed webhook); JSON bodies get 64 KB. */
  cap?: BodyCap;
  /**
   * The sign-in check and the per-user counts travel in the handler's one D1 batch (`c.get('admission')`)
   * instead of a round trip before it: only for a handler that writes nothing outside that batch.
   */
  admitInBatch?: boolean;
}

function guardOf(route: RouteConfig, { limits = [], admitInBatch = false }: ServeOptions): MiddlewareHandler<AppEnv>[] {
  const security = route.security ?? [];
  if (limits.length && !route.responses[429]) throw new Error(`${route.method.toUpperCase()} ${route.path} is rate limited: declare its 429 rate_limited answer`);
  const signedIn = security.some((requirement) => 'bearer' in requirement);
  // An empty requirement beside the bearer one: the token is optional.
  const optional = security.some((requirement) => Object.keys(requirement).length === 0);
  if (admitInBatch && (!signedIn || optional)) throw new Error(`${route.method.toUpperCase()} ${route.path}: only a required sign-in can be checked in the handler's batch`);
  if (!signedIn) {
    if (limits.some((rule) => rateRules[rule].per === 'user')) throw new Error(`${route.method.toUpperCase()} ${route.path}: a per-user limit needs a signed-in route`);
    return limits.length ? [rateLimit(limits)] : [];
  }
  if (optional) {
    if (limits.length) throw new Error(`${route.method.toUpperCase()} ${route.path}: rate limits need a required sign-in or none`);
    return [optionalUser];
  }
  return [requireUser(limits, { admitInBatch })];
}

function jsonBodyOf(route: RouteConfig): z.ZodType | null {
  const schema = (route.request?.body?.content['application/json'] as { schema?: unknown } | undefined)?.schema;
  return isZod(schema) ? schema : null;
}

/**
 * Registers `route` on `app` with its handler, typed from the declaration. A route that takes
 * a body other than JSON (raw image bytes, a signed webhook) names its own cap.
 */
export function serve<R extends RouteConfig>(app: OpenAPIHono<AppEnv>, route: R, handler: RouteHandler<R, AppEnv>, options: ServeOptions = {}): void {
  app.openAPIRegistry.registerPath(route);
  const body = jsonBodyOf(route);
  // After the guard: a caller who may not use the route has nothing of theirs read at all.
  // A route that declares no body never reads one, so nothing of it is buffered.
  const middleware: MiddlewareHandler<AppEnv>[] = [...guardOf(route, options), ...(route.request?.body ? [limitBody(options.cap ?? jsonCap)] : [])];
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
