// For public reads that show a signed-in caller a little more (their private Styles): a valid
// Bearer token sets the user; none, or an invalid one, reads as anonymous.
import { createMiddleware } from 'hono/factory';
import { readConfig } from '../config';
import { verifyAccessToken } from '../domain/auth/access-tokens';
import type { AppEnv } from '../env';
import { bearerToken } from './bearer';

export const optionalUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c);
  if (token) {
    const user = await verifyAccessToken(readConfig(c.env).authSecret, token).catch(() => null);
    if (user) c.set('user', user);
  }
  await next();
});
