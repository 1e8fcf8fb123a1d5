// Credits through HTTP: the balance, the ledger with its cursor, and dev grants that apply once.
import { describe, expect, it } from 'vitest';
import { hold, settle } from '../../edge/domain/ledger';
import { call, env, expectProblem, grant, json, signIn } from './support';

describe('GET /v1/credits', () => {
  it('shows balance, held and available', async () => {
    const me = await signIn();
    await grant(me.email, 30);
    await hold(env.DB, { userId: me.user.id, amount: 12, idempotencyKey: 'h', now: new Date(), ttlMinutes: 60 });
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 30, held: 12, available: 18, owed: 0 });
  });

  it('needs a signed-in user', async () => {
    await expectProblem(await call('/v1/credits'), 401, 'unauthorized');
    await expectProblem(await call('/v1/credits/ledger'), 401, 'unauthorized');
  });
});

describe('GET /v1/credits/ledger', () => {
  it('lists entries newest first, paged by cursor, summing to the balance', async () => {
    const me = await signIn();
    for (let i = 1; i <= 5; i++) await grant(me.email, i);
    const h = await hold(env.DB, { userId: me.user.id, amount: 6, idempotencyKey: 'h', now: new Date(), ttlMinutes: 60 });
    await settle(env.DB, { holdId: h.id, charge: 4, now: new Date() });

    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await json(await call(`/v1/credits/ledger?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: me.access_token }));
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);

    expect(seen.map((e) => e.kind)).toEqual(['refund', 'charge', 'hold', 'grant', 'grant', 'grant', 'grant', 'grant']);
    const credits = await json(await call('/v1/credits', { token: me.access_token }));
    expect(seen.reduce((sum, e) => sum + e.amount, 0)).toBe(credits.balance);
    expect(seen.reduce((sum, e) => sum + e.held_change, 0)).toBe(credits.held);
    expect(seen[0]).toMatchObject({ balance_after: 11, held_after: 0, ref: h.id, created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('shows only the caller’s own entries', async () => {
    const alice = await signIn();
    const bob = await signIn();
    await grant(alice.email, 50);
    const bobs = await json(await call('/v1/credits/ledger', { token: bob.access_token }));
    expect(bobs.items).toEqual([]);
  });

  it('rejects a bad cursor or limit naming the field', async () => {
    const me = await signIn();
    const cursor = await expectProblem(await call('/v1/credits/ledger?cursor=nonsense', { token: me.access_token }), 422, 'validation_failed');
    expect(cursor.errors[0].path).toBe('cursor');
    const limit = await expectProblem(await call('/v1/credits/ledger?limit=1000', { token: me.access_token }), 422, 'validation_failed');
    expect(limit.errors[0].path).toBe('limit');
  });
});

describe('POST /dev/credits/grant', () => {
  it('grants to an address, creating the account if needed', async () => {
    const me = await signIn();
    expect(await json(await grant(me.email, 120))).toEqual({ balance: 120 });
    expect((await json(await call('/v1/me', { token: me.access_token }))).credits.balance).toBe(120);
  });

  it('applies a retried request with the same Idempotency-Key once, even concurrently', async () => {
    const me = await signIn();
    const responses = await Promise.all(Array.from({ length: 6 }, () => grant(me.email, 10, 'retry-me')));
    for (const r of responses) expect(r.status).toBe(200);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 10, held: 0, available: 10, owed: 0 });
  });

  it('refuses a bad amount, changing nothing', async () => {
    const me = await signIn();
    const body = await expectProblem(await call('/dev/credits/grant', { method: 'POST', json: { email: me.email, amount: -5 } }), 422, 'validation_failed');
    expect(body.errors[0].path).toBe('amount');
    expect((await json(await call('/v1/credits', { token: me.access_token }))).balance).toBe(0);
  });
});
