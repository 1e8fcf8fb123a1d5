// Refresh tokens: random, stored as SHA-256, rotated on every use within a family. A token
// presented after it was rotated was copied: the whole family is revoked.
import { and, eq, exists, sql } from 'drizzle-orm';
import type { SessionStatus } from '../../../shared/statuses';
import { database } from '../../db/client';
import { given } from '../../db/insert-select';
import { newId } from '../../db/ids';
import { sessions } from '../../db/schema';
import { addMinutes, iso } from '../../db/time';
import { unauthorized } from '../errors';
import { randomToken, sha256Hex } from './secrets';

export interface IssuedSession {
  userId: string;
  familyId: string;
  refreshToken: string;
}

const expiresAt = (now: Date, ttlDays: number) => iso(addMinutes(now, ttlDays * 24 * 60));

export async function startSession(db: D1Database, userId: string, now: Date, ttlDays: number): Promise<IssuedSession> {
  const refreshToken = randomToken();
  const familyId = newId('fam');
  await database(db)
    .insert(sessions)
    .values({
      id: newId('ses'),
      family_id: familyId,
      user_id: userId,
      token_hash: await sha256Hex(refreshToken),
      status: 'active',
      created_at: iso(now),
      expires_at: expiresAt(now, ttlDays),
    });
  return { userId, familyId, refreshToken };
}

/**
 * The read that says whether a sign-in still stands (a row, or none): an access token is
 * honoured only while its family has a live refresh token, so logout and a reused refresh
 * token end its access tokens at once. One read on the family index, built but not run, so
 * the caller can send it with other work (the rate counts).
 */
export function liveSessionRead(db: D1Database, familyId: string) {
  return database(db)
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.family_id, familyId), eq(sessions.status, 'active')))
    .limit(1);
}

/** The same check as a condition, for a write that may happen only while the sign-in stands. */
export function liveSession(db: D1Database, familyId: string) {
  return exists(
    database(db)
      .select({ one: sql`1` })
      .from(sessions)
      .where(and(eq(sessions.family_id, familyId), eq(sessions.status, 'active'))),
  );
}

export async function isSessionLive(db: D1Database, familyId: string): Promise<boolean> {
  return (await liveSessionRead(db, familyId)).length > 0;
}

export async function revokeFamily(db: D1Database, familyId: string): Promise<void> {
  await database(db).update(sessions).set({ status: 'revoked' }).where(eq(sessions.family_id, familyId));
}

/** Trades a live refresh token for a new one in the same family. */
export async function rotateSession(db: D1Database, refreshToken: string, now: Date, ttlDays: number): Promise<IssuedSession> {
  const d = database(db);
  const session = await d
    .select({ id: sessions.id, family_id: sessions.family_id, user_id: sessions.user_id, status: sessions.status, expires_at: sessions.expires_at })
    .from(sessions)
    .where(eq(sessions.token_hash, await sha256Hex(refreshToken)))
    .get();
  if (!session) throw unauthorized('This sign-in is not known. Sign in again.');
  if (session.status !== 'active') {
    await revokeFamily(db, session.family_id);
    throw unauthorized('This sign-in was ended for your safety. Sign in again.');
  }
  if (session.expires_at <= iso(now)) throw unauthorized('This sign-in has expired. Sign in again.');

  const next = { id: newId('ses'), token: randomToken() };
  const nextHash = await sha256Hex(next.token);
  const [, inserted] = await d.batch([
    // The guarded transition: only one refresh finds the token active and names its successor.
    d
      .update(sessions)
      .set({ status: 'rotated', replaced_by: next.id })
      .where(and(eq(sessions.id, session.id), eq(sessions.status, 'active'))),
    // Written only if the update above named this successor, read back in the same statement.
    d
      .insert(sessions)
      .select((qb) =>
        qb
          .select({
            id: given(next.id, 'id'),
            family_id: sessions.family_id,
            user_id: sessions.user_id,
            token_hash: given(nextHash, 'token_hash'),
            status: given<SessionStatus>('active', 'status'),
            replaced_by: given(null, 'replaced_by'),
            created_at: given(iso(now), 'created_at'),
            expires_at: given(expiresAt(now, ttlDays), 'expires_at'),
          })
          .from(sessions)
          .where(and(eq(sessions.id, session.id), eq(sessions.replaced_by, next.id))),
      )
      .returning({ id: sessions.id }),
  ]);
  if (!inserted.length) {
    // Another refresh with the same token got there first: the token was used twice.
    await revokeFamily(db, session.family_id);
    throw unauthorized('This sign-in was ended for your safety. Sign in again.');
  }
  return { userId: session.user_id, familyId: session.family_id, refreshToken: next.token };
}

export async function endSessionByToken(db: D1Database, refreshToken: string): Promise<void> {
  const session = await database(db)
    .select({ family_id: sessions.family_id })
    .from(sessions)
    .where(eq(sessions.token_hash, await sha256Hex(refreshToken)))
    .get();
  if (session) await revokeFamily(db, session.family_id);
}
