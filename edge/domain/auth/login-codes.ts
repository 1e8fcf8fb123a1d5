// Email one-time codes: 6 digits, valid 10 minutes, 5 tries, stored as an HMAC. Only the
// newest code for an address works; asking for a new one retires the old.
import { and, asc, count, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { database } from '../../db/client';
import { newId } from '../../db/ids';
import { loginCodes } from '../../db/schema';
import { addMinutes, iso } from '../../db/time';
import { DomainError, unauthorized } from '../errors';
import { equalInConstantTime, hmacHex, randomCode } from './secrets';

export const CODE_VALID_MINUTES = 10;
export const CODE_MAX_TRIES = 5;
/** At most this many codes per address in a window of CODE_VALID_MINUTES. */
export const CODES_PER_WINDOW = 5;
/** And per day: with 5 tries a code, this bounds guessing at 100 tries a day per address. */
export const CODES_PER_DAY = 20;

const codeHash = (secret: string, email: string, code: string) => hmacHex(secret, `login-code:${email}:${code}`);

/** Makes a new code for the address (returned so the caller can mail it). */
export async function issueLoginCode(db: D1Database, secret: string, email: string, now: Date): Promise<string> {
  const d = database(db);
  const windowStart = iso(addMinutes(now, -CODE_VALID_MINUTES));
  const recent = await d
    .select({ created_at: loginCodes.created_at })
    .from(loginCodes)
    .where(and(eq(loginCodes.email, email), gt(loginCodes.created_at, windowStart)))
    .orderBy(asc(loginCodes.created_at));
  if (recent.length >= CODES_PER_WINDOW) {
    const oldest = new Date(recent[0]!.created_at);
    const retryAfter = Math.max(1, Math.ceil((addMinutes(oldest, CODE_VALID_MINUTES).getTime() - now.getTime()) / 1000));
    throw new DomainError('rate_limited', `Too many codes asked for ${email}. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
      retry_after: retryAfter,
    });
  }
  const today = await d
    .select({ n: count() })
    .from(loginCodes)
    .where(and(eq(loginCodes.email, email), gt(loginCodes.created_at, iso(addMinutes(now, -24 * 60)))))
    .get();
  if ((today?.n ?? 0) >= CODES_PER_DAY) {
    throw new DomainError('rate_limited', `Too many codes asked for ${email} today. Try again tomorrow, or write to support.`, { retry_after: 3600 });
  }
  const code = randomCode();
  await d.insert(loginCodes).values({
    id: newId('code'),
    email,
    code_hash: await codeHash(secret, email, code),
    attempts: 0,
    expires_at: iso(addMinutes(now, CODE_VALID_MINUTES)),
    created_at: iso(now),
  });
  return code;
}

/**
 * Checks a code. Every try counts before the comparison, atomically, so parallel guesses
 * cannot exceed the limit; a right code works once.
 */
export async function redeemLoginCode(db: D1Database, secret: string, email: string, code: string, now: Date): Promise<void> {
  const d = database(db);
  const latest = await d
    .select()
    .from(loginCodes)
    .where(eq(loginCodes.email, email))
    .orderBy(desc(loginCodes.created_at), desc(loginCodes.id))
    .limit(1)
    .get();
  if (!latest || latest.consumed_at) throw unauthorized('There is no live code for this email. Ask for a new one.');
  if (latest.expires_at <= iso(now)) throw unauthorized('This code has expired. Ask for a new one.');

  const counted = await d
    .update(loginCodes)
    .set({ attempts: sql`${loginCodes.attempts} + 1` })
    .where(and(eq(loginCodes.id, latest.id), lt(loginCodes.attempts, CODE_MAX_TRIES), isNull(loginCodes.consumed_at)))
    .returning({ attempts: loginCodes.attempts })
    .get();
  if (!counted) throw unauthorized('Too many wrong tries for this code. Ask for a new one.');

  if (!equalInConstantTime(latest.code_hash, await codeHash(secret, email, code))) {
    const left = CODE_MAX_TRIES - counted.attempts;
    throw new DomainError(
      'unauthorized',
      left > 0 ? `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.` : 'That code is not right, and it was the last try. Ask for a new one.',
      { tries_left: left },
    );
  }
  const consumed = await d
    .update(loginCodes)
    .set({ consumed_at: iso(now) })
    .where(and(eq(loginCodes.id, latest.id), isNull(loginCodes.consumed_at)))
    .returning({ id: loginCodes.id })
    .get();
  if (!consumed) throw unauthorized('This code was already used. Ask for a new one.');
}
