// People: found by email, created on first sign-in together with their credit account.
import type { User as UserDto } from '../../shared/api/auth';
import { newId } from '../db/ids';
import type { Role } from '../db/schema';
import { iso } from '../db/time';
import { notFound } from './errors';

export interface UserRow {
  id: string;
  email: string;
  handle: string | null;
  display_name: string | null;
  role: Role;
  created_at: string;
}

/** A role includes the ones below it: an admin moderates, a moderator is a user. */
export function rolesOf(role: Role): Role[] {
  if (role === 'admin') return ['user', 'moderator', 'admin'];
  if (role === 'moderator') return ['user', 'moderator'];
  return ['user'];
}

export const toUserDto = (u: UserRow): UserDto => ({
  id: u.id,
  email: u.email,
  handle: u.handle,
  display_name: u.display_name,
  roles: rolesOf(u.role),
});

export async function getUser(db: D1Database, id: string): Promise<UserRow> {
  const user = await db.prepare('SELECT * FROM users WHERE id = ?1').bind(id).first<UserRow>();
  if (!user) throw notFound('The account');
  return user;
}

export async function findUserByEmail(db: D1Database, email: string): Promise<UserRow | null> {
  return db.prepare('SELECT * FROM users WHERE email = ?1').bind(email).first<UserRow>();
}

/** Returns the user with this email, creating them and their empty credit account at once. */
export async function findOrCreateUser(db: D1Database, email: string, now: Date): Promise<UserRow> {
  const existing = await findUserByEmail(db, email);
  if (existing) return existing;
  const id = newId('usr');
  await db.batch([
    db.prepare('INSERT OR IGNORE INTO users (id, email, role, created_at) VALUES (?1, ?2, ?3, ?4)').bind(id, email, 'user', iso(now)),
    // Keyed on the row that won, so two first sign-ins at once still make one account.
    db
      .prepare('INSERT OR IGNORE INTO credit_accounts (user_id, balance, held, updated_at) SELECT id, 0, 0, ?1 FROM users WHERE email = ?2')
      .bind(iso(now), email),
  ]);
  const created = await findUserByEmail(db, email);
  if (!created) throw notFound('The account');
  return created;
}
