// The local rate limiter, for development, tests and the bench: one Durable Object per rule
// and key, counting with GCRA (a burst of `limit`, then one request every period/limit),
// which needs a single number per key and says exactly when the next request may come.
// Written here rather than taken from a library: the known ones need Redis or a network.
import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../env';
import type { RateLimiter, RateVerdict } from './limiter';
import { RATE_PERIOD_SECONDS, type RateRuleName } from './rules';

/** When the next request would be due were every earlier one spaced evenly (ms since epoch). */
const DUE = 'due';

export class RateLimitCounter extends DurableObject<Bindings> {
  /**
   * Counts one request if it fits. Input gates hold other requests while storage is read, so
   * two never count from the same state; the answer does not wait for the write to reach disk
   * (the object's cache holds the count at once, and a count lost to a crash only forgives).
   */
  async hit(limit: number, periodSeconds: number): Promise<RateVerdict> {
    const now = Date.now();
    const spacing = (periodSeconds * 1000) / limit;
    const due = Math.max((await this.ctx.storage.get<number>(DUE)) ?? 0, now);
    // Admitted while no more than `limit` spacings are owed within the period.
    const admitAt = due + spacing - periodSeconds * 1000;
    if (admitAt > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((admitAt - now) / 1000)) };
    await this.ctx.storage.put(DUE, due + spacing, { allowUnconfirmed: true });
    return { ok: true };
  }
}

/** The local limiter, with the limits from configuration (the RATE_LIMIT_* vars). */
export function counterLimiter(counters: DurableObjectNamespace<RateLimitCounter>, limits: Record<RateRuleName, number>): RateLimiter {
  return {
    async hit(rule, key) {
      const counter = counters.get(counters.idFromName(`${rule}:${key}`));
      return counter.hit(limits[rule], RATE_PERIOD_SECONDS);
    },
  };
}
