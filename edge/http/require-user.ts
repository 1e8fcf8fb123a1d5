// Guards a route with the access token: `Authorization: Bearer <jwt>`, or 401 problem+json.
import { createMiddleware } from 'hono/factory';
import { readConfig } from '../config';
import { verifyAccessToken } from '../domain/auth/access-tokens';
import { unauthorized } from '../domain/errors';
import type { AppEnv } from '../env';

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('Sign in to continue.');
  c.set('user', await verifyAccessToken(readConfig(c.env).authSecret, match[1]!));
  await next();
});
