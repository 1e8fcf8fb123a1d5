// Sends what waits in the outbox through a MailSender; the cron calls it. A failed send stays
// in the outbox with its error and is tried again next run, up to MAX_ATTEMPTS.
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
  const { results } = await db
    .prepare('SELECT id, to_email, subject, text FROM outbox WHERE sent_at IS NULL AND attempts < ?1 ORDER BY created_at LIMIT ?2')
    .bind(MAX_ATTEMPTS, limit)
    .all<{ id: string; to_email: string; subject: string; text: string }>();
  let sent = 0;
  let failed = 0;
  for (const row of results) {
    try {
      await sender.send({ to: row.to_email, subject: row.subject, text: row.text });
      await db.prepare('UPDATE outbox SET sent_at = ?1, attempts = attempts + 1 WHERE id = ?2').bind(iso(now), row.id).run();
      sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?1 WHERE id = ?2').bind(message, row.id).run();
      failed++;
    }
  }
  return { sent, failed };
}
