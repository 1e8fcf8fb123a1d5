// Refresh tokens: random, stored as SHA-256, rotated on every use within a family. A token
// presented after it was rotated was copied: the whole family is revoked.
import { newId } from '../../db/ids';
import { addMinutes, iso } from '../../db/time';
import { unauthorized } from '../errors';
import { randomToken, sha256Hex } from './secrets';

interface SessionRow {
  id: string;
  family_id: string;
  user_id: string;
  status: 'active' | 'rotated' | 'revoked';
  expires_at: string;
}

export interface IssuedSession {
  userId: string;
  familyId: string;
  refreshToken: string;
}

function insertSession(db: D1Database, s: { id: string; familyId: string; userId: string; hash: string; now: Date; ttlDays: number }) {
  return db
    .prepare(
      `INSERT INTO sessions (id, family_id, user_id, token_hash, status, created_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6)`,
    )
    .bind(s.id, s.familyId, s.userId, s.hash, iso(s.now), iso(addMinutes(s.now, s.ttlDays * 24 * 60)));
}

export async function startSession(db: D1Database, userId: string, now: Date, ttlDays: number): Promise<IssuedSession> {
  const refreshToken = randomToken();
  const familyId = newId('fam');
  await insertSession(db, { id: newId('ses'), familyId, userId, hash: await sha256Hex(refreshToken), now, ttlDays }).run();
  return { userId, familyId, refreshToken };
}

export async function revokeFamily(db: D1Database, familyId: string): Promise<void> {
  await db.prepare("UPDATE sessions SET status = 'revoked' WHERE family_id = ?1").bind(familyId).run();
}

/** Trades a live refresh token for a new one in the same family. */
export async function rotateSession(db: D1Database, refreshToken: string, now: Date, ttlDays: number): Promise<IssuedSession> {
  const session = await db
    .prepare('SELECT id, family_id, user_id, status, expires_at FROM sessions WHERE token_hash = ?1')
    .bind(await sha256Hex(refreshToken))
    .first<SessionRow>();
  if (!session) throw unauthorized('This sign-in is not known. Sign in again.');
  if (session.status !== 'active') {
    await revokeFamily(db, session.family_id);
    throw unauthorized('This sign-in was ended for your safety. Sign in again.');
  }
  if (session.expires_at <= iso(now)) throw unauthorized('This sign-in has expired. Sign in again.');

  const next = { id: newId('ses'), token: randomToken() };
  await db.batch([
    db
      .prepare("UPDATE sessions SET status = 'rotated', replaced_by = ?1 WHERE id = ?2 AND status = 'active'")
      .bind(next.id, session.id),
    db
      .prepare(
        `INSERT INTO sessions (id, family_id, user_id, token_hash, status, created_at, expires_at)
         SELECT ?1, family_id, user_id, ?2, 'active', ?3, ?4 FROM sessions WHERE id = ?5 AND replaced_by = ?1`,
      )
      .bind(next.id, await sha256Hex(next.token), iso(now), iso(addMinutes(now, ttlDays * 24 * 60)), session.id),
  ]);
  const won = await db.prepare('SELECT 1 AS ok FROM sessions WHERE id = ?1').bind(next.id).first();
  if (!won) {
    // Another refresh with the same token got there first: the token was used twice.
    await revokeFamily(db, session.family_id);
    throw unauthorized('This sign-in was ended for your safety. Sign in again.');
  }
  return { userId: session.user_id, familyId: session.family_id, refreshToken: next.token };
}

export async function endSessionByToken(db: D1Database, refreshToken: string): Promise<void> {
  const session = await db
    .prepare('SELECT family_id FROM sessions WHERE token_hash = ?1')
    .bind(await sha256Hex(refreshToken))
    .first<{ family_id: string }>();
  if (session) await revokeFamily(db, session.family_id);
}
