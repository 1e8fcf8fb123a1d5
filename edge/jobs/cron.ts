// The scheduled run: finish what providers never reported (generations and Style trainings),
// release holds that never settled, then send waiting mail (and forget the local rate
// limiter's settled counts).
import { sweepGenerations } from '../domain/generations/run';
import { publishCredits } from '../domain/events';
import { expireHolds } from '../domain/ledger';
import { sweepStyles } from '../domain/styles/training';
import type { Bindings } from '../env';
import { deliverOutbox } from '../mail/delivery';
import { forgetSettledCounts } from '../rate-limits/local';
import { eventsFor, mailSenderFor } from '../services';
import { runDepsFor } from './deps';

export const SWEEP = { pollAfterSeconds: 60, resendAfterSeconds: 300, giveUpAfterMinutes: 30 };

export async function runCron(env: Bindings, now: Date): Promise<void> {
  // Generations are finished and settled before any hold is expired, so a hold that expires
  // belongs to work that truly never reported back.
  const swept = await sweepGenerations(runDepsFor(env), SWEEP, now);
  if (swept.resent || swept.polled || swept.expired || swept.finished) {
    console.log(`generations: ${swept.resent} resent, ${swept.polled} polled, ${swept.expired} given up, ${swept.finished} settled`);
  }
  const trainings = await sweepStyles(runDepsFor(env), { pollAfterSeconds: SWEEP.pollAfterSeconds }, env.PUBLIC_API_URL || undefined, now);
  if (trainings.polled || trainings.resent || trainings.failed || trainings.resumed) {
    console.log(`style trainings: ${trainings.resent} resent, ${trainings.polled} polled, ${trainings.failed} given up, ${trainings.resumed} resumed`);
  }
  const expired = await expireHolds(env.DB, now);
  if (expired.length) console.log(`released ${expired.length} holds that never settled`);
  for (const userId of new Set(expired.map((h) => h.userId))) await publishCredits(env.DB, eventsFor(env), userId);
  await forgetSettledCounts(env.DB, now);
  const sender = mailSenderFor(env);
  if (sender) {
    const { sent, retrying, dead } = await deliverOutbox(env.DB, sender, now);
    if (sent || retrying || dead) console.log(`mail: ${sent} sent, ${retrying} retrying, ${dead} dead`);
  }
}
