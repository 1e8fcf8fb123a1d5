// /v1/auth: email one-time code, token refresh and logout.
import type { TokenPair } from '../../../shared/api/auth';
import { logout, refresh, startEmail, verifyEmail } from '../../../shared/api/routes/auth';
import { readConfig, type Config } from '../../config';
import { findOrCreateUser, getUser, toUserDto } from '../../domain/accounts';
import { signAccessToken, verifyAccessToken } from '../../domain/auth/access-tokens';
import { mailLoginCode, redeemLoginCode } from '../../domain/auth/login-codes';
import { endSessionByToken, type IssuedSession, revokeFamily, rotateSession, startSession } from '../../domain/auth/sessions';
import { bearerToken } from '../../http/bearer';
import { router, serve } from '../../http/openapi';
import { deliverMailSoon } from '../../services';

async function tokenPair(db: D1Database, config: Config, session: IssuedSession, now: Date): Promise<TokenPair> {
  const user = await getUser(db, session.userId);
  return {
    access_token: await signAccessToken(config.authSecret, { id: user.id, role: user.role, sessionFamily: session.familyId }, config.accessTokenTtlSeconds, now),
    refresh_token: session.refreshToken,
    token_type: 'Bearer',
    expires_in: config.accessTokenTtlSeconds,
    user: toUserDto(user),
  };
}

export const authRoutes = router();

serve(authRoutes, startEmail, async (c) => {
  const { email } = c.req.valid('json');
  const now = new Date();
  await mailLoginCode(c.env.DB, readConfig(c.env).authSecret, email, now);
  deliverMailSoon(c.env, c.executionCtx);
  return c.json({ sent: true as const }, 202);
}, { limits: ['sign_in_ip', 'sign_in_global'] });

serve(authRoutes, verifyEmail, async (c) => {
  const { email, code } = c.req.valid('json');
  const config = readConfig(c.env);
  const now = new Date();
  await redeemLoginCode(c.env.DB, config.authSecret, email, code, now);
  const user = await findOrCreateUser(c.env.DB, email, now);
  const session = await startSession(c.env.DB, user.id, now, config.refreshTokenTtlDays);
  return c.json(await tokenPair(c.env.DB, config, session, now), 200);
}, { limits: ['sign_in_ip', 'sign_in_global'] });

serve(authRoutes, refresh, async (c) => {
  const { refresh_token } = c.req.valid('json');
  const config = readConfig(c.env);
  const now = new Date();
  const session = await rotateSession(c.env.DB, refresh_token, now, config.refreshTokenTtlDays);
  return c.json(await tokenPair(c.env.DB, config, session, now), 200);
}, { limits: ['refresh_ip'] });

serve(authRoutes, logout, async (c) => {
  // Ends the sign-in named by the refresh token in the body, or by the access token.
  const { refresh_token } = c.req.valid('json');
  if (refresh_token) await endSessionByToken(c.env.DB, refresh_token);
  const bearer = bearerToken(c);
  if (bearer) {
    const user = await verifyAccessToken(readConfig(c.env).authSecret, bearer).catch(() => null);
    if (user) await revokeFamily(c.env.DB, user.sessionFamily);
  }
  return c.body(null, 204);
});
