// The rate limits of the API: who each one counts (a network, everyone, a signed-in user),
// how many requests it lets through a minute, and what the refusal says.
import type { Bindings } from '../env';

/** Every rule counts over one minute: Cloudflare's binding takes 10 or 60 seconds. */
export const RATE_PERIOD_SECONDS = 60;

interface RateRuleSpec {
  /** Whose requests are counted together. */
  per: 'ip' | 'everyone' | 'user';
  /** The var that sets the limit for the local limiter (development, tests, the bench). */
  variable: keyof Bindings;
  /** The Cloudflare Rate Limiting binding that enforces it in production (wrangler.toml). */
  binding: keyof Bindings;
  /** Requests a minute, unless the var says otherwise; the production binding uses the same number. */
  fallback: number;
  /** The refusal, in words a designer understands; `{wait}` becomes "in 40 seconds". */
  refusal: string;
}

export const rateRules = {
  /** Asking for a code and trying one: slows guessing and mail floods from one network. */
  sign_in_ip: {
    per: 'ip',
    variable: 'RATE_LIMIT_SIGN_IN_PER_IP',
    binding: 'SIGN_IN_IP_LIMITER',
    fallback: 20,
    refusal: 'Too many sign-in attempts came from your network. Try again {wait}.',
  },
  /** All sign-in requests together: the ceiling on guessing spread over many networks. */
  sign_in_global: {
    per: 'everyone',
    variable: 'RATE_LIMIT_SIGN_IN_GLOBAL',
    binding: 'SIGN_IN_GLOBAL_LIMITER',
    fallback: 600,
    refusal: 'Too many people are signing in right now. Try again {wait}.',
  },
  /** Trading a refresh token for a new pair: slows guessing refresh tokens from one network. */
  refresh_ip: {
    per: 'ip',
    variable: 'RATE_LIMIT_REFRESH_PER_IP',
    binding: 'REFRESH_IP_LIMITER',
    fallback: 60,
    refusal: 'Too many requests to stay signed in came from your network. Try again {wait}.',
  },
  /** Work a user starts: generations, edits, licensed extras, Image-to-Prompt, style components. */
  work: {
    per: 'user',
    variable: 'RATE_LIMIT_WORK_PER_USER',
    binding: 'WORK_LIMITER',
    fallback: 60,
    refusal: 'You started a lot of work in the last minute. Try again {wait}.',
  },
  /** Images a user uploads (a training set can be 50 at once). */
  uploads: {
    per: 'user',
    variable: 'RATE_LIMIT_UPLOADS_PER_USER',
    binding: 'UPLOAD_LIMITER',
    fallback: 120,
    refusal: 'You uploaded a lot of images in the last minute. Try again {wait}.',
  },
} as const satisfies Record<string, RateRuleSpec>;

export type RateRuleName = keyof typeof rateRules;
export const rateRuleNames = Object.keys(rateRules) as RateRuleName[];
