// Admission: what a signed-in request must pass before it spends or writes anything, its
// sign-in still standing (an access token ends with its sign-in) and its per-user rate counts.
// Checked at once by the guard, or carried in the request's own D1 batch (one round trip).
import { and } from 'drizzle-orm';
import { database } from '../db/client';
import type { BatchGuard } from '../db/batch-guard';
import { liveSession, liveSessionRead } from '../domain/auth/sessions';
import { unauthorized } from '../domain/errors';
import type { AuthUser, Bindings } from '../env';
import { type RateHit, refuseIfLimited } from '../rate-limits/limiter';
import { rateLimiterFor } from '../services';

export const SIGN_IN_ENDED = 'This sign-in has ended. Sign in again.';

/** Checks the sign-in and takes the counts now: one D1 round trip where the limiter lives in D1. */
export async function admitNow(env: Bindings, user: AuthUser, hits: RateHit[]): Promise<void> {
  const read = liveSessionRead(env.DB, user.sessionFamily);
  const [live, verdicts] = hits.length ? await rateLimiterFor(env).withRead(read, hits) : [await read, []];
  // An ended sign-in is told so before any limit.
  if (!live.length) throw unauthorized(SIGN_IN_ENDED);
  refuseIfLimited(hits, verdicts);
}

/** An admission carried by a handler's batch; `settled` once it has been decided either way. */
export interface Admission extends BatchGuard {
  readonly settled: boolean;
  /** Decides it with a batch of its own, for an answer whose batch did not carry it (a refusal, a replay). */
  settleAlone(): Promise<void>;
}

/**
 * The sign-in check and the counts as a guard for the handler's own batch: its writes happen
 * only while the sign-in stands and every count admits; the session read leads the batch (so
 * a refusal can say which) and the counts follow the writes.
 */
export async function admissionInBatch(env: Bindings, user: AuthUser, hits: RateHit[]): Promise<Admission> {
  const counts = await rateLimiterFor(env).inBatch(hits);
  const read = liveSessionRead(env.DB, user.sessionFamily);
  let settled = false;
  const admission: Admission = {
    condition: and(liveSession(env.DB, user.sessionFamily), counts.admits)!,
    around: (work) => [read, ...work, ...counts.statements],
    async settle(results) {
      settled = true;
      if (!(results[0] as unknown[]).length) throw unauthorized(SIGN_IN_ENDED);
      const countsFrom = results.length - counts.statements.length;
      refuseIfLimited(hits, await counts.verdicts(results.slice(countsFrom)));
      return results.slice(1, countsFrom);
    },
    async settleAlone() {
      const d = database(env.DB);
      await admission.settle(await d.batch(admission.around([])));
    },
    get settled() {
      return settled;
    },
  };
  return admission;
}
