// For public reads that show a signed-in caller a little more (their private Styles): a valid
// Bearer token of a sign-in that still stands sets the user; none, or any other, reads as anonymous.
import { createMiddleware } from 'hono/factory';
import { readConfig } from '../config';
import { verifyAccessToken } from '../domain/auth/access-tokens';
import { isSessionLive } from '../domain/auth/sessions';
import type { AppEnv } from '../env';
import { bearerToken } from './bearer';

export const optionalUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c);
  if (token) {
    const user = await verifyAccessToken(readConfig(c.env).authSecret, token).catch(() => null);
    if (user && (await isSessionLive(c.env.DB, user.sessionFamily))) c.set('user', user);
  }
  await next();
});
