// Starting a generation checks the sign-in and counts the rate limit inside the batch that
// holds its credits (one D1 round trip). Each way around it is tried here: an ended sign-in,
// a spent budget, a request that fails or replays, a logout racing the work.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app';
import { creditAccounts, generations, generationTasks, holds, ledgerEntries } from '../../edge/db/schema';
import { rateLimiterFor } from '../../edge/services';
import { db, ledgerSums } from './db';
import { call, type CallInit, env, expectProblem, grant, json, signIn } from './support';

const cheap = { model_id: 'flux-schnell', prompt: 'a small boat', batch: 1, resolution: 'sd', aspect_ratio: '1:1' };

const start = (token: string, init: CallInit = {}, body: unknown = cheap) => call('/v1/generations', { method: 'POST', token, json: body, ...init });

const refresh = (refresh_token: string) => call('/v1/auth/refresh', { method: 'POST', json: { refresh_token } });

async function funded(credits = 100) {
  const me = await signIn();
  await grant(me.email, credits);
  return me;
}

/** Everything a generation writes for a user, and the account as it stands. */
async function written(userId: string) {
  const rows = async (table: typeof generations | typeof holds | typeof ledgerEntries) =>
    (await db().select({ n: count() }).from(table).where(eq(table.user_id, userId)).get())!.n;
  const tasks = (await db().select({ n: count() }).from(generationTasks).innerJoin(generations, eq(generations.id, generationTasks.generation_id)).where(eq(generations.user_id, userId)).get())!.n;
  const account = await db().select({ balance: creditAccounts.balance, held: creditAccounts.held }).from(creditAccounts).where(eq(creditAccounts.user_id, userId)).get();
  return { generations: await rows(generations), tasks, holds: await rows(holds), ledger: await rows(ledgerEntries), ...account! };
}

/** The D1 binding, counting round trips: each batch, and each statement run on its own. */
function countingRoundTrips(d1: D1Database) {
  let trips = 0;
  const run = new Set(['all', 'run', 'first', 'raw']);
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property === 'bind') return (...args: unknown[]) => statement(value.apply(target, args));
        if (typeof property === 'string' && run.has(property)) return (...args: unknown[]) => (trips++, value.apply(target, args));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const counted = new Proxy(d1, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property === 'prepare') return (query: string) => statement(target.prepare(query));
      // A batch hands its statements over whole: one trip, however many.
      if (property === 'batch' || property === 'exec') return (...args: unknown[]) => (trips++, value.apply(target, args));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { d1: counted, trips: () => trips };
}

describe('starting a generation', () => {
  it('makes one D1 round trip before it answers: the sign-in check and the rate count travel in the batch that holds the credits', async () => {
    const me = await funded();
    const counted = countingRoundTrips(env.DB);
    const ctx = createExecutionContext();
    const request = new Request('http://127.0.0.1:8787/v1/generations', {
      method: 'POST',
      headers: { authorization: `Bearer ${me.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(cheap),
    });
    const response = await createApp().fetch(request, { ...env, DB: counted.d1 }, ctx);
    expect(response.status).toBe(202);
    expect(counted.trips()).toBe(1);
    await waitOnExecutionContext(ctx);
    expect(await written(me.user.id)).toMatchObject({ generations: 1, tasks: 1, holds: 1 });
  });
});

describe('an ended sign-in', () => {
  it('starts nothing on a funded account, after logout or a reused refresh token: 401, and no generation, call, hold or ledger row', async () => {
    const loggedOut = await funded();
    expect((await call('/v1/auth/logout', { method: 'POST', token: loggedOut.access_token })).status).toBe(204);
    const robbed = await funded();
    await refresh(robbed.refresh_token);
    await expectProblem(await refresh(robbed.refresh_token), 401, 'unauthorized');

    for (const me of [loggedOut, robbed]) {
      const before = await written(me.user.id);
      expect(before).toMatchObject({ generations: 0, ledger: 1, balance: 100, held: 0 });
      const body = await expectProblem(await start(me.access_token), 401, 'unauthorized');
      expect(body.detail).toMatch(/ended/);
      expect(await written(me.user.id)).toEqual(before);
    }
  });

  it('hears 401 whatever else is wrong with its request, and a replayed key does not show it the first generation', async () => {
    const me = await funded(3);
    const first = await start(me.access_token, { headers: { 'idempotency-key': 'before-logout' } });
    expect(first.status).toBe(202);
    expect((await call('/v1/auth/logout', { method: 'POST', token: me.access_token })).status).toBe(204);
    const before = await written(me.user.id);

    const refusals = [
      start(me.access_token, { headers: { 'idempotency-key': 'before-logout' } }), // a replay
      start(me.access_token, {}, { ...cheap, batch: 99 }), // invalid
      start(me.access_token, {}, { ...cheap, model_id: 'sty_nobody' }), // no such model
      start(me.access_token, {}, { ...cheap, batch: 4 }), // more than the 2 credits left
    ];
    for (const refused of await Promise.all(refusals)) {
      const body = await expectProblem(refused, 401, 'unauthorized');
      expect(body).not.toHaveProperty('id');
    }
    expect(await written(me.user.id)).toEqual(before);
  });

  it('racing a logout: each generation was either written whole before it, or answered 401 with nothing written', async () => {
    const me = await funded(100);
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => start(me.access_token, {}, { ...cheap, prompt: `boat ${i}` })),
      call('/v1/auth/logout', { method: 'POST', token: me.access_token }),
      ...Array.from({ length: 12 }, (_, i) => start(me.access_token, {}, { ...cheap, prompt: `late boat ${i}` })),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 202 || s === 401 || s === 204)).toBe(true);
    const accepted = statuses.filter((s) => s === 202).length;
    const after = await written(me.user.id);
    expect(after).toMatchObject({ generations: accepted, tasks: accepted, holds: accepted });
    // Every accepted one is held or already settled by the offline renderer, and the ledger adds up.
    const sums = await ledgerSums(me.user.id);
    expect([sums.amount, sums.held]).toEqual([after.balance, after.held]);
    await expectProblem(await start(me.access_token), 401, 'unauthorized');
  });
});

describe('the rate limit on starting work', () => {
  // A small budget (one request every 20 s once spent), so none comes back while this runs.
  const vars = { RATE_LIMIT_WORK_PER_USER: '3' };

  it('past the limit writes nothing: 429 with Retry-After, and the credits untouched', async () => {
    const me = await funded();
    for (let i = 0; i < 3; i++) expect((await start(me.access_token, { vars })).status).toBe(202);
    const before = await written(me.user.id);
    const refused = await start(me.access_token, { vars });
    await expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await written(me.user.id)).toEqual(before);
    expect(before).toMatchObject({ generations: 3, holds: 3 });
  });

  it('counts requests that fail or replay too: refused for credits, for their body, or a retried key', async () => {
    const me = await funded(1);
    const four = { vars: { RATE_LIMIT_WORK_PER_USER: '4' } };
    expect((await start(me.access_token, { ...four, headers: { 'idempotency-key': 'k' } })).status).toBe(202);
    expect((await start(me.access_token, { ...four, headers: { 'idempotency-key': 'k' } })).status).toBe(202);
    await expectProblem(await start(me.access_token, four), 402, 'insufficient_credits');
    await expectProblem(await start(me.access_token, four, { prompt: 'no model' }), 422, 'validation_failed');
    await expectProblem(await start(me.access_token, four), 429, 'rate_limited');
  });

  it("in production counts through Cloudflare's binding before the batch, and a refusal there writes nothing", async () => {
    const me = await funded();
    const production = { ...env, ENVIRONMENT: 'production' };
    const limiter = rateLimiterFor(production);
    const before = await written(me.user.id);
    for (;;) {
      // Spend this user's budget at the binding, as 60 earlier requests would have, within one
      // of its windows (a clock minute).
      const minute = Math.floor(Date.now() / 60_000);
      while ((await limiter.hit('work', me.user.id)).ok);
      const refused = await start(me.access_token, { vars: { ENVIRONMENT: 'production' } });
      if (Math.floor(Date.now() / 60_000) !== minute) continue;
      await expectProblem(refused, 429, 'rate_limited');
      break;
    }
    expect(await written(me.user.id)).toEqual(before);
    // Another user is not limited by it, and is written in one batch there too.
    const other = await funded();
    expect((await start(other.access_token, { vars: { ENVIRONMENT: 'production' } })).status).toBe(202);
    expect(await written(other.user.id)).toMatchObject({ generations: 1, holds: 1 });
  });
});
