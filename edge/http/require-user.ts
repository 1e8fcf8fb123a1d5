// Guards a route with the access token: `Authorization: Bearer <jwt>` whose sign-in still
// stands, or 401 problem+json; then counts the route's per-user rate limits, if it has any.
import { createMiddleware } from 'hono/factory';
import { readConfig } from '../config';
import { verifyAccessToken } from '../domain/auth/access-tokens';
import { isSessionLive } from '../domain/auth/sessions';
import { unauthorized } from '../domain/errors';
import type { AppEnv } from '../env';
import type { RateRuleName } from '../rate-limits/rules';
import { bearerToken } from './bearer';
import { enforceLimits } from './rate-limit';

export const SIGN_IN_ENDED = 'This sign-in has ended. Sign in again.';

export const requireUser = (limits: readonly RateRuleName[] = []) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw unauthorized('Sign in to continue.');
    const user = await verifyAccessToken(readConfig(c.env).authSecret, token);
    // The session read and the rate counts go out together, so a limited route waits for one
    // round trip, not two; an ended sign-in is told so before any limit.
    const [live, limited] = await Promise.allSettled([isSessionLive(c.env.DB, user.sessionFamily), limits.length ? enforceLimits(c, limits, user) : Promise.resolve()]);
    if (live.status === 'rejected') throw live.reason;
    if (!live.value) throw unauthorized(SIGN_IN_ENDED);
    if (limited.status === 'rejected') throw limited.reason;
    c.set('user', user);
    await next();
  });
