// The credits ledger. Every change to an account is one D1 batch (atomic): the account update
// and its ledger row together. The schema's CHECKs abort a batch that would overdraw, and the
// UNIQUE (user_id, idempotency_key) makes a retried change abort instead of applying twice.
// Holds reserve credits for work in flight and settle exactly once, through a guarded
// transition (`WHERE status = 'held'`) whose token the rest of the batch must see.
// Credits a refunded purchase takes back beyond what is available become `owed` (the balance
// never goes below zero); while anything is owed the migration's trigger refuses every hold and
// debit, and credits that come in settle it first.
import { and, desc, eq, exists, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { LedgerEntry as LedgerEntryDto } from '../../shared/api/credits';
import { fromBase64Url, toBase64Url } from '../../shared/encoding';
import { type BatchItem, type Database, database } from '../db/client';
import { given, givenRow } from '../db/insert-select';
import { violatesCheck, violatesUnique } from '../db/constraints';
import { newId } from '../db/ids';
import { creditAccounts, type HoldRow, type HoldStatus, holds, type LedgerEntryRow, type LedgerKind, ledgerEntries } from '../db/schema';
import { addMinutes, iso } from '../db/time';
import { conflict, DomainError, insufficientCredits, notFound } from './errors';

/** What the trigger `credit_accounts_no_spending_while_owing` (migration 0012) raises. */
const OWING = 'account_owing';

export interface Credits {
  balance: number;
  held: number;
  available: number;
  /** Taken back by a refund or lost dispute beyond the balance: the account spends nothing until it is settled. */
  owed: number;
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

export const toLedgerEntry = (r: LedgerEntryRow): LedgerEntryDto => ({
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

/** The token a settle writes to its hold; the rest of that settle's batch runs only where it is found. */
interface SettleGuard {
  holdId: string;
  token: string;
}

/** Only the batch that wrote this settle token to the hold may move its credits. */
const settledBy = (d: Database, guard: SettleGuard) =>
  exists(d.select({ one: sql`1` }).from(holds).where(and(eq(holds.id, guard.holdId), eq(holds.settle_token, guard.token))));

/**
 * Writes a ledger row from the account as it stands after the preceding statement: an
 * `INSERT … SELECT` reads balance_after and held_after in the same statement, so no
 * concurrent change can slip between the update and its record. A row written before its
 * change (`computed`) reckons its amount and the balance after from the account as it stands.
 */
function ledgerRow(
  d: Database,
  e: { userId: string; kind: LedgerKind; amount: number; heldChange: number; ref: string | null; key: string; now: string; id?: string },
  onlyIf?: SQL,
  computed?: { amount: SQL; balanceAfter: SQL },
): BatchItem {
  return d.insert(ledgerEntries).select((qb) =>
    qb
      .select({
        // NULL lets SQLite number the row (the autoincrement key).
        seq: given(null, 'seq'),
        id: given(e.id ?? newId('le'), 'id'),
        user_id: creditAccounts.user_id,
        kind: given(e.kind, 'kind'),
        amount: computed ? computed.amount.as('amount') : given(e.amount, 'amount'),
        held_change: given(e.heldChange, 'held_change'),
        balance_after: computed ? computed.balanceAfter.as('balance_after') : creditAccounts.balance,
        held_after: creditAccounts.held,
        ref: given(e.ref, 'ref'),
        idempotency_key: given(e.key, 'idempotency_key'),
        created_at: given(e.now, 'created_at'),
      })
      .from(creditAccounts)
      .where(and(eq(creditAccounts.user_id, e.userId), onlyIf)),
  );
}

/** Moves an account's balance (and held credits) by a signed amount: arithmetic in SQL, so concurrent changes add up. */
function adjustAccount(d: Database, change: { userId: string; balance?: number; held?: number; now: string }, onlyIf?: SQL): BatchItem {
  return d
    .update(creditAccounts)
    .set({
      ...(change.balance ? { balance: sql`${creditAccounts.balance} + ${change.balance}` } : {}),
      ...(change.held ? { held: sql`${creditAccounts.held} + ${change.held}` } : {}),
      updated_at: change.now,
    })
    .where(and(eq(creditAccounts.user_id, change.userId), onlyIf));
}

/** The amount of the ledger row `id`, as a value inside a later statement of the same batch. */
const amountOfRow = (d: Database, id: string) => sql<number>`(${d.select({ amount: ledgerEntries.amount }).from(ledgerEntries).where(eq(ledgerEntries.id, id))})`;
const rowWritten = (d: Database, id: string) => exists(d.select({ one: sql`1` }).from(ledgerEntries).where(eq(ledgerEntries.id, id)));

/**
 * Pays what the account owes from its available credits, as far as they go: one ledger row
 * (kind `purchase`, a debit: it pays back what a taken-back purchase left owing; its ref is the
 * change that brought the credits in) and the account update it records, or nothing where
 * nothing is owed or available. Spread into a batch after that change (under the same guard),
 * so both commit together; owed moves with the balance, which is what lets the trigger allow it.
 */
function settleOwed(d: Database, e: { userId: string; ref: string | null; key: string; now: string }, onlyIf?: SQL): [BatchItem, BatchItem] {
  const id = newId('le');
  const settled = sql<number>`MIN(${creditAccounts.owed}, ${creditAccounts.balance} - ${creditAccounts.held})`;
  const owing = and(sql`${creditAccounts.owed} > 0`, sql`${creditAccounts.balance} > ${creditAccounts.held}`, onlyIf);
  return [
    ledgerRow(d, { ...e, kind: 'purchase', id, amount: 0, heldChange: 0 }, owing, { amount: sql`-${settled}`, balanceAfter: sql`${creditAccounts.balance} - ${settled}` }),
    d
      .update(creditAccounts)
      .set({ balance: sql`${creditAccounts.balance} + ${amountOfRow(d, id)}`, owed: sql`${creditAccounts.owed} + ${amountOfRow(d, id)}`, updated_at: e.now })
      .where(and(eq(creditAccounts.user_id, e.userId), rowWritten(d, id))),
  ];
}

/** Where the ledger row for settling owed credits from a change keyed `key` is keyed (a prefix: no key family of the change's own can take it for one of theirs). */
export const settlingKey = (key: string) => `settles-owed:${key}`;

export interface TakeBackInput {
  userId: string;
  /** Credits to take back (above zero): from what is available, the rest becomes owed. */
  credits: number;
  kind: Extract<LedgerKind, 'purchase'>;
  ref: string;
  key: string;
  now: Date;
  /** Takes back only where this holds inside the caller's batch (else the batch changes no credits). */
  onlyIf?: SQL;
}

export interface PreparedTakeBack {
  /** The ledger row recording what was taken from the balance (its amount, zero or less). */
  entryId: string;
  statements: [BatchItem, ...BatchItem[]];
}

/**
 * The statements that take credits back (a refunded or lost-disputed purchase), for a caller's
 * batch. The balance never goes below zero: what is available is taken (one ledger row,
 * written first and reckoned from the account as it stands), the rest is added to `owed`.
 * Anything already owed is settled from what is available first, so that an owing account
 * has nothing available and the take either moves owed or takes nothing.
 */
export function prepareTakeBack(db: D1Database, input: TakeBackInput): PreparedTakeBack {
  assertCredits(input.credits, 'Credits taken back');
  const d = database(db);
  const now = iso(input.now);
  const entryId = newId('le');
  const taken = sql<number>`MIN(${input.credits}, ${creditAccounts.balance} - ${creditAccounts.held})`;
  return {
    entryId,
    statements: [
      ...settleOwed(d, { userId: input.userId, ref: input.ref, key: settlingKey(input.key), now }, input.onlyIf),
      ledgerRow(d, { userId: input.userId, kind: input.kind, amount: 0, heldChange: 0, ref: input.ref, key: input.key, now, id: entryId }, input.onlyIf, {
        amount: sql`-${taken}`,
        balanceAfter: sql`${creditAccounts.balance} - ${taken}`,
      }),
      d
        .update(creditAccounts)
        .set({
          balance: sql`${creditAccounts.balance} + ${amountOfRow(d, entryId)}`,
          owed: sql`${creditAccounts.owed} + ${input.credits} + ${amountOfRow(d, entryId)}`,
          updated_at: now,
        })
        .where(and(eq(creditAccounts.user_id, input.userId), rowWritten(d, entryId))),
    ],
  };
}

/**
 * The statements that add credits (a purchase's pack), for a caller's batch: the account update,
 * its ledger row, and the settling of anything owed from them (a second row, keyed
 * `settlingKey(key)`), all only where `onlyIf` holds.
 */
export function prepareCredit(
  db: D1Database,
  change: { userId: string; kind: CreditInput['kind']; amount: number; ref: string | null; key: string; now: Date; onlyIf?: SQL },
): [BatchItem, ...BatchItem[]] {
  assertCredits(change.amount, 'A grant');
  const d = database(db);
  const now = iso(change.now);
  return [
    adjustAccount(d, { userId: change.userId, balance: change.amount, now }, change.onlyIf),
    ledgerRow(d, { userId: change.userId, kind: change.kind, amount: change.amount, heldChange: 0, ref: change.ref, key: change.key, now }, change.onlyIf),
    ...settleOwed(d, { userId: change.userId, ref: change.ref, key: settlingKey(change.key), now }, change.onlyIf),
  ];
}

/**
 * The statements of one balance change (a debit when `amount` is negative), for a caller's
 * batch: the account update and its ledger row, keyed so a retry aborts instead of repeating.
 */
export function prepareBalanceChange(
  db: D1Database,
  change: { userId: string; kind: LedgerKind; amount: number; ref: string; key: string; now: Date },
): [BatchItem, ...BatchItem[]] {
  const d = database(db);
  const now = iso(change.now);
  return [
    adjustAccount(d, { userId: change.userId, balance: change.amount, now }),
    ledgerRow(d, { userId: change.userId, kind: change.kind, amount: change.amount, heldChange: 0, ref: change.ref, key: change.key, now }),
    // Credits coming in (an earning) settle what the account owes first.
    ...(change.amount > 0 ? settleOwed(d, { userId: change.userId, ref: change.ref, key: settlingKey(change.key), now }) : []),
  ];
}

export async function getCredits(db: D1Database, userId: string): Promise<Credits> {
  const row = await database(db)
    .select({ balance: creditAccounts.balance, held: creditAccounts.held, owed: creditAccounts.owed })
    .from(creditAccounts)
    .where(eq(creditAccounts.user_id, userId))
    .get();
  if (!row) throw notFound('The credit account');
  return { balance: row.balance, held: row.held, available: row.balance - row.held, owed: row.owed };
}

async function entryByKey(d: Database, userId: string, key: string): Promise<LedgerEntryRow | undefined> {
  return d
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.user_id, userId), eq(ledgerEntries.idempotency_key, key)))
    .get();
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
 * Adds credits (settling anything owed from them first). A retry with the same idempotency key
 * returns the first entry; the same key for a different amount is a conflict.
 */
export async function credit(db: D1Database, input: CreditInput): Promise<LedgerEntryDto> {
  const d = database(db);
  const ref = input.ref ?? null;
  try {
    await d.batch(prepareCredit(db, { userId: input.userId, kind: input.kind, amount: input.amount, ref, key: input.idempotencyKey, now: input.now }));
  } catch (error) {
    if (!violatesUnique(error, 'ledger_entries')) throw error;
  }
  const entry = await entryByKey(d, input.userId, input.idempotencyKey);
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
  /** Places the hold only where this holds inside the caller's batch (else the batch changes no credits). */
  onlyIf?: SQL;
}

async function holdByKey(d: Database, userId: string, key: string): Promise<HoldRow | undefined> {
  return d
    .select()
    .from(holds)
    .where(and(eq(holds.user_id, userId), eq(holds.idempotency_key, key)))
    .get();
}

export interface PreparedHold {
  id: string;
  /** Built on `database(db)`, not run: spread them into the caller's own `batch([...])`. */
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
  const row = {
    id,
    user_id: input.userId,
    amount: input.amount,
    status: 'held',
    ref: input.ref ?? null,
    idempotency_key: input.idempotencyKey,
    created_at: now,
    expires_at: iso(addMinutes(input.now, input.ttlMinutes)),
  } satisfies typeof holds.$inferInsert;
  // Guarded, the hold is written from the account row where the condition holds, and the
  // account and its ledger row move only where that hold was written.
  const placed = input.onlyIf && exists(d.select({ one: sql`1` }).from(holds).where(eq(holds.id, id)));
  return {
    id,
    statements: [
      input.onlyIf
        ? d.insert(holds).select((qb) => qb.select(givenRow(holds, row)).from(creditAccounts).where(and(eq(creditAccounts.user_id, input.userId), input.onlyIf)))
        : d.insert(holds).values(row),
      adjustAccount(d, { userId: input.userId, held: input.amount, now }, placed),
      ledgerRow(d, { userId: input.userId, kind: 'hold', amount: 0, heldChange: input.amount, ref: id, key: `hold:${id}`, now }, placed),
    ],
  };
}

/** Whether a batch was aborted by the trigger that stops an owing account spending. */
function stoppedWhileOwing(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e.message.includes(OWING)) return true;
  }
  return false;
}

/** The refusal of any spending while a taken-back purchase leaves credits owing. */
export const accountOwing = (owed: number) =>
  new DomainError(
    'account_owing',
    owed > 0
      ? `A refunded purchase left ${owed} credit${owed === 1 ? '' : 's'} owing. Buy credits to settle ${owed === 1 ? 'it' : 'them'}, then try again.`
      : 'A refunded purchase left credits owing a moment ago. Try again.',
    { owed },
  );

/**
 * Turns a batch failure caused by an overdraft (a hold or a debit) into insufficient_credits,
 * and one refused because the account owes credits into account_owing; other errors pass.
 */
export async function explainOverdraft(db: D1Database, error: unknown, userId: string, needed: number): Promise<void> {
  if (stoppedWhileOwing(error)) throw accountOwing((await getCredits(db, userId)).owed);
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
  const d = database(db);
  const ref = input.ref ?? null;
  try {
    await d.batch(prepareHold(db, input).statements);
  } catch (error) {
    await explainOverdraft(db, error, input.userId, input.amount);
    if (!violatesUnique(error, 'holds')) throw error;
  }
  const row = await holdByKey(d, input.userId, input.idempotencyKey);
  if (!row) throw notFound('The credit account');
  if (row.amount !== input.amount || row.ref !== ref) {
    throw conflict('This idempotency key was already used for a different hold.');
  }
  return toHold(row);
}

export async function getHold(db: D1Database, holdId: string): Promise<Hold> {
  const row = await database(db).select().from(holds).where(eq(holds.id, holdId)).get();
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
  const d = database(db);
  const token = newId('settle');
  const now = iso(input.now);
  const refund = current.amount - input.charge;
  const guard = settledBy(d, { holdId: current.id, token });
  const statements: [BatchItem, ...BatchItem[]] = [
    // The guarded transition: only one settle finds the hold still held and writes its token.
    d
      .update(holds)
      .set({ status: input.status ?? 'settled', charged: input.charge, refunded: refund, settle_token: token, settled_at: now })
      .where(and(eq(holds.id, current.id), eq(holds.status, 'held'))),
  ];
  if (input.charge > 0) {
    statements.push(
      adjustAccount(d, { userId: current.userId, balance: -input.charge, held: -input.charge, now }, guard),
      ledgerRow(d, { userId: current.userId, kind: 'charge', amount: -input.charge, heldChange: -input.charge, ref: current.id, key: `charge:${current.id}`, now }, guard),
    );
  }
  if (refund > 0) {
    statements.push(
      adjustAccount(d, { userId: current.userId, held: -refund, now }, guard),
      ledgerRow(d, { userId: current.userId, kind: 'refund', amount: 0, heldChange: -refund, ref: current.id, key: `refund:${current.id}`, now }, guard),
      // Released credits settle what the account owes (a purchase taken back while this work ran).
      ...settleOwed(d, { userId: current.userId, ref: current.id, key: settlingKey(`refund:${current.id}`), now }, guard),
    );
  }
  try {
    await d.batch(statements);
  } catch (error) {
    // A concurrent settle that got there first makes our ledger rows collide; theirs stand.
    if (!violatesUnique(error, 'ledger_entries')) throw error;
  }
  return getHold(db, current.id);
}

/** Releases holds whose work never reported back: nothing charged, everything refunded. */
export async function expireHolds(db: D1Database, now: Date, limit = 100): Promise<Hold[]> {
  const due = await database(db)
    .select({ id: holds.id })
    .from(holds)
    .where(and(eq(holds.status, 'held'), lte(holds.expires_at, iso(now))))
    .orderBy(holds.expires_at)
    .limit(limit);
  const expired: Hold[] = [];
  for (const { id } of due) expired.push(await settle(db, { holdId: id, charge: 0, now, status: 'expired' }));
  return expired;
}

export interface LedgerPage {
  items: LedgerEntryDto[];
  next_cursor: string | null;
}

const encodeCursor = (seq: number) => toBase64Url(new TextEncoder().encode(`seq:${seq}`));
function decodeCursor(cursor: string): number {
  try {
    const match = /^seq:(\d+)$/.exec(new TextDecoder().decode(fromBase64Url(cursor)));
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
  const results = await database(db)
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.user_id, userId), lt(ledgerEntries.seq, before)))
    .orderBy(desc(ledgerEntries.seq))
    .limit(page.limit + 1);
  const rows = results.slice(0, page.limit);
  const last = rows.at(-1);
  return {
    items: rows.map(toLedgerEntry),
    next_cursor: results.length > page.limit && last ? encodeCursor(last.seq) : null,
  };
}
