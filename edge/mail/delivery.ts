// Sends what waits in the outbox through a MailSender; the cron calls it. Each row is claimed
// before it is sent, so two runs at once never send it twice, and the mail API is given the
// row's id as its Idempotency-Key, so a retry after an answer that never came delivers nothing
// new. A failed send is tried again after a growing pause, up to MAX_ATTEMPTS; mail the API
// refuses outright (an invalid address) is dead at once: kept with its error, never sent.
import { and, asc, eq, isNull, lt, lte, or } from 'drizzle-orm';
import { database } from '../db/client';
import { outbox } from '../db/schema';
import { addMinutes, addSeconds, iso } from '../db/time';
import { type Fetcher, throttleHint } from '../providers/http';
import type { Mail } from './outbox';

export const MAX_ATTEMPTS = 5;

/**
 * The pause after the 1st, 2nd, 3rd and 4th failed attempt (the 5th is the last). All of them
 * together stay well inside the 24 hours a mail API keeps an idempotency key.
 */
export const BACKOFF_MINUTES = [1, 5, 30, 120] as const;

/** How long a claimed row is its run's alone: longer than one send may take (SEND_TIMEOUT_MS). */
const LEASE_MINUTES = 5;
const SEND_TIMEOUT_MS = 30_000;
/** A Retry-After past this is a broken header, not a plan: the mail waits a day at most. */
const MAX_THROTTLE_SECONDS = 24 * 3600;

export type SendResult =
  | { outcome: 'sent' }
  /** The mail itself was refused (an invalid address, a malformed message): sending it again cannot help. */
  | { outcome: 'refused'; error: string }
  /** Worth trying again later: a 5xx, a timeout, a dropped connection, a key or address someone can fix. */
  | { outcome: 'failed'; error: string }
  /** Rate limited: the API is busy, not the mail wrong, so this does not count as an attempt. */
  | { outcome: 'throttled'; error: string; retryAfterSeconds?: number };

export interface MailSender {
  /** `key` is the same on every attempt at one mail: the API delivers one mail per key. */
  send(mail: Mail, key: string): Promise<SendResult>;
}

/** An HTTP mail API speaking Resend's `POST /emails` format (many providers accept it). */
export function httpMailSender(config: { url: string; apiKey: string; from: string }, fetcher: Fetcher = fetch): MailSender {
  return {
    async send(mail, key) {
      let response: Response;
      try {
        response = await fetcher(config.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ from: config.from, to: [mail.to], subject: mail.subject, text: mail.text }),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (error) {
        return { outcome: 'failed', error: `the mail API did not answer: ${messageOf(error)}` };
      }
      if (response.ok) {
        await response.body?.cancel();
        return { outcome: 'sent' };
      }
      const text = await response.text().catch(() => '');
      const body = parseJson(text);
      const error = `the mail API answered ${response.status}: ${reasonOf(body, text)}`;
      if (response.status === 429) return { outcome: 'throttled', error, retryAfterSeconds: throttleHint(response.headers, body) };
      return { outcome: refusesTheMail(response.status) ? 'refused' : 'failed', error };
    },
  };
}

/**
 * A 4xx refuses this mail, except those about the moment or the account: 401/403 (the key,
 * an unverified sending domain), 404/405 (the URL) are settings someone can fix while the mail
 * waits; 408 and 409 (the same key still in flight) ask to try again; 429 is throttling.
 */
function refusesTheMail(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 404, 405, 408, 409, 429].includes(status);
}

/** Resend's errors read `{ statusCode, name, message }`; others at least have a message. */
function reasonOf(body: unknown, text: string): string {
  const b = body as { name?: unknown; message?: unknown; error?: unknown } | null;
  const message = typeof b?.message === 'string' ? b.message : typeof b?.error === 'string' ? b.error : text.trim() || 'no reason given';
  return (typeof b?.name === 'string' ? `${b.name}: ${message}` : message).slice(0, 300);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface DeliveryCounts {
  sent: number;
  /** Failed or throttled this run, to be tried again later. */
  retrying: number;
  /** Given up on this run: refused, or failed for the last time. */
  dead: number;
}

export async function deliverOutbox(db: D1Database, sender: MailSender, now: Date, limit = 50): Promise<DeliveryCounts> {
  const d = database(db);
  // Rows given up on before dead_at existed kept attempts = MAX_ATTEMPTS: they stay given up.
  const due = and(
    isNull(outbox.sent_at),
    isNull(outbox.dead_at),
    lt(outbox.attempts, MAX_ATTEMPTS),
    or(isNull(outbox.next_attempt_at), lte(outbox.next_attempt_at, iso(now))),
  );
  const waiting = await d.select({ id: outbox.id }).from(outbox).where(due).orderBy(asc(outbox.created_at), asc(outbox.id)).limit(limit);
  const counts: DeliveryCounts = { sent: 0, retrying: 0, dead: 0 };
  for (const { id } of waiting) {
    // The claim: moving a due row's next try past now is one guarded update, so of two runs
    // at once only one gets the row back, and only that one sends it. A run that dies
    // mid-send leaves the lease to lapse, and the row is tried again with the same key.
    const lease = iso(addMinutes(now, LEASE_MINUTES));
    const claimed = await d
      .update(outbox)
      .set({ next_attempt_at: lease })
      .where(and(eq(outbox.id, id), due))
      .returning({ to_email: outbox.to_email, subject: outbox.subject, text: outbox.text, attempts: outbox.attempts })
      .get();
    if (!claimed) continue;
    const result = await sender.send({ to: claimed.to_email, subject: claimed.subject, text: claimed.text }, id).catch(
      (error: unknown): SendResult => ({ outcome: 'failed', error: messageOf(error) }),
    );
    const mine = and(eq(outbox.id, id), eq(outbox.next_attempt_at, lease));
    const attempts = claimed.attempts + 1;
    if (result.outcome === 'sent') {
      await d.update(outbox).set({ sent_at: iso(now), attempts, next_attempt_at: null }).where(mine);
      counts.sent++;
    } else if (result.outcome === 'throttled') {
      const seconds = Math.min(result.retryAfterSeconds ?? BACKOFF_MINUTES[0] * 60, MAX_THROTTLE_SECONDS);
      await d.update(outbox).set({ last_error: result.error, next_attempt_at: iso(addSeconds(now, seconds)) }).where(mine);
      counts.retrying++;
      // The API asked this run to slow down: what is left waits for the next one.
      break;
    } else if (result.outcome === 'refused' || attempts >= MAX_ATTEMPTS) {
      await d.update(outbox).set({ attempts, last_error: result.error, dead_at: iso(now), next_attempt_at: null }).where(mine);
      counts.dead++;
    } else {
      const pause = BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1]!;
      await d.update(outbox).set({ attempts, last_error: result.error, next_attempt_at: iso(addMinutes(now, pause)) }).where(mine);
      counts.retrying++;
    }
  }
  return counts;
}
