// The rate limits a route is served with, counted before its body is read: per network and
// for everyone on sign-in, per user (inside the sign-in guard) on expensive work.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, AuthUser } from '../env';
import { enforce, type RateHit } from '../rate-limits/limiter';
import { type RateRuleName, rateRules } from '../rate-limits/rules';
import { rateLimiterFor } from '../services';
import { clientIp } from './client-ip';

/** What each rule counts by: the network, one shared key, or the signed-in user. */
export function hitsFor(c: Context<AppEnv>, rules: readonly RateRuleName[], user?: AuthUser): RateHit[] {
  return rules.map((rule) => {
    const per = rateRules[rule].per;
    if (per === 'user' && !user) throw new Error(`the ${rule} limit counts per user: serve it behind the sign-in guard`);
    return { rule, key: per === 'ip' ? clientIp(c) : per === 'everyone' ? 'everyone' : user!.id };
  });
}

export const enforceLimits = (c: Context<AppEnv>, rules: readonly RateRuleName[], user?: AuthUser) => enforce(rateLimiterFor(c.env), hitsFor(c, rules, user));

/** For routes without a signed-in user (sign-in itself). */
export const rateLimit = (rules: readonly RateRuleName[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforceLimits(c, rules);
    await next();
  });
