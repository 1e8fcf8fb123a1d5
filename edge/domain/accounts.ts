// People: found by email, created on first sign-in together with their credit account.
import { eq } from 'drizzle-orm';
import type { User as UserDto } from '../../shared/api/auth';
import { roleNames } from '../../shared/statuses';
import { database } from '../db/client';
import { given } from '../db/insert-select';
import { newId } from '../db/ids';
import { creditAccounts, type Role, type UserRow, users } from '../db/schema';
import { iso } from '../db/time';
import { notFound } from './errors';

/**
 * A role includes the ones below it: an admin moderates, a moderator is a user. The one list
 * of roles runs from least to most trusted, so the roles below are the ones before it.
 */
export function rolesOf(role: Role): Role[] {
  return roleNames.slice(0, roleNames.indexOf(role) + 1);
}

export const toUserDto = (u: UserRow): UserDto => ({
  id: u.id,
  email: u.email,
  handle: u.handle,
  display_name: u.display_name,
  roles: rolesOf(u.role),
});

export async function getUser(db: D1Database, id: string): Promise<UserRow> {
  const user = await database(db).select().from(users).where(eq(users.id, id)).get();
  if (!user) throw notFound('The account');
  return user;
}

export async function findUserByEmail(db: D1Database, email: string): Promise<UserRow | null> {
  return (await database(db).select().from(users).where(eq(users.email, email)).get()) ?? null;
}

/** Returns the user with this email, creating them and their empty credit account at once. */
export async function findOrCreateUser(db: D1Database, email: string, now: Date): Promise<UserRow> {
  const existing = await findUserByEmail(db, email);
  if (existing) return existing;
  const d = database(db);
  await d.batch([
    d.insert(users).values({ id: newId('usr'), email, role: 'user', created_at: iso(now) }).onConflictDoNothing(),
    // Keyed on the row that won, so two first sign-ins at once still make one account.
    d
      .insert(creditAccounts)
      .select((qb) =>
        qb
          .select({ user_id: users.id, balance: given(0, 'balance'), held: given(0, 'held'), updated_at: given(iso(now), 'updated_at') })
          .from(users)
          .where(eq(users.email, email)),
      )
      .onConflictDoNothing(),
  ]);
  const created = await findUserByEmail(db, email);
  if (!created) throw notFound('The account');
  return created;
}

/** Gives a person a role (development's /dev/roles; production sets roles in D1). Their next sign-in or refresh carries it. */
export async function setRole(db: D1Database, email: string, role: Role, now: Date): Promise<Role[]> {
  const user = await findOrCreateUser(db, email, now);
  await database(db).update(users).set({ role }).where(eq(users.id, user.id)).run();
  return rolesOf(role);
}
