// Mail is written to the outbox in the same request that decides to send it; the cron
// delivers it. In development nothing is delivered and /dev/outbox shows it, with where each
// mail stands.
import { desc, eq } from 'drizzle-orm';
import { database } from '../db/client';
import { newId } from '../db/ids';
import { outbox } from '../db/schema';
import { iso } from '../db/time';
import { MAX_ATTEMPTS } from './delivery';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** queued: not tried yet; retrying: failed and waiting for its next try; dead: given up on, never sent. */
export const outboxStatuses = ['queued', 'retrying', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export interface OutboxItem extends Mail {
  created_at: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
}

export async function enqueueMail(db: D1Database, mail: Mail, now: Date): Promise<void> {
  await database(db)
    .insert(outbox)
    .values({ id: newId('mail'), to_email: mail.to, subject: mail.subject, text: mail.text, created_at: iso(now) });
}

export async function listOutbox(db: D1Database, to: string | undefined, limit = 50): Promise<OutboxItem[]> {
  const rows = await database(db)
    .select({
      to: outbox.to_email,
      subject: outbox.subject,
      text: outbox.text,
      created_at: outbox.created_at,
      attempts: outbox.attempts,
      last_error: outbox.last_error,
      next_attempt_at: outbox.next_attempt_at,
      sent_at: outbox.sent_at,
      dead_at: outbox.dead_at,
    })
    .from(outbox)
    .where(to === undefined ? undefined : eq(outbox.to_email, to))
    .orderBy(desc(outbox.created_at), desc(outbox.id))
    .limit(limit);
  return rows.map(({ dead_at, ...row }) => ({ ...row, status: statusOf({ ...row, dead_at }) }));
}

function statusOf(row: { sent_at: string | null; dead_at: string | null; attempts: number; last_error: string | null }): OutboxStatus {
  if (row.sent_at) return 'sent';
  // Mail given up on before dead_at existed kept attempts = MAX_ATTEMPTS instead.
  if (row.dead_at || row.attempts >= MAX_ATTEMPTS) return 'dead';
  return row.last_error ? 'retrying' : 'queued';
}
