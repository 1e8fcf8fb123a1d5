// Mail is written to the outbox in the same request that decides to send it; the cron
// delivers it. In development nothing is delivered and /dev/outbox shows it.
import { newId } from '../db/ids';
import { iso } from '../db/time';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface OutboxItem extends Mail {
  created_at: string;
}

export async function enqueueMail(db: D1Database, mail: Mail, now: Date): Promise<void> {
  await db
    .prepare('INSERT INTO outbox (id, to_email, subject, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5)')
    .bind(newId('mail'), mail.to, mail.subject, mail.text, iso(now))
    .run();
}

export async function listOutbox(db: D1Database, to: string | undefined, limit = 50): Promise<OutboxItem[]> {
  const { results } = await db
    .prepare(
      `SELECT to_email AS "to", subject, text, created_at FROM outbox
       WHERE (?1 IS NULL OR to_email = ?1) ORDER BY created_at DESC, id DESC LIMIT ?2`,
    )
    .bind(to ?? null, limit)
    .all<OutboxItem>();
  return results;
}
