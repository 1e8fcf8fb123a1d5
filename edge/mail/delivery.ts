// Sends what waits in the outbox through a MailSender; the cron calls it. A failed send stays
// in the outbox with its error and is tried again next run, up to MAX_ATTEMPTS.
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { outbox } from '../db/schema';
import { iso } from '../db/time';
import type { Mail } from './outbox';

export const MAX_ATTEMPTS = 5;

export interface MailSender {
  send(mail: Mail): Promise<void>;
}

/** An HTTP mail API speaking Resend's `POST /emails` format (many providers accept it). */
export function httpMailSender(config: { url: string; apiKey: string; from: string }, fetcher: typeof fetch = fetch): MailSender {
  return {
    async send(mail) {
      const response = await fetcher(config.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: config.from, to: [mail.to], subject: mail.subject, text: mail.text }),
      });
      if (!response.ok) throw new Error(`mail API answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    },
  };
}

export async function deliverOutbox(db: D1Database, sender: MailSender, now: Date, limit = 50): Promise<{ sent: number; failed: number }> {
  const d = database(db);
  const waiting = await d
    .select({ id: outbox.id, to_email: outbox.to_email, subject: outbox.subject, text: outbox.text })
    .from(outbox)
    .where(and(isNull(outbox.sent_at), lt(outbox.attempts, MAX_ATTEMPTS)))
    .orderBy(asc(outbox.created_at))
    .limit(limit);
  const tried = sql`${outbox.attempts} + 1`;
  let sent = 0;
  let failed = 0;
  for (const row of waiting) {
    try {
      await sender.send({ to: row.to_email, subject: row.subject, text: row.text });
      await d.update(outbox).set({ sent_at: iso(now), attempts: tried }).where(eq(outbox.id, row.id));
      sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await d.update(outbox).set({ attempts: tried, last_error: message }).where(eq(outbox.id, row.id));
      failed++;
    }
  }
  return { sent, failed };
}
