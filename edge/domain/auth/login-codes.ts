// Email one-time codes: 6 digits, valid 10 minutes, 5 tries, stored as an HMAC. Only the
// newest code for an address works; asking for a new one retires the old.
import { newId } from '../../db/ids';
import { addMinutes, iso } from '../../db/time';
import { DomainError, unauthorized } from '../errors';
import { equalInConstantTime, hmacHex, randomCode } from './secrets';

export const CODE_VALID_MINUTES = 10;
export const CODE_MAX_TRIES = 5;
/** At most this many codes per address in a window of CODE_VALID_MINUTES. */
export const CODES_PER_WINDOW = 5;
/** And per day: with 5 tries a code, this bounds guessing at 100 tries a day per address. */
export const CODES_PER_DAY = 20;

interface CodeRow {
  id: string;
  code_hash: string;
  attempts: number;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

const codeHash = (secret: string, email: string, code: string) => hmacHex(secret, `login-code:${email}:${code}`);

/** Makes a new code for the address (returned so the caller can mail it). */
export async function issueLoginCode(db: D1Database, secret: string, email: string, now: Date): Promise<string> {
  const windowStart = iso(addMinutes(now, -CODE_VALID_MINUTES));
  const recent = await db
    .prepare('SELECT created_at FROM login_codes WHERE email = ?1 AND created_at > ?2 ORDER BY created_at ASC')
    .bind(email, windowStart)
    .all<{ created_at: string }>();
  if (recent.results.length >= CODES_PER_WINDOW) {
    const oldest = new Date(recent.results[0]!.created_at);
    const retryAfter = Math.max(1, Math.ceil((addMinutes(oldest, CODE_VALID_MINUTES).getTime() - now.getTime()) / 1000));
    throw new DomainError('rate_limited', `Too many codes asked for ${email}. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
      retry_after: retryAfter,
    });
  }
  const today = await db
    .prepare('SELECT COUNT(*) AS n FROM login_codes WHERE email = ?1 AND created_at > ?2')
    .bind(email, iso(addMinutes(now, -24 * 60)))
    .first<{ n: number }>();
  if ((today?.n ?? 0) >= CODES_PER_DAY) {
    throw new DomainError('rate_limited', `Too many codes asked for ${email} today. Try again tomorrow, or write to support.`, { retry_after: 3600 });
  }
  const code = randomCode();
  await db
    .prepare('INSERT INTO login_codes (id, email, code_hash, attempts, expires_at, created_at) VALUES (?1, ?2, ?3, 0, ?4, ?5)')
    .bind(newId('code'), email, await codeHash(secret, email, code), iso(addMinutes(now, CODE_VALID_MINUTES)), iso(now))
    .run();
  return code;
}

/**
 * Checks a code. Every try counts before the comparison, atomically, so parallel guesses
 * cannot exceed the limit; a right code works once.
 */
export async function redeemLoginCode(db: D1Database, secret: string, email: string, code: string, now: Date): Promise<void> {
  const latest = await db
    .prepare('SELECT * FROM login_codes WHERE email = ?1 ORDER BY created_at DESC, id DESC LIMIT 1')
    .bind(email)
    .first<CodeRow>();
  if (!latest || latest.consumed_at) throw unauthorized('There is no live code for this email. Ask for a new one.');
  if (latest.expires_at <= iso(now)) throw unauthorized('This code has expired. Ask for a new one.');

  const counted = await db
    .prepare(
      `UPDATE login_codes SET attempts = attempts + 1
       WHERE id = ?1 AND attempts < ?2 AND consumed_at IS NULL RETURNING attempts`,
    )
    .bind(latest.id, CODE_MAX_TRIES)
    .first<{ attempts: number }>();
  if (!counted) throw unauthorized('Too many wrong tries for this code. Ask for a new one.');

  if (!equalInConstantTime(latest.code_hash, await codeHash(secret, email, code))) {
    const left = CODE_MAX_TRIES - counted.attempts;
    throw new DomainError(
      'unauthorized',
      left > 0 ? `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.` : 'That code is not right, and it was the last try. Ask for a new one.',
      { tries_left: left },
    );
  }
  const consumed = await db
    .prepare('UPDATE login_codes SET consumed_at = ?1 WHERE id = ?2 AND consumed_at IS NULL RETURNING id')
    .bind(iso(now), latest.id)
    .first();
  if (!consumed) throw unauthorized('This code was already used. Ask for a new one.');
}
