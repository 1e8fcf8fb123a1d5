// The scheduled run: stale holds are released (its mail delivery: test/edge/mail-delivery.test.ts).
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { findOrCreateUser } from '../../edge/domain/accounts';
import { credit, getCredits, getHold, hold } from '../../edge/domain/ledger';
import worker from '../../edge/index';
import { env, randomEmail } from './support';

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
