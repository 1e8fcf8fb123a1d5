// Tickets that open a user's live channel: HS256 JWTs under a key of their own (an access
// token is no ticket, nor the reverse), valid TICKET_TTL_SECONDS, each with an id the user's
// channel remembers once used, so a ticket opens one connection only.
import { jwtVerify, SignJWT } from 'jose';
import { unauthorized } from '../domain/errors';
import { hmacKey } from '../domain/auth/secrets';

const AUDIENCE = 'exactly-events';
/** Its own key: the same secret signs nothing else with it. */
const keyOf = (secret: string) => hmacKey(`event-ticket:${secret}`);

export interface Ticket {
  userId: string;
  /** The ticket's own id: used once, then refused. */
  id: string;
  /** When it stops opening anything (epoch seconds). */
  expiresAt: number;
}

export async function signTicket(secret: string, userId: string, ttlSeconds: number, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience(AUDIENCE)
    .setJti(crypto.randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(await keyOf(secret));
}

/** The ticket's user and id, or 401 when it is forged, altered or expired. */
export async function verifyTicket(secret: string, ticket: string, now: Date): Promise<Ticket> {
  try {
    const { payload } = await jwtVerify(ticket, await keyOf(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      requiredClaims: ['sub', 'jti', 'exp'],
      currentDate: now,
    });
    return { userId: payload.sub!, id: payload.jti!, expiresAt: payload.exp! };
  } catch (error) {
    const expired = error instanceof Error && 'code' in error && error.code === 'ERR_JWT_EXPIRED';
    throw unauthorized(expired ? 'This live-updates ticket has expired. Ask for a new one.' : 'This live-updates ticket is not valid. Ask for a new one.');
  }
}
