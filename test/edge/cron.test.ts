// The scheduled run: stale holds are released and waiting mail is delivered.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { findOrCreateUser } from '../../edge/domain/accounts';
import { credit, getCredits, getHold, hold } from '../../edge/domain/ledger';
import worker from '../../edge/index';
import { deliverOutbox, httpMailSender, MAX_ATTEMPTS } from '../../edge/mail/delivery';
import { enqueueMail } from '../../edge/mail/outbox';
import { eq } from 'drizzle-orm';
import { outbox } from '../../edge/db/schema';
import { db } from './db';
import { env, randomEmail } from './support';

/** A local stand-in for the mail API that speaks its wire format (POST JSON, Bearer key). */
function fakeMailApi(status = 200) {
  const received: { url: string; auth: string | null; body: any }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    received.push({ url: request.url, auth: request.headers.get('authorization'), body: await request.json() });
    return new Response(status === 200 ? JSON.stringify({ id: crypto.randomUUID() }) : JSON.stringify({ message: 'nope' }), { status });
  }) as typeof fetch;
  return { fetcher, received };
}

describe('the cron', () => {
  it('releases holds that never settled', async () => {
    const user = await findOrCreateUser(env.DB, randomEmail(), new Date());
    await credit(env.DB, { userId: user.id, amount: 20, kind: 'grant', idempotencyKey: 'g', now: new Date() });
    const stale = await hold(env.DB, { userId: user.id, amount: 20, idempotencyKey: 'h', now: new Date(Date.now() - 3 * 3600_000), ttlMinutes: 60 });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await getHold(env.DB, stale.id)).status).toBe('expired');
    expect(await getCredits(env.DB, user.id)).toEqual({ balance: 20, held: 0, available: 20, owed: 0 });
  });
});

describe('mail delivery', () => {
  it('sends waiting mail through the mail API once', async () => {
    const to = randomEmail('mail');
    await enqueueMail(env.DB, { to, subject: 'Hello', text: 'Body' }, new Date());
    const api = fakeMailApi();
    const sender = httpMailSender({ url: 'https://mail.example.test/emails', apiKey: 'k-123', from: 'Exactly <hi@example.test>' }, api.fetcher);
    await deliverOutbox(env.DB, sender, new Date());
    await deliverOutbox(env.DB, sender, new Date());
    const mine = api.received.filter((r) => r.body.to[0] === to);
    expect(mine).toEqual([
      { url: 'https://mail.example.test/emails', auth: 'Bearer k-123', body: { from: 'Exactly <hi@example.test>', to: [to], subject: 'Hello', text: 'Body' } },
    ]);
  });

  it('keeps mail the API refused, with the reason, and gives up after the last attempt', async () => {
    const to = randomEmail('bounce');
    await enqueueMail(env.DB, { to, subject: 'Hello', text: 'Body' }, new Date());
    const api = fakeMailApi(500);
    const sender = httpMailSender({ url: 'https://mail.example.test/emails', apiKey: 'k', from: 'a@example.test' }, api.fetcher);
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await deliverOutbox(env.DB, sender, new Date());
    const row = await db().select({ sent_at: outbox.sent_at, attempts: outbox.attempts, last_error: outbox.last_error }).from(outbox).where(eq(outbox.to_email, to)).get();
    expect(row).toMatchObject({ sent_at: null, attempts: MAX_ATTEMPTS, last_error: expect.stringContaining('500') });
    expect(api.received.filter((r) => r.body.to[0] === to)).toHaveLength(MAX_ATTEMPTS);
  });
});
