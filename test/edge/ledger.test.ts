// The credits ledger as domain functions against real D1: atomic, never negative, never twice.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ledgerEntries } from '../../edge/db/schema';
import { findOrCreateUser } from '../../edge/domain/accounts';
import { DomainError } from '../../edge/domain/errors';
import { credit, expireHolds, getCredits, getHold, hold, listLedger, settle } from '../../edge/domain/ledger';
import { db as rows, ledgerSums } from './db';
import { env, randomEmail } from './support';

const db = () => env.DB;
const now = () => new Date();

async function userWith(balance: number) {
  const user = await findOrCreateUser(db(), randomEmail('ledger'), now());
  if (balance > 0) await credit(db(), { userId: user.id, amount: balance, kind: 'grant', idempotencyKey: `seed:${user.id}`, now: now() });
  return user.id;
}

const holdFor = (userId: string, amount: number, key: string = crypto.randomUUID(), ref: string | null = 'gen_test') =>
  hold(db(), { userId, amount, ref, idempotencyKey: key, now: now(), ttlMinutes: 60 });

async function expectLedgerMatchesAccount(userId: string) {
  const credits = await getCredits(db(), userId);
  const totals = await ledgerSums(userId);
  expect(totals.amount).toBe(credits.balance);
  expect(totals.held).toBe(credits.held);
  expect(credits.available).toBe(credits.balance - credits.held);
  return credits;
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('granting credits', () => {
  it('adds to the balance with a ledger entry that says the balance after', async () => {
    const userId = await userWith(0);
    const entry = await credit(db(), { userId, amount: 40, kind: 'grant', idempotencyKey: 'g1', now: now() });
    expect(entry).toMatchObject({ kind: 'grant', amount: 40, held_change: 0, balance_after: 40, held_after: 0 });
    expect(await expectLedgerMatchesAccount(userId)).toEqual({ balance: 40, held: 0, available: 40, owed: 0 });
  });

  it('replays a retried grant with the same idempotency key instead of adding twice', async () => {
    const userId = await userWith(0);
    const entries = await Promise.all(
      Array.from({ length: 10 }, () => credit(db(), { userId, amount: 25, kind: 'grant', idempotencyKey: 'same', now: now() })),
    );
    expect(new Set(entries.map((e) => e.id)).size).toBe(1);
    expect((await getCredits(db(), userId)).balance).toBe(25);
  });

  it('refuses the same key for a different amount', async () => {
    const userId = await userWith(0);
    await credit(db(), { userId, amount: 25, kind: 'grant', idempotencyKey: 'k', now: now() });
    expect((await rejection(credit(db(), { userId, amount: 26, kind: 'grant', idempotencyKey: 'k', now: now() }))).code).toBe('conflict');
    expect((await getCredits(db(), userId)).balance).toBe(25);
  });

  it('refuses zero, negative and fractional amounts, changing nothing', async () => {
    const userId = await userWith(10);
    for (const amount of [0, -5, 1.5]) {
      expect((await rejection(credit(db(), { userId, amount, kind: 'grant', idempotencyKey: `bad${amount}`, now: now() }))).code).toBe('validation_failed');
    }
    expect((await getCredits(db(), userId)).balance).toBe(10);
  });
});

describe('holding credits', () => {
  it('reserves credits: balance stays, available drops', async () => {
    const userId = await userWith(100);
    const h = await holdFor(userId, 48);
    expect(h).toMatchObject({ amount: 48, status: 'held', charged: 0, refunded: 0 });
    expect(await expectLedgerMatchesAccount(userId)).toEqual({ balance: 100, held: 48, available: 52, owed: 0 });
  });

  it('50 concurrent holds against a balance that covers 10: exactly 10 succeed, never below zero', async () => {
    const userId = await userWith(10 * 4);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => holdFor(userId, 4)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(10);
    expect(lost).toHaveLength(40);
    for (const r of lost) expect((r.reason as DomainError).code).toBe('insufficient_credits');
    expect(await expectLedgerMatchesAccount(userId)).toEqual({ balance: 40, held: 40, available: 0, owed: 0 });
    const minimum = await rows()
      .select({ lowest: sql<number>`MIN(${ledgerEntries.balance_after} - ${ledgerEntries.held_after})` })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.user_id, userId))
      .get();
    expect(minimum!.lowest).toBeGreaterThanOrEqual(0);
  });

  it('says how much was needed and how much is available when it cannot', async () => {
    const userId = await userWith(7);
    const error = await rejection(holdFor(userId, 8));
    expect(error).toMatchObject({ code: 'insufficient_credits', extra: { needed: 8, available: 7 } });
    expect(await expectLedgerMatchesAccount(userId)).toEqual({ balance: 7, held: 0, available: 7, owed: 0 });
  });

  it('returns the first hold for a replayed idempotency key, even concurrently', async () => {
    const userId = await userWith(100);
    const holds = await Promise.all(Array.from({ length: 8 }, () => holdFor(userId, 12, 'gen-key')));
    expect(new Set(holds.map((h) => h.id)).size).toBe(1);
    expect((await getCredits(db(), userId)).held).toBe(12);
  });

  it('refuses a replayed key that asks for a different hold', async () => {
    const userId = await userWith(100);
    await holdFor(userId, 12, 'k');
    expect((await rejection(holdFor(userId, 13, 'k'))).code).toBe('conflict');
  });

  it('keeps users apart: one user’s keys and balance do not touch another’s', async () => {
    const alice = await userWith(10);
    const bob = await userWith(10);
    await holdFor(alice, 10, 'shared-key');
    const bobs = await holdFor(bob, 6, 'shared-key');
    expect(bobs.userId).toBe(bob);
    expect(await getCredits(db(), alice)).toEqual({ balance: 10, held: 10, available: 0, owed: 0 });
    expect(await getCredits(db(), bob)).toEqual({ balance: 10, held: 6, available: 4, owed: 0 });
  });
});

describe('settling a hold', () => {
  it('charges what was delivered and refunds the rest: 9 of 12 images at 4 credits', async () => {
    const userId = await userWith(100);
    const h = await holdFor(userId, 48);
    const settled = await settle(db(), { holdId: h.id, charge: 36, now: now() });
    expect(settled).toMatchObject({ status: 'settled', charged: 36, refunded: 12 });
    expect(await expectLedgerMatchesAccount(userId)).toEqual({ balance: 64, held: 0, available: 64, owed: 0 });
    const { items } = await listLedger(db(), userId, { limit: 10 });
    expect(items.map((e) => [e.kind, e.amount, e.held_change])).toEqual([
      ['refund', 0, -12],
      ['charge', -36, -36],
      ['hold', 0, 48],
      ['grant', 100, 0],
    ]);
  });

  it('changes nothing when a settled hold is settled again', async () => {
    const userId = await userWith(100);
    const h = await holdFor(userId, 20);
    await settle(db(), { holdId: h.id, charge: 20, now: now() });
    const again = await settle(db(), { holdId: h.id, charge: 0, now: now() });
    expect(again).toMatchObject({ status: 'settled', charged: 20, refunded: 0 });
    expect(await expectLedgerMatchesAccount(userId)).toEqual({ balance: 80, held: 0, available: 80, owed: 0 });
  });

  it('applies exactly one of many concurrent settlements (duplicate webhooks)', async () => {
    const userId = await userWith(100);
    const h = await holdFor(userId, 40);
    const charges = [0, 10, 20, 30, 40, 10, 20, 30];
    const results = await Promise.all(charges.map((charge) => settle(db(), { holdId: h.id, charge, now: now() })));
    const final = await getHold(db(), h.id);
    for (const r of results) expect(r).toMatchObject({ status: 'settled', charged: final.charged });
    const credits = await expectLedgerMatchesAccount(userId);
    expect(credits).toEqual({ balance: 100 - final.charged, held: 0, available: 100 - final.charged, owed: 0 });
    const kinds = await listLedger(db(), userId, { limit: 10 });
    expect(kinds.items.filter((e) => e.kind === 'charge').length).toBeLessThanOrEqual(1);
    expect(kinds.items.filter((e) => e.kind === 'refund').length).toBeLessThanOrEqual(1);
  });

  it('refuses to charge more than was held', async () => {
    const userId = await userWith(100);
    const h = await holdFor(userId, 10);
    expect((await rejection(settle(db(), { holdId: h.id, charge: 11, now: now() }))).code).toBe('validation_failed');
    expect((await getHold(db(), h.id)).status).toBe('held');
  });

  it('releases holds that never settled once they expire, refunding everything', async () => {
    const userId = await userWith(50);
    const stale = await hold(db(), { userId, amount: 30, idempotencyKey: 'stale', now: new Date(Date.now() - 2 * 3600_000), ttlMinutes: 60 });
    const fresh = await holdFor(userId, 10);
    const expired = await expireHolds(db(), now());
    expect(expired.map((h) => h.id)).toContain(stale.id);
    expect(expired.map((h) => h.id)).not.toContain(fresh.id);
    expect(await getHold(db(), stale.id)).toMatchObject({ status: 'expired', charged: 0, refunded: 30 });
    expect(await expectLedgerMatchesAccount(userId)).toEqual({ balance: 50, held: 10, available: 40, owed: 0 });
  });
});

describe('the ledger under a mixed workload', () => {
  it('always sums to the balance and the held credits', async () => {
    const userId = await userWith(200);
    const work = Array.from({ length: 30 }, async (_, i) => {
      try {
        const h = await holdFor(userId, 5 + (i % 7));
        if (i % 3 !== 0) await settle(db(), { holdId: h.id, charge: i % 5 === 0 ? 0 : h.amount - (i % 4), now: now() });
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'insufficient_credits')) throw error;
      }
    });
    await Promise.all([...work, credit(db(), { userId, amount: 15, kind: 'purchase', idempotencyKey: 'p1', now: now() })]);
    const credits = await expectLedgerMatchesAccount(userId);
    expect(credits.balance).toBeGreaterThanOrEqual(0);
    expect(credits.available).toBeGreaterThanOrEqual(0);
  });
});
