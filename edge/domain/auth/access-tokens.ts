// Short-lived access tokens: HS256 JWTs signed with jose, carrying the user, their role and
// the sign-in they belong to. Only HS256 is accepted, so `alg: none` and key-confusion fail.
import { jwtVerify, SignJWT } from 'jose';
import type { AuthUser } from '../../env';
import type { Role } from '../../db/schema';
import { unauthorized } from '../errors';
import { hmacKey } from './secrets';

const ISSUER = 'exactly-api';
const AUDIENCE = 'exactly';
/** Its own key: the same secret signs nothing else with it. */
const keyOf = (secret: string) => hmacKey(`access-token:${secret}`);

export async function signAccessToken(
  secret: string,
  user: { id: string; role: Role; sessionFamily: string },
  ttlSeconds: number,
  now: Date,
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: user.role, sid: user.sessionFamily })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(await keyOf(secret));
}

const roles = new Set<string>(['user', 'moderator', 'admin']);

export async function verifyAccessToken(secret: string, token: string): Promise<AuthUser> {
  try {
    const { payload } = await jwtVerify(token, await keyOf(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || typeof role !== 'string' || !roles.has(role) || typeof payload.sid !== 'string') {
      throw new Error('claims');
    }
    return { id: payload.sub, role: role as Role, sessionFamily: payload.sid };
  } catch (error) {
    const expired = error instanceof Error && 'code' in error && error.code === 'ERR_JWT_EXPIRED';
    throw unauthorized(expired ? 'Your sign-in has expired. Refresh it or sign in again.' : 'This access token is not valid. Sign in again.');
  }
}
