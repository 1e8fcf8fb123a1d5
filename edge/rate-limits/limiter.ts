// The one interface every rate limit goes through, and how a refusal reaches the caller:
// 429 rate_limited with Retry-After. Cloudflare's binding implements it in production, a
// Durable Object locally (./counter.ts); ../services.ts picks one.
import { DomainError } from '../domain/errors';
import { type RateRuleName, rateRules } from './rules';

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request of `key` (an address, a user id) under `rule`, and says whether it may go on. */
  hit(rule: RateRuleName, key: string): Promise<RateVerdict>;
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

/** Takes every count at once (they are independent) and refuses with the longest wait if any says no. */
export async function enforce(limiter: RateLimiter, hits: RateHit[]): Promise<void> {
  const verdicts = await Promise.all(hits.map((h) => limiter.hit(h.rule, h.key)));
  let worst: { rule: RateRuleName; retryAfterSeconds: number } | undefined;
  verdicts.forEach((verdict, i) => {
    if (!verdict.ok && (!worst || verdict.retryAfterSeconds > worst.retryAfterSeconds)) worst = { rule: hits[i]!.rule, retryAfterSeconds: verdict.retryAfterSeconds };
  });
  if (worst) throw rateLimited(worst.rule, worst.retryAfterSeconds);
}
