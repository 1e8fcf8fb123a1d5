// Typed configuration read from the bindings, with the defaults the product promises.
import type { Bindings } from './env';
import { DomainError } from './domain/errors';
import { type RateRuleName, rateRuleNames, rateRules } from './rate-limits/rules';

export interface Config {
  development: boolean;
  authSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  holdTtlMinutes: number;
  /** The creator's share of a license sold on a verified public Style's image, 0..1. */
  creatorShare: number;
  /** Requests a minute each rate limit lets through, for the local limiter (RATE_LIMIT_* vars). */
  rateLimits: Record<RateRuleName, number>;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const MIN_HOLD_TTL_MINUTES = 45;

function share(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0.5;
}

const cache = new WeakMap<Bindings, Config>();

export function readConfig(env: Bindings): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  if (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32) {
    // Said once in the log; the caller sees a plain 500 without internals.
    console.error('AUTH_SECRET is missing or shorter than 32 characters');
    throw new DomainError('internal_error', 'The server is not configured to sign people in yet.');
  }
  const config: Config = {
    development: env.ENVIRONMENT === 'development',
    authSecret: env.AUTH_SECRET,
    accessTokenTtlSeconds: positiveInt(env.ACCESS_TOKEN_TTL_SECONDS, 900),
    refreshTokenTtlDays: positiveInt(env.REFRESH_TOKEN_TTL_DAYS, 30),
    // A hold must outlive the cron giving up on its work (30 min) plus a cron interval or two,
    // or it would be released before the work settles.
    holdTtlMinutes: Math.max(MIN_HOLD_TTL_MINUTES, positiveInt(env.HOLD_TTL_MINUTES, 60)),
    creatorShare: share(env.CREATOR_SHARE),
    rateLimits: Object.fromEntries(rateRuleNames.map((rule) => [rule, positiveInt(env[rateRules[rule].variable] as string | undefined, rateRules[rule].fallback)])) as Record<RateRuleName, number>,
  };
  cache.set(env, config);
  return config;
}
