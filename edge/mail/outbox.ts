// Mail is written to the outbox in the same request that decides to send it; the cron
// delivers it. In development nothing is delivered and /dev/outbox shows it.
import { desc, eq } from 'drizzle-orm';
import { database } from '../db/client';
import { newId } from '../db/ids';
import { outbox } from '../db/schema';
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
  await database(db)
    .insert(outbox)
    .values({ id: newId('mail'), to_email: mail.to, subject: mail.subject, text: mail.text, created_at: iso(now) });
}

export async function listOutbox(db: D1Database, to: string | undefined, limit = 50): Promise<OutboxItem[]> {
  return database(db)
    .select({ to: outbox.to_email, subject: outbox.subject, text: outbox.text, created_at: outbox.created_at })
    .from(outbox)
    .where(to === undefined ? undefined : eq(outbox.to_email, to))
    .orderBy(desc(outbox.created_at), desc(outbox.id))
    .limit(limit);
}
