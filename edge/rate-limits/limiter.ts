// The one interface every rate limit goes through, and how a refusal reaches the caller:
// 429 rate_limited with Retry-After. Cloudflare's binding implements it in production, a
// counter in D1 locally (./local.ts); ../services.ts picks one.
import type { SQL } from 'drizzle-orm';
import type { BatchItem } from '../db/client';
import { DomainError } from '../domain/errors';
import { type RateRuleName, rateRules } from './rules';

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request of `key` (an address, a user id) under `rule`, and says whether it may go on. */
  hit(rule: RateRuleName, key: string): Promise<RateVerdict>;
  /**
   * Counts `hits` while running a D1 read the caller needs anyway (the sign-in check), in the
   * same round trip where the limiter itself lives in D1; answers the read's rows and the verdicts.
   */
  withRead<R>(read: BatchItem & PromiseLike<R>, hits: RateHit[]): Promise<[R, RateVerdict[]]>;
  /**
   * Counts `hits` inside the caller's own D1 batch, where the limiter lives in D1 (one round
   * trip for the work and its counts); a limiter elsewhere counts at once.
   */
  inBatch(hits: RateHit[]): Promise<BatchCounts>;
}

/** Rate counts that travel in a caller's batch. */
export interface BatchCounts {
  /** True where every count will admit: the caller's writes carry it. */
  admits: SQL;
  /** The counts, to go after those writes (they change what `admits` reads). */
  statements: BatchItem[];
  /** The verdicts, in the order of the hits, from the results of `statements`. */
  verdicts(results: unknown[]): Promise<RateVerdict[]>;
}

/** One count to take: a rule and the key it counts by. */
export interface RateHit {
  rule: RateRuleName;
  key: string;
}

function wait(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function rateLimited(rule: RateRuleName, retryAfterSeconds: number): DomainError {
  return new DomainError('rate_limited', rateRules[rule].refusal.replace('{wait}', wait(retryAfterSeconds)), { retry_after: retryAfterSeconds });
}

/** Refuses with the longest wait if any count said no. */
export function refuseIfLimited(hits: RateHit[], verdicts: RateVerdict[]): void {
  let worst: { rule: RateRuleName; retryAfterSeconds: number } | undefined;
  verdicts.forEach((verdict, i) => {
    if (!verdict.ok && (!worst || verdict.retryAfterSeconds > worst.retryAfterSeconds)) worst = { rule: hits[i]!.rule, retryAfterSeconds: verdict.retryAfterSeconds };
  });
  if (worst) throw rateLimited(worst.rule, worst.retryAfterSeconds);
}

/** Takes every count at once (they are independent). */
export async function enforce(limiter: RateLimiter, hits: RateHit[]): Promise<void> {
  refuseIfLimited(hits, await Promise.all(hits.map((h) => limiter.hit(h.rule, h.key))));
}
