// Mail delivery: what waits in the outbox reaches the mail API once, a failure is tried again
// after a growing pause, and mail that can never go out is dead, kept with its reason. The
// mail API is a local fake speaking Resend's wire format (test/fakes/mail-api.ts).
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outbox } from '../../edge/db/schema';
import { runCron } from '../../edge/jobs/cron';
import { BACKOFF_MINUTES, deliverOutbox, httpMailSender, MAX_ATTEMPTS } from '../../edge/mail/delivery';
import { enqueueMail, listOutbox } from '../../edge/mail/outbox';
import { createMailApiFake, type MailApiFake } from '../fakes/mail-api';
import { db } from './db';
import { env, randomEmail } from './support';

const FROM = 'Exactly <hello@example.test>';
const T0 = new Date('2026-11-20T10:00:00.000Z');
const after = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let api: MailApiFake;
const sender = (apiKey = api.apiKey) => httpMailSender({ url: api.url, apiKey, from: FROM }, api.fetcher);
const deliver = (at: Date) => deliverOutbox(env.DB, sender(), at);

/** Writes one mail to the outbox (at T0 unless said) and returns its id, the key it is sent under. */
async function queue(to = randomEmail('reader'), at = T0): Promise<string> {
  await enqueueMail(env.DB, { to, subject: 'Your sign-in code', text: `Hello ${to}` }, at);
  return (await db().select({ id: outbox.id }).from(outbox).where(eq(outbox.to_email, to)).get())!.id;
}

const itemFor = async (to: string) => (await listOutbox(env.DB, to))[0]!;

beforeEach(async () => {
  // Each test file has its own D1: this file's tests each start from an empty outbox.
  await db().delete(outbox);
  api = createMailApiFake();
});

describe('sending what waits in the outbox', () => {
  it('sends each due mail once, under its outbox id as the Idempotency-Key, and marks it sent', async () => {
    const to = randomEmail();
    const id = await queue(to);
    expect(await deliver(T0)).toEqual({ sent: 1, retrying: 0, dead: 0 });
    expect(await deliver(after(3600))).toEqual({ sent: 0, retrying: 0, dead: 0 });
    expect(api.delivered).toEqual([{ id: expect.any(String), key: id, from: FROM, to: [to], subject: 'Your sign-in code', text: `Hello ${to}` }]);
    expect(api.requests).toHaveLength(1);
    expect(await itemFor(to)).toMatchObject({ status: 'sent', attempts: 1, sent_at: T0.toISOString(), next_attempt_at: null, last_error: null });
  });

  it('tries a mail the API failed on again after the pause, not before, and the pause grows', async () => {
    const to = randomEmail();
    await queue(to);
    api.fail({ status: 500 }, { status: 503 });
    expect(await deliver(T0)).toEqual({ sent: 0, retrying: 1, dead: 0 });
    expect(await itemFor(to)).toMatchObject({
      status: 'retrying',
      attempts: 1,
      last_error: expect.stringMatching(/^the mail API answered 500: internal_server_error/),
      next_attempt_at: after(BACKOFF_MINUTES[0] * 60).toISOString(),
    });
    await deliver(after(59));
    expect(api.requests).toHaveLength(1);
    expect(await deliver(after(60))).toEqual({ sent: 0, retrying: 1, dead: 0 });
    // The second failure waits 5 minutes from when it happened.
    expect((await itemFor(to)).next_attempt_at).toBe(after(60 + BACKOFF_MINUTES[1] * 60).toISOString());
    await deliver(after(60 + 299));
    expect(api.requests).toHaveLength(2);
    expect(await deliver(after(60 + 300))).toEqual({ sent: 1, retrying: 0, dead: 0 });
    expect(api.deliveredTo(to)).toHaveLength(1);
    expect(await itemFor(to)).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('waits as long as a 429 says, without counting it as an attempt, and sends nothing more that run', async () => {
    const first = randomEmail('first');
    const second = randomEmail('second');
    await queue(first, T0);
    await queue(second, after(1));
    api.fail({ status: 429, retryAfter: '120' });
    expect(await deliver(T0)).toEqual({ sent: 0, retrying: 1, dead: 0 });
    // The API said slow down: the other mail was not even tried.
    expect(api.requests).toHaveLength(1);
    expect(await itemFor(first)).toMatchObject({ status: 'retrying', attempts: 0, last_error: expect.stringContaining('429'), next_attempt_at: after(120).toISOString() });
    expect(await itemFor(second)).toMatchObject({ status: 'queued', attempts: 0 });
    // The next run sends the other one only.
    expect(await deliver(after(119))).toEqual({ sent: 1, retrying: 0, dead: 0 });
    expect(api.deliveredTo(first)).toEqual([]);
    expect(await deliver(after(120))).toEqual({ sent: 1, retrying: 0, dead: 0 });
    expect(api.deliveredTo(first)).toHaveLength(1);
    expect(await itemFor(first)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('gives up at once on mail the API refuses (an invalid address), keeps it with the reason, and never tries it again', async () => {
    const to = 'not-an-address@nowhere';
    await queue(to);
    expect(await deliver(T0)).toEqual({ sent: 0, retrying: 0, dead: 1 });
    expect(await itemFor(to)).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: expect.stringMatching(/^the mail API answered 422: validation_error: Invalid `to` field/),
      next_attempt_at: null,
      sent_at: null,
    });
    await deliver(after(7 * 86400));
    expect(api.requests).toHaveLength(1);
    expect(api.delivered).toEqual([]);
  });

  it(`gives up after ${MAX_ATTEMPTS} failed attempts and never tries again`, async () => {
    const to = randomEmail();
    await queue(to);
    api.fail({ status: 500 }, { drop: 'before' }, { status: 502 }, { status: 408 }, { status: 503 }, { status: 500 });
    let at = 0;
    for (const [i, pause] of [...BACKOFF_MINUTES, 0].entries()) {
      expect(await deliver(after(at))).toEqual(i < MAX_ATTEMPTS - 1 ? { sent: 0, retrying: 1, dead: 0 } : { sent: 0, retrying: 0, dead: 1 });
      at += pause * 60;
    }
    expect(await itemFor(to)).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, last_error: expect.stringContaining('503'), next_attempt_at: null });
    await deliver(after(30 * 86400));
    expect(api.requests).toHaveLength(MAX_ATTEMPTS);
    expect(api.delivered).toEqual([]);
  });

  it('a wrong key is a setting someone can fix: the mail waits for it instead of dying', async () => {
    const to = randomEmail();
    await queue(to);
    expect(await deliverOutbox(env.DB, sender('re_revoked'), T0)).toEqual({ sent: 0, retrying: 1, dead: 0 });
    expect(await itemFor(to)).toMatchObject({ status: 'retrying', last_error: expect.stringContaining('403: invalid_api_key') });
    expect(await deliver(after(60))).toEqual({ sent: 1, retrying: 0, dead: 0 });
  });

  it('a retry after an answer that was lost on the way delivers nothing twice', async () => {
    const to = randomEmail();
    const id = await queue(to);
    api.fail({ drop: 'after' });
    expect(await deliver(T0)).toEqual({ sent: 0, retrying: 1, dead: 0 });
    expect(api.deliveredTo(to)).toHaveLength(1);
    expect(await itemFor(to)).toMatchObject({ status: 'retrying', last_error: expect.stringContaining('Network connection lost') });
    expect(await deliver(after(60))).toEqual({ sent: 1, retrying: 0, dead: 0 });
    expect(api.requests.map((r) => r.key)).toEqual([id, id]);
    expect(api.deliveredTo(to)).toHaveLength(1);
  });

  it('two deliveries at once send each mail once', async () => {
    api = createMailApiFake({ latencyMs: 15 });
    const addresses = Array.from({ length: 8 }, () => randomEmail('crowd'));
    for (const to of addresses) await queue(to);
    const runs = await Promise.all([deliver(T0), deliver(T0), deliverOutbox(env.DB, sender(), after(1))]);
    expect(runs.reduce((total, run) => total + run.sent, 0)).toBe(addresses.length);
    expect(runs.every((run) => run.retrying === 0 && run.dead === 0)).toBe(true);
    // Once each at the API, not just once each delivered: no attempt was made twice.
    expect(api.requests.map((r) => r.to).sort()).toEqual(addresses.map((a) => [a]).sort());
    for (const to of addresses) expect(await itemFor(to)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('the outbox as /dev/outbox shows it', () => {
  it('says where each mail stands, newest first', async () => {
    const sent = randomEmail('sent');
    const retrying = randomEmail('retrying');
    const dead = 'dead@nowhere';
    const queued = randomEmail('queued');
    await queue(sent, T0);
    await deliver(T0);
    await queue(retrying, after(1));
    api.fail({ status: 500 });
    await deliver(after(1));
    await queue(dead, after(2));
    await deliver(after(2));
    await queue(queued, after(3));
    const items = await listOutbox(env.DB, undefined);
    expect(items.map((i) => [i.to, i.status])).toEqual([
      [queued, 'queued'],
      [dead, 'dead'],
      [retrying, 'retrying'],
      [sent, 'sent'],
    ]);
    expect(items[0]).toEqual({
      to: queued,
      subject: 'Your sign-in code',
      text: `Hello ${queued}`,
      created_at: after(3).toISOString(),
      status: 'queued',
      attempts: 0,
      last_error: null,
      next_attempt_at: null,
      sent_at: null,
    });
    expect(items[1]).toMatchObject({ attempts: 1, last_error: expect.stringContaining('422'), next_attempt_at: null, sent_at: null });
    expect(items[2]).toMatchObject({ attempts: 1, last_error: expect.stringContaining('500'), next_attempt_at: after(61).toISOString(), sent_at: null });
    expect(items[3]).toMatchObject({ attempts: 1, last_error: null, next_attempt_at: null, sent_at: T0.toISOString() });
    expect(await listOutbox(env.DB, retrying)).toEqual([items[2]]);
  });
});

describe('the cron', () => {
  const logs: string[] = [];
  beforeEach(() => {
    logs.length = 0;
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    // The Worker's own fetch reaches the fake at its host, as it would reach the real API.
    const original = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      return new URL(request.url).origin === api.origin ? api.handle(request) : original(request);
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('sends through the mail API it is configured with, and says how many were sent, retrying and dead', async () => {
    await queue(randomEmail('first'), T0);
    await queue('dead@nowhere', after(1));
    await queue(randomEmail('third'), after(2));
    api.fail({ status: 503 });
    await runCron({ ...env, MAIL_API_URL: api.url, MAIL_API_KEY: api.apiKey, MAIL_FROM: FROM }, after(10));
    expect(logs).toContain('mail: 1 sent, 1 retrying, 1 dead');
  });

  it('sends a sign-in code as soon as it is asked for, not at the next cron', async () => {
    const { createApp } = await import('../../edge/app');
    const to = randomEmail('signin');
    const waiting: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waiting.push(p), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const request = new Request('http://api.test/v1/auth/email/start', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: to }) });
    const response = await createApp().fetch(request, { ...env, MAIL_API_URL: api.url, MAIL_API_KEY: api.apiKey, MAIL_FROM: FROM }, ctx);
    expect(response.status).toBe(202);
    await Promise.all(waiting);
    expect(api.delivered.filter((m) => m.to.includes(to)).map((m) => m.subject)).toEqual([expect.stringMatching(/^\d{6} is your Exactly sign-in code$/)]);
    expect(await itemFor(to)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('with no mail API configured (local development) sends nothing: mail stays queued and readable', async () => {
    const to = randomEmail();
    await queue(to);
    await runCron({ ...env, MAIL_API_URL: undefined, MAIL_API_KEY: undefined, MAIL_FROM: undefined }, T0);
    expect(api.requests).toEqual([]);
    expect(logs.filter((l) => l.startsWith('mail:'))).toEqual([]);
    expect(await itemFor(to)).toMatchObject({ status: 'queued', text: `Hello ${to}` });
  });
});
