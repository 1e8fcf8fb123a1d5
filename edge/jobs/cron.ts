// The scheduled run: finish what providers never reported, release holds that never
// settled, then send waiting mail.
import { sweepGenerations } from '../domain/generations/run';
import { expireHolds } from '../domain/ledger';
import type { Bindings } from '../env';
import { deliverOutbox, httpMailSender } from '../mail/delivery';
import { runDepsFor } from './deps';

export async function runCron(env: Bindings, now: Date): Promise<void> {
  const swept = await sweepGenerations(runDepsFor(env), { pollAfterSeconds: 60, giveUpAfterMinutes: 30 }, now);
  if (swept.resent || swept.polled || swept.expired) console.log(`generations: ${swept.resent} resent, ${swept.polled} polled, ${swept.expired} given up`);
  const expired = await expireHolds(env.DB, now);
  if (expired.length) console.log(`released ${expired.length} holds that never settled`);
  if (env.MAIL_API_URL && env.MAIL_API_KEY && env.MAIL_FROM) {
    const sender = httpMailSender({ url: env.MAIL_API_URL, apiKey: env.MAIL_API_KEY, from: env.MAIL_FROM });
    const { sent, failed } = await deliverOutbox(env.DB, sender, now);
    if (sent || failed) console.log(`mail: ${sent} sent, ${failed} failed`);
  }
}
