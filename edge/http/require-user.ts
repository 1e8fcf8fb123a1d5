// Guards a route with the access token: `Authorization: Bearer <jwt>`, or 401 problem+json.
import { createMiddleware } from 'hono/factory';
import { readConfig } from '../config';
import { verifyAccessToken } from '../domain/auth/access-tokens';
import { unauthorized } from '../domain/errors';
import type { AppEnv } from '../env';
import { bearerToken } from './bearer';

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c);
  if (!token) throw unauthorized('Sign in to continue.');
  c.set('user', await verifyAccessToken(readConfig(c.env).authSecret, token));
  await next();
});
