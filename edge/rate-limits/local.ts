// The local rate limiter, for development, tests and the bench: counts in D1 with GCRA (a
// burst of `limit`, then one request every period/limit), which keeps one number per key and
// says exactly when the next request may come. One atomic upsert counts and checks at once,
// and rides in the same D1 round trip as the read the caller makes anyway (the sign-in check),
// or in the caller's own batch, whose writes then carry the same check the upsert makes.
// Written here rather than taken from a library: the known ones need Redis or a network.
import { and, eq, exists, gt, lte, not, sql } from 'drizzle-orm';
import { type BatchItem, database } from '../db/client';
import { rateCounters } from '../db/schema';
import type { RateHit, RateLimiter, RateVerdict } from './limiter';
import { RATE_PERIOD_SECONDS, type RateRuleName } from './rules';

const PERIOD_MS = RATE_PERIOD_SECONDS * 1000;

/** The local limiter, with the limits from configuration (the RATE_LIMIT_* vars). */
export function localLimiter(db: D1Database, limits: Record<RateRuleName, number>): RateLimiter {
  const d = database(db);
  const idOf = (hit: RateHit) => `${hit.rule}:${hit.key}`;

  /** When the next request of `hit` would be due, if it were admitted now. */
  const nextDue = (hit: RateHit, now: number) => sql`max(${rateCounters.due}, ${now}) + ${PERIOD_MS / limits[hit.rule]}`;

  /** Admitted while no more than `limit` spacings are owed within the period; else nothing changes. */
  function count(hit: RateHit, now: number) {
    const due = nextDue(hit, now);
    return d
      .insert(rateCounters)
      .values({ key: idOf(hit), due: now + PERIOD_MS / limits[hit.rule] })
      .onConflictDoUpdate({ target: rateCounters.key, set: { due }, setWhere: sql`${due} - ${PERIOD_MS} <= ${now}` })
      .returning({ due: rateCounters.due });
  }

  /** True where `count(hit, now)`, run next, would admit: no row yet, or one that passes its setWhere. */
  const admits = (hit: RateHit, now: number) =>
    not(exists(d.select({ one: sql`1` }).from(rateCounters).where(and(eq(rateCounters.key, idOf(hit)), gt(sql`${nextDue(hit, now)} - ${PERIOD_MS}`, now)))));

  async function verdict(hit: RateHit, admitted: unknown[], now: number): Promise<RateVerdict> {
    if (admitted.length) return { ok: true };
    const owed = await d.select({ due: rateCounters.due }).from(rateCounters).where(eq(rateCounters.key, idOf(hit))).get();
    const admitAt = (owed?.due ?? now) + PERIOD_MS / limits[hit.rule] - PERIOD_MS;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((admitAt - now) / 1000)) };
  }

  async function countAll(hits: RateHit[], read?: BatchItem): Promise<[unknown, RateVerdict[]]> {
    const now = Date.now();
    const statements = [...(read ? [read] : []), ...hits.map((hit) => count(hit, now))];
    if (!statements.length) return [undefined, []];
    const results = (await d.batch(statements as [BatchItem, ...BatchItem[]])) as unknown[];
    const counted = read ? results.slice(1) : results;
    return [read ? results[0] : undefined, await Promise.all(hits.map((hit, i) => verdict(hit, counted[i] as unknown[], now)))];
  }

  return {
    hit: async (rule, key) => (await countAll([{ rule, key }]))[1][0]!,
    withRead: async <R>(read: BatchItem & PromiseLike<R>, hits: RateHit[]) => (await countAll(hits, read)) as [R, RateVerdict[]],
    async inBatch(hits) {
      const now = Date.now();
      return {
        admits: and(sql`1`, ...hits.map((hit) => admits(hit, now)))!,
        statements: hits.map((hit) => count(hit, now)),
        verdicts: (results) => Promise.all(hits.map((hit, i) => verdict(hit, results[i] as unknown[], now))),
      };
    },
  };
}

/** Drops counts already paid off: a key whose due time has passed counts as new (the cron). */
export async function forgetSettledCounts(db: D1Database, now: Date): Promise<void> {
  await database(db).delete(rateCounters).where(lte(rateCounters.due, now.getTime()));
}
