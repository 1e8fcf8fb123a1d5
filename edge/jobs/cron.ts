// The scheduled run: release holds that never settled, then send waiting mail.
import { expireHolds } from '../domain/ledger';
import type { Bindings } from '../env';
import { deliverOutbox, httpMailSender } from '../mail/delivery';

export async function runCron(env: Bindings, now: Date): Promise<void> {
  const expired = await expireHolds(env.DB, now);
  if (expired.length) console.log(`released ${expired.length} holds that never settled`);
  if (env.MAIL_API_URL && env.MAIL_API_KEY && env.MAIL_FROM) {
    const sender = httpMailSender({ url: env.MAIL_API_URL, apiKey: env.MAIL_API_KEY, from: env.MAIL_FROM });
    const { sent, failed } = await deliverOutbox(env.DB, sender, now);
    if (sent || failed) console.log(`mail: ${sent} sent, ${failed} failed`);
  }
}
