// Cloudflare's Rate Limiting binding behind the limiter interface (production). Its limits are
// set on the bindings in wrangler.toml; it answers yes or no, so a refusal asks the caller to
// wait out the period.
import { sql } from 'drizzle-orm';
import type { RateLimiter, RateVerdict } from './limiter';
import { RATE_PERIOD_SECONDS, type RateRuleName } from './rules';

export function bindingLimiter(bindings: Record<RateRuleName, RateLimit>): RateLimiter {
  async function hit(rule: RateRuleName, key: string): Promise<RateVerdict> {
    const { success } = await bindings[rule].limit({ key });
    return success ? { ok: true } : { ok: false, retryAfterSeconds: RATE_PERIOD_SECONDS };
  }
  return {
    hit,
    // The binding answers from the Cloudflare location itself: counted while the read runs.
    withRead: (read, hits) => Promise.all([read, Promise.all(hits.map((h) => hit(h.rule, h.key)))]),
    // Counted before the batch: the batch's writes carry the answer already given.
    async inBatch(hits) {
      const verdicts = await Promise.all(hits.map((h) => hit(h.rule, h.key)));
      return { admits: verdicts.every((v) => v.ok) ? sql`1` : sql`0`, statements: [], verdicts: async () => verdicts };
    },
  };
}
