// The console's sign-in: a refresh-token session from the same sessions table as the API's
// (so it shows up, expires and is revoked like any sign-in), held in an HttpOnly, SameSite=Strict
// cookie; Secure with the __Host- prefix outside development. The token is random, stored only
// as its hash: a leaked database opens no console.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { and, eq, gt } from 'drizzle-orm';
import { readConfig } from '../config';
import { database } from '../db/client';
import { sessions, type UserRow, users } from '../db/schema';
import { iso } from '../db/time';
import { sha256Hex } from '../domain/auth/secrets';
import { endSessionByToken, startSession } from '../domain/auth/sessions';
import type { AppEnv } from '../env';

const COOKIE = 'exactly_console';
/** A moderator's working day: the console asks for a new code after it. */
export const CONSOLE_SESSION_HOURS = 12;

const secure = (c: Context<AppEnv>) => !readConfig(c.env).development;
const prefixOf = (c: Context<AppEnv>) => (secure(c) ? ('host' as const) : undefined);

/** Starts a sign-in for the user and hands its token to the browser. */
export async function startConsoleSession(c: Context<AppEnv>, user: UserRow, now: Date): Promise<void> {
  const session = await startSession(c.env.DB, user.id, now, CONSOLE_SESSION_HOURS / 24);
  setCookie(c, COOKIE, session.refreshToken, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: CONSOLE_SESSION_HOURS * 3600,
    ...(secure(c) ? { secure: true, prefix: 'host' } : {}),
  });
}

/** The person the cookie names, while their sign-in is live and unexpired; else null. */
export async function consoleUser(c: Context<AppEnv>, now: Date): Promise<UserRow | null> {
  const token = getCookie(c, COOKIE, prefixOf(c));
  if (!token) return null;
  const row = await database(c.env.DB)
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.user_id))
    .where(and(eq(sessions.token_hash, await sha256Hex(token)), eq(sessions.status, 'active'), gt(sessions.expires_at, iso(now))))
    .get();
  return row?.user ?? null;
}

/** Revokes the cookie's sign-in and clears the cookie. */
export async function endConsoleSession(c: Context<AppEnv>): Promise<void> {
  const token = getCookie(c, COOKIE, prefixOf(c));
  if (token) await endSessionByToken(c.env.DB, token);
  deleteCookie(c, COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', ...(secure(c) ? { secure: true, prefix: 'host' } : {}) });
}
