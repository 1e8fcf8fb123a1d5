// People: found by email, created on first sign-in together with their credit account and a
// unique public handle (derived from the email's local part; the email itself is never public).
import { and, eq, gte, isNull, lt } from 'drizzle-orm';
import type { User as UserDto } from '../../shared/api/auth';
import { roleNames } from '../../shared/statuses';
import { database } from '../db/client';
import { given } from '../db/insert-select';
import { newId } from '../db/ids';
import { violatesUnique } from '../db/constraints';
import { creditAccounts, type Role, type UserRow, users } from '../db/schema';
import { iso } from '../db/time';
import { conflict, notFound } from './errors';

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
  return ensureHandle(db, user);
}

const HANDLE_MAX = 30;

/**
 * The handle an email suggests: its local part (before any +tag), lowercased, other characters
 * as `_`, starting with a letter or digit, at most 30 long. Shorter than 3: padded by
 * `freeHandle` with digits.
 */
export function handleBase(email: string): string {
  const local = email.split('@')[0]!.split('+')[0]!.toLowerCase();
  const base = local
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, HANDLE_MAX);
  return base || 'user';
}

/** `base` if nobody has it, else `base` followed by the smallest free number (2, 3, …), within 30 characters. */
async function freeHandle(db: D1Database, base: string): Promise<string> {
  // Every handle that starts with `base` (handles hold only [a-z0-9_], all before '{'): one index range.
  const taken = new Set(
    (await database(db).select({ handle: users.handle }).from(users).where(and(gte(users.handle, base), lt(users.handle, `${base}{`)))).map((u) => u.handle),
  );
  if (base.length >= 3 && !taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const digits = String(n);
    const candidate = `${base.slice(0, HANDLE_MAX - digits.length)}${digits}`;
    if (candidate.length >= 3 && !taken.has(candidate)) return candidate;
    if (candidate.length < 3 && !taken.has(candidate.padEnd(3, '0'))) return candidate.padEnd(3, '0');
  }
}

/**
 * Gives a user without a handle (new, or created before handles existed) one from their email,
 * and their handle as display name if they have none. The unique index decides a race: the
 * loser reads the handles again and takes the next free one.
 */
export async function ensureHandle(db: D1Database, user: UserRow, preferred?: string): Promise<UserRow> {
  if (user.handle) return user;
  const d = database(db);
  const base = preferred ?? handleBase(user.email);
  for (let attempt = 0; attempt < 5; attempt++) {
    const handle = attempt < 4 ? await freeHandle(db, base) : `${base.slice(0, HANDLE_MAX - 6)}${crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000}`;
    try {
      const updated = await d
        .update(users)
        .set({ handle, display_name: user.display_name ?? handle })
        .where(and(eq(users.id, user.id), isNull(users.handle)))
        .returning()
        .get();
      // Nothing updated: it got a handle meanwhile (a concurrent first read).
      return updated ?? (await d.select().from(users).where(eq(users.id, user.id)).get()) ?? user;
    } catch (error) {
      if (!violatesUnique(error, 'users')) throw error;
    }
  }
  throw conflict('No free handle could be found for this account just now; try again.');
}

export async function findUserByEmail(db: D1Database, email: string): Promise<UserRow | null> {
  return (await database(db).select().from(users).where(eq(users.email, email)).get()) ?? null;
}

/**
 * Returns the user with this email, creating them and their empty credit account at once, with
 * a handle from the email (or `profile`'s, when free: the seed's demo creator).
 */
export async function findOrCreateUser(db: D1Database, email: string, now: Date, profile?: { handle: string; display_name: string }): Promise<UserRow> {
  const existing = await findUserByEmail(db, email);
  if (existing) return ensureHandle(db, existing);
  const d = database(db);
  await d.batch([
    d.insert(users).values({ id: newId('usr'), email, role: 'user', display_name: profile?.display_name ?? null, created_at: iso(now) }).onConflictDoNothing(),
    // Keyed on the row that won, so two first sign-ins at once still make one account.
    d
      .insert(creditAccounts)
      .select((qb) =>
        qb
          .select({ user_id: users.id, balance: given(0, 'balance'), held: given(0, 'held'), updated_at: given(iso(now), 'updated_at'), owed: given(0, 'owed') })
          .from(users)
          .where(eq(users.email, email)),
      )
      .onConflictDoNothing(),
  ]);
  const created = await findUserByEmail(db, email);
  if (!created) throw notFound('The account');
  return ensureHandle(db, created, profile?.handle);
}

/** Gives a person a role (development's /dev/roles; production sets roles in D1). Their next sign-in or refresh carries it. */
export async function setRole(db: D1Database, email: string, role: Role, now: Date): Promise<Role[]> {
  const user = await findOrCreateUser(db, email, now);
  await database(db).update(users).set({ role }).where(eq(users.id, user.id)).run();
  return rolesOf(role);
}
