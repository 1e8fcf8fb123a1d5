// Email one-time codes: 6 digits, valid 10 minutes, 5 tries, stored as an HMAC. Only the
// newest code for an address works; asking for a new one retires the old.
//
// Nobody but the owner can lock an address: wrong guesses end one code, never the address, and
// a code ended that way (or used) leaves the per-address count, so the owner can always ask
// for a new one, or already holds the newest. Guessing is slowed by the per-network and global
// sign-in limits (../../rate-limits).
import { and, count, desc, eq, gt, isNull, lt, min, sql } from 'drizzle-orm';
import { database } from '../../db/client';
import { newId } from '../../db/ids';
import { given } from '../../db/insert-select';
import { loginCodes } from '../../db/schema';
import { addMinutes, iso } from '../../db/time';
import { enqueueMail } from '../../mail/outbox';
import { DomainError, unauthorized } from '../errors';
import { equalInConstantTime, hmacHex, randomCode } from './secrets';

export const CODE_VALID_MINUTES = 10;
export const CODE_MAX_TRIES = 5;
/**
 * At most this many codes per address waiting in its inbox, in a window of CODE_VALID_MINUTES:
 * asked for, and neither used nor ended by wrong guesses. Bounds the mail anyone can send it.
 */
export const CODES_PER_WINDOW = 5;

const codeHash = (secret: string, email: string, code: string) => hmacHex(secret, `login-code:${email}:${code}`);

/** The codes of an address that count against CODES_PER_WINDOW. */
const waiting = (email: string, now: Date) =>
  and(
    eq(loginCodes.email, email),
    gt(loginCodes.created_at, iso(addMinutes(now, -CODE_VALID_MINUTES))),
    isNull(loginCodes.consumed_at),
    lt(loginCodes.attempts, CODE_MAX_TRIES),
  );

/**
 * Makes a new code for the address (returned so the caller can mail it). The count and the
 * insert are one statement, so parallel requests cannot all pass the check.
 */
export async function issueLoginCode(db: D1Database, secret: string, email: string, now: Date): Promise<string> {
  const d = database(db);
  const code = randomCode();
  const id = newId('code');
  const hash = await codeHash(secret, email, code);
  const counted = d.select({ waiting: count().as('waiting') }).from(loginCodes).where(waiting(email, now)).as('counted');
  const inserted = await d
    .insert(loginCodes)
    .select((qb) =>
      qb
        .select({
          id: given(id, 'id'),
          email: given(email, 'email'),
          code_hash: given(hash, 'code_hash'),
          attempts: given(0, 'attempts'),
          expires_at: given(iso(addMinutes(now, CODE_VALID_MINUTES)), 'expires_at'),
          consumed_at: given(null, 'consumed_at'),
          created_at: given(iso(now), 'created_at'),
        })
        // The count is one row, kept only while the address has room.
        .from(counted)
        .where(lt(counted.waiting, CODES_PER_WINDOW)),
    )
    .returning({ id: loginCodes.id });
  if (inserted.length) return code;

  const oldest = await d.select({ at: min(loginCodes.created_at) }).from(loginCodes).where(waiting(email, now)).get();
  const frees = oldest?.at ? addMinutes(new Date(oldest.at), CODE_VALID_MINUTES).getTime() : now.getTime();
  const retryAfter = Math.max(1, Math.ceil((frees - now.getTime()) / 1000));
  throw new DomainError(
    'rate_limited',
    `We already mailed ${CODES_PER_WINDOW} codes to ${email} in the last few minutes: use the newest one, or ask again in ${Math.ceil(retryAfter / 60)} minutes.`,
    { retry_after: retryAfter },
  );
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

/** Issues a code for the address and writes the mail that carries it to the outbox (the API's sign-in and the moderation console's). */
export async function mailLoginCode(db: D1Database, secret: string, email: string, now: Date): Promise<void> {
  const code = await issueLoginCode(db, secret, email, now);
  await enqueueMail(
    db,
    {
      to: email,
      subject: `${code} is your Exactly sign-in code`,
      text: `Your Exactly sign-in code is ${code}.\n\nIt works once, for ${CODE_VALID_MINUTES} minutes. If you did not ask for it, you can ignore this email.`,
    },
    now,
  );
}
