// The credits ledger. Every change to an account is one D1 batch (atomic): the account update
// and its ledger row together. The schema's CHECKs abort a batch that would overdraw, and the
// UNIQUE (user_id, idempotency_key) makes a retried change abort instead of applying twice.
// Holds reserve credits for work in flight and settle exactly once, through a guarded
// transition (`WHERE status = 'held'`) whose token the rest of the batch must see.
import type { LedgerEntry as LedgerEntryDto } from '../../shared/api/credits';
import { eq, sql } from 'drizzle-orm';
import { type BatchItem, database } from '../db/client';
import { violatesCheck, violatesUnique } from '../db/constraints';
import { newId } from '../db/ids';
import { creditAccounts, holds, ledgerEntries, type HoldStatus, type LedgerKind } from '../db/schema';
import { addMinutes, iso } from '../db/time';
import { conflict, DomainError, insufficientCredits, notFound } from './errors';

export interface Credits {
  balance: number;
  held: number;
  available: number;
}

export interface Hold {
  id: string;
  userId: string;
  amount: number;
  charged: number;
  refunded: number;
  status: HoldStatus;
  ref: string | null;
  createdAt: string;
  expiresAt: string;
  settledAt: string | null;
}

interface HoldRow {
  id: string;
  user_id: string;
  amount: number;
  charged: number;
  refunded: number;
  status: HoldStatus;
  ref: string | null;
  idempotency_key: string;
  created_at: string;
  expires_at: string;
  settled_at: string | null;
}

interface LedgerRow {
  seq: number;
  id: string;
  kind: LedgerKind;
  amount: number;
  held_change: number;
  balance_after: number;
  held_after: number;
  ref: string | null;
  idempotency_key: string;
  created_at: string;
}

const toHold = (r: HoldRow): Hold => ({
  id: r.id,
  userId: r.user_id,
  amount: r.amount,
  charged: r.charged,
  refunded: r.refunded,
  status: r.status,
  ref: r.ref,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  settledAt: r.settled_at,
});

export const toLedgerEntry = (r: LedgerRow): LedgerEntryDto => ({
  id: r.id,
  kind: r.kind,
  amount: r.amount,
  held_change: r.held_change,
  balance_after: r.balance_after,
  held_after: r.held_after,
  ref: r.ref,
  created_at: r.created_at,
});

function assertCredits(amount: number, what: string) {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new DomainError('validation_failed', `${what} must be a whole number of credits above zero.`, {
      errors: [{ path: 'amount', message: 'A whole number above zero' }],
    });
  }
}

/** Writes a ledger row from the account as it stands after the preceding statement. */
function ledgerRow(
  db: D1Database,
  e: { userId: string; kind: LedgerKind; amount: number; heldChange: number; ref: string | null; key: string; now: string },
  guard?: { holdId: string; token: string },
): D1PreparedStatement {
  const guardSql = guard ? ' AND EXISTS (SELECT 1 FROM holds WHERE id = ?9 AND settle_token = ?10)' : '';
  const stmt = db.prepare(
    `INSERT INTO ledger_entries (id, user_id, kind, amount, held_change, balance_after, held_after, ref, idempotency_key, created_at)
     SELECT ?1, user_id, ?2, ?3, ?4, balance, held, ?5, ?6, ?7 FROM credit_accounts WHERE user_id = ?8${guardSql}`,
  );
  const params: unknown[] = [newId('le'), e.kind, e.amount, e.heldChange, e.ref, e.key, e.now, e.userId];
  if (guard) params.push(guard.holdId, guard.token);
  return stmt.bind(...params);
}

/**
 * The statements of one balance change (a debit when `amount` is negative), for a caller's
 * batch: the account update and its ledger row, keyed so a retry aborts instead of repeating.
 */
export function prepareBalanceChange(
  db: D1Database,
  change: { userId: string; kind: LedgerKind; amount: number; ref: string; key: string; now: Date },
): D1PreparedStatement[] {
  const now = iso(change.now);
  return [
    db.prepare('UPDATE credit_accounts SET balance = balance + ?1, updated_at = ?2 WHERE user_id = ?3').bind(change.amount, now, change.userId),
    ledgerRow(db, { userId: change.userId, kind: change.kind, amount: change.amount, heldChange: 0, ref: change.ref, key: change.key, now }),
  ];
}

export async function getCredits(db: D1Database, userId: string): Promise<Credits> {
  const row = await db
    .prepare('SELECT balance, held FROM credit_accounts WHERE user_id = ?1')
    .bind(userId)
    .first<{ balance: number; held: number }>();
  if (!row) throw notFound('The credit account');
  return { balance: row.balance, held: row.held, available: row.balance - row.held };
}

async function entryByKey(db: D1Database, userId: string, key: string): Promise<LedgerRow | null> {
  return db
    .prepare('SELECT * FROM ledger_entries WHERE user_id = ?1 AND idempotency_key = ?2')
    .bind(userId, key)
    .first<LedgerRow>();
}

export interface CreditInput {
  userId: string;
  amount: number;
  kind: Extract<LedgerKind, 'grant' | 'purchase' | 'earning'>;
  ref?: string | null;
  idempotencyKey: string;
  now: Date;
}

/**
 * Adds credits. A retry with the same idempotency key returns the first entry; the same key
 * for a different amount is a conflict.
 */
export async function credit(db: D1Database, input: CreditInput): Promise<LedgerEntryDto> {
  assertCredits(input.amount, 'A grant');
  const now = iso(input.now);
  const ref = input.ref ?? null;
  try {
    await db.batch([
      db
        .prepare('UPDATE credit_accounts SET balance = balance + ?1, updated_at = ?2 WHERE user_id = ?3')
        .bind(input.amount, now, input.userId),
      ledgerRow(db, { userId: input.userId, kind: input.kind, amount: input.amount, heldChange: 0, ref, key: input.idempotencyKey, now }),
    ]);
  } catch (error) {
    if (!violatesUnique(error, 'ledger_entries')) throw error;
  }
  const entry = await entryByKey(db, input.userId, input.idempotencyKey);
  if (!entry) throw notFound('The credit account');
  if (entry.kind !== input.kind || entry.amount !== input.amount || entry.ref !== ref) {
    throw conflict('This idempotency key was already used for a different change.');
  }
  return toLedgerEntry(entry);
}

export interface HoldInput {
  userId: string;
  amount: number;
  ref?: string | null;
  idempotencyKey: string;
  now: Date;
  ttlMinutes: number;
}

async function holdByKey(db: D1Database, userId: string, key: string): Promise<HoldRow | null> {
  return db.prepare('SELECT * FROM holds WHERE user_id = ?1 AND idempotency_key = ?2').bind(userId, key).first<HoldRow>();
}

export interface PreparedHold {
  id: string;
  /** Drizzle queries (not run), so the caller can put them in its own `database(d1).batch`. */
  statements: [BatchItem, ...BatchItem[]];
}

/**
 * The statements that reserve credits, for a caller to run inside its own batch (so the
 * hold and the work it pays for are written together or not at all).
 */
export function prepareHold(db: D1Database, input: HoldInput): PreparedHold {
  assertCredits(input.amount, 'A hold');
  const d = database(db);
  const id = newId('hold');
  const now = iso(input.now);
  // The ledger row reads the account as the preceding update left it, inside the same batch.
  const entry = d
    .select({
      seq: sql<number>`NULL`.as('seq'),
      id: sql<string>`${newId('le')}`.as('id'),
      user_id: creditAccounts.user_id,
      kind: sql<LedgerKind>`${'hold'}`.as('kind'),
      amount: sql<number>`${0}`.as('amount'),
      held_change: sql<number>`${input.amount}`.as('held_change'),
      balance_after: creditAccounts.balance,
      held_after: creditAccounts.held,
      ref: sql<string>`${id}`.as('ref'),
      idempotency_key: sql<string>`${`hold:${id}`}`.as('idempotency_key'),
      created_at: sql<string>`${now}`.as('created_at'),
    })
    .from(creditAccounts)
    .where(eq(creditAccounts.user_id, input.userId));
  return {
    id,
    statements: [
      d.insert(holds).values({
        id,
        user_id: input.userId,
        amount: input.amount,
        status: 'held',
        ref: input.ref ?? null,
        idempotency_key: input.idempotencyKey,
        created_at: now,
        expires_at: iso(addMinutes(input.now, input.ttlMinutes)),
      }),
      d
        .update(creditAccounts)
        .set({ held: sql`${creditAccounts.held} + ${input.amount}`, updated_at: now })
        .where(eq(creditAccounts.user_id, input.userId)),
      d.insert(ledgerEntries).select(entry),
    ],
  };
}

/** Turns a batch failure caused by an overdraft (a hold or a debit) into insufficient_credits; other errors pass. */
export async function explainOverdraft(db: D1Database, error: unknown, userId: string, needed: number): Promise<void> {
  if (violatesCheck(error, 'available_not_negative') || violatesCheck(error, 'balance_not_negative')) {
    const { available } = await getCredits(db, userId);
    throw insufficientCredits(needed, available);
  }
}

/**
 * Reserves credits for work about to run. Fails with insufficient_credits (nothing changed)
 * when the account's available credits do not cover it.
 */
export async function hold(db: D1Database, input: HoldInput): Promise<Hold> {
  const ref = input.ref ?? null;
  try {
    await database(db).batch(prepareHold(db, input).statements);
  } catch (error) {
    await explainOverdraft(db, error, input.userId, input.amount);
    if (!violatesUnique(error, 'holds')) throw error;
  }
  const row = await holdByKey(db, input.userId, input.idempotencyKey);
  if (!row) throw notFound('The credit account');
  if (row.amount !== input.amount || row.ref !== ref) {
    throw conflict('This idempotency key was already used for a different hold.');
  }
  return toHold(row);
}

export async function getHold(db: D1Database, holdId: string): Promise<Hold> {
  const row = await db.prepare('SELECT * FROM holds WHERE id = ?1').bind(holdId).first<HoldRow>();
  if (!row) throw notFound('The hold');
  return toHold(row);
}

/**
 * Settles a hold once: charges `charge` credits (what was delivered) and releases the rest.
 * Settling a settled hold changes nothing and returns it as it is.
 */
export async function settle(
  db: D1Database,
  input: { holdId: string; charge: number; now: Date; status?: Exclude<HoldStatus, 'held'> },
): Promise<Hold> {
  const current = await getHold(db, input.holdId);
  if (current.status !== 'held') return current;
  if (!Number.isSafeInteger(input.charge) || input.charge < 0 || input.charge > current.amount) {
    throw new DomainError('validation_failed', `A charge must be between 0 and the ${current.amount} credits held.`);
  }
  const token = newId('settle');
  const now = iso(input.now);
  const refund = current.amount - input.charge;
  const guard = { holdId: current.id, token };
  const guarded = ' AND EXISTS (SELECT 1 FROM holds WHERE id = ?4 AND settle_token = ?5)';
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `UPDATE holds SET status = ?1, charged = ?2, refunded = ?3, settle_token = ?4, settled_at = ?5
         WHERE id = ?6 AND status = 'held'`,
      )
      .bind(input.status ?? 'settled', input.charge, refund, token, now, current.id),
  ];
  if (input.charge > 0) {
    statements.push(
      db
        .prepare(`UPDATE credit_accounts SET balance = balance - ?1, held = held - ?1, updated_at = ?2 WHERE user_id = ?3${guarded}`)
        .bind(input.charge, now, current.userId, current.id, token),
      ledgerRow(db, { userId: current.userId, kind: 'charge', amount: -input.charge, heldChange: -input.charge, ref: current.id, key: `charge:${current.id}`, now }, guard),
    );
  }
  if (refund > 0) {
    statements.push(
      db
        .prepare(`UPDATE credit_accounts SET held = held - ?1, updated_at = ?2 WHERE user_id = ?3${guarded}`)
        .bind(refund, now, current.userId, current.id, token),
      ledgerRow(db, { userId: current.userId, kind: 'refund', amount: 0, heldChange: -refund, ref: current.id, key: `refund:${current.id}`, now }, guard),
    );
  }
  try {
    await db.batch(statements);
  } catch (error) {
    // A concurrent settle that got there first makes our ledger rows collide; theirs stand.
    if (!violatesUnique(error, 'ledger_entries')) throw error;
  }
  return getHold(db, current.id);
}

/** Releases holds whose work never reported back: nothing charged, everything refunded. */
export async function expireHolds(db: D1Database, now: Date, limit = 100): Promise<Hold[]> {
  const { results } = await db
    .prepare("SELECT id FROM holds WHERE status = 'held' AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2")
    .bind(iso(now), limit)
    .all<{ id: string }>();
  const expired: Hold[] = [];
  for (const { id } of results) expired.push(await settle(db, { holdId: id, charge: 0, now, status: 'expired' }));
  return expired;
}

export interface LedgerPage {
  items: LedgerEntryDto[];
  next_cursor: string | null;
}

const encodeCursor = (seq: number) => btoa(`seq:${seq}`).replace(/=+$/, '');
function decodeCursor(cursor: string): number {
  try {
    const match = /^seq:(\d+)$/.exec(atob(cursor));
    if (match) return Number(match[1]);
  } catch {
    // falls through to the validation error
  }
  throw new DomainError('validation_failed', 'That list cursor is not valid.', {
    errors: [{ path: 'cursor', message: 'Use next_cursor from the previous page' }],
  });
}

/** The user's ledger, newest first. */
export async function listLedger(
  db: D1Database,
  userId: string,
  page: { limit: number; cursor?: string },
): Promise<LedgerPage> {
  const before = page.cursor ? decodeCursor(page.cursor) : Number.MAX_SAFE_INTEGER;
  const { results } = await db
    .prepare('SELECT * FROM ledger_entries WHERE user_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3')
    .bind(userId, before, page.limit + 1)
    .all<LedgerRow>();
  const rows = results.slice(0, page.limit);
  const last = rows.at(-1);
  return {
    items: rows.map(toLedgerEntry),
    next_cursor: results.length > page.limit && last ? encodeCursor(last.seq) : null,
  };
}
