// Guards a route with the access token: `Authorization: Bearer <jwt>` whose sign-in still
// stands, or 401 problem+json; then counts the route's per-user rate limits, if it has any.
// A route that writes only through one guarded batch may have both checked inside that batch.
import { createMiddleware } from 'hono/factory';
import { readConfig } from '../config';
import { verifyAccessToken } from '../domain/auth/access-tokens';
import { unauthorized } from '../domain/errors';
import type { AppEnv } from '../env';
import type { RateRuleName } from '../rate-limits/rules';
import { admissionInBatch, admitNow } from './admission';
import { bearerToken } from './bearer';
import { hitsFor } from './rate-limit';

export { SIGN_IN_ENDED } from './admission';

export interface RequireUserOptions {
  /**
   * Hand the sign-in check and the counts to the handler as `admission`, for its one batch to
   * carry (a round trip fewer). Only for a handler that writes nothing outside that batch: an
   * answer whose batch did not carry it waits here for the check, which may turn it into 401 or 429.
   */
  admitInBatch?: boolean;
}

export const requireUser = (limits: readonly RateRuleName[] = [], options: RequireUserOptions = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw unauthorized('Sign in to continue.');
    const user = await verifyAccessToken(readConfig(c.env).authSecret, token);
    const hits = hitsFor(c, limits, user);
    if (!options.admitInBatch) {
      await admitNow(c.env, user, hits);
      c.set('user', user);
      await next();
      return;
    }
    const admission = await admissionInBatch(c.env, user, hits);
    c.set('user', user);
    c.set('admission', admission);
    await next();
    // A refusal, a replay: whatever answered without the batch waits for the check here.
    if (!admission.settled) await admission.settleAlone();
  });
