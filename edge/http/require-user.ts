// Guards a route with the access token: `Authorization: Bearer <jwt>` whose sign-in still
// stands, or 401 problem+json; then counts the route's per-user rate limits, if it has any.
import { createMiddleware } from 'hono/factory';
import { readConfig } from '../config';
import { verifyAccessToken } from '../domain/auth/access-tokens';
import { liveSessionRead } from '../domain/auth/sessions';
import { unauthorized } from '../domain/errors';
import type { AppEnv } from '../env';
import { refuseIfLimited } from '../rate-limits/limiter';
import type { RateRuleName } from '../rate-limits/rules';
import { rateLimiterFor } from '../services';
import { bearerToken } from './bearer';
import { hitsFor } from './rate-limit';

export const SIGN_IN_ENDED = 'This sign-in has ended. Sign in again.';

export const requireUser = (limits: readonly RateRuleName[] = []) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw unauthorized('Sign in to continue.');
    const user = await verifyAccessToken(readConfig(c.env).authSecret, token);
    const read = liveSessionRead(c.env.DB, user.sessionFamily);
    // The sign-in check and the rate counts go out together (one D1 round trip locally), so a
    // limited route waits once, not twice; an ended sign-in is told so before any limit.
    const hits = hitsFor(c, limits, user);
    const [live, verdicts] = hits.length ? await rateLimiterFor(c.env).withRead(read, hits) : [await read, []];
    if (!live.length) throw unauthorized(SIGN_IN_ENDED);
    refuseIfLimited(hits, verdicts);
    c.set('user', user);
    await next();
  });
