// Cloudflare's Rate Limiting binding behind the limiter interface (production). Its limits are
// set on the bindings in wrangler.toml; it answers yes or no, so a refusal asks the caller to
// wait out the period.
import type { RateLimiter } from './limiter';
import { RATE_PERIOD_SECONDS, type RateRuleName } from './rules';

export function bindingLimiter(bindings: Record<RateRuleName, RateLimit>): RateLimiter {
  return {
    async hit(rule, key) {
      const { success } = await bindings[rule].limit({ key });
      return success ? { ok: true } : { ok: false, retryAfterSeconds: RATE_PERIOD_SECONDS };
    },
  };
}
