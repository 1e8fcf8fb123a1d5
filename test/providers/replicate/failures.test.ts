// Replicate's documented failure modes through the submit path, with the queue's clock in the
// test's hands: throttling waits (outside the attempt budget, as long as Replicate's words say,
// never past 30 minutes), our own concurrency limit, and creates never sent twice.
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generationTasks } from '../../../edge/db/schema';
import { RetryLater, type RunDeps, submitTask, sweepGenerations } from '../../../edge/domain/generations/run';
import { runDepsFor } from '../../../edge/jobs/deps';
import { replicateProvider } from '../../../edge/providers/replicate';
import type { JobMessage } from '../../../edge/jobs/messages';
import { db } from '../../edge/db';
import { seededGeneration, seededUser } from '../../edge/generation-rows';
import { call, env, json, signIn } from '../../edge/support';
import { createReplicateFake, type ReplicateFake } from '../../fakes/replicate';

/** A Replicate of its own (not the project's shared one), on a clock the test moves. */
function world(options: { concurrency?: number; maxAttempts?: number } = {}) {
  const clock = { t: Date.now() };
  const replicate = createReplicateFake({ deliver: async () => new Response('ok'), now: () => clock.t });
  const adapter = replicateProvider({ token: replicate.token, baseUrl: `${replicate.origin}/v1`, webhookSecret: replicate.secret, fetch: (i, init) => replicate.handle(new Request(i, init)) });
  const base = runDepsFor(env);
  const sent: JobMessage[] = [];
  const deps: RunDeps = {
    ...base,
    maxAttempts: options.maxAttempts ?? 3,
    providers: { ...base.providers, get: (id) => (id === 'replicate' ? adapter : base.providers.get(id)) },
    concurrency: options.concurrency ? { replicate: options.concurrency } : undefined,
    queue: { send: async (m: JobMessage) => void sent.push(m) } as unknown as Queue<JobMessage>,
  };
  return { clock, replicate, deps, sent };
}

/** `count` generations of one image each, their calls waiting to go to Replicate. */
async function waitingCalls(count: number, credits = count) {
  const user = await seededUser(credits);
  const taskIds: string[] = [];
  const generationIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { generation } = await seededGeneration(user.id, { batch: 1, tasks: ['pending'] });
    await db().update(generationTasks).set({ provider: 'replicate', endpoint: 'black-forest-labs/flux-schnell' }).where(eq(generationTasks.generation_id, generation.id));
    generationIds.push(generation.id);
    taskIds.push((await db().select().from(generationTasks).where(eq(generationTasks.generation_id, generation.id)).get())!.id);
  }
  return { user, taskIds, generationIds };
}

/** The jobs queue, played on the test's clock: each message runs when due; RetryLater puts it back that much later. */
async function drain(deps: RunDeps, clock: { t: number }, taskIds: string[]) {
  const queue = taskIds.map((id) => ({ id, due: clock.t }));
  const waits: number[] = [];
  while (queue.length) {
    queue.sort((a, b) => a.due - b.due);
    const next = queue.shift()!;
    clock.t = Math.max(clock.t, next.due);
    try {
      await submitTask(deps, next.id, new Date(clock.t));
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error;
      waits.push(error.delaySeconds);
      queue.push({ id: next.id, due: clock.t + error.delaySeconds * 1000 });
    }
  }
  return waits;
}

const tasks = (ids: string[]) => db().select().from(generationTasks).where(inArray(generationTasks.id, ids)).all();

describe('a new Replicate account, throttled to 6 creates a minute', () => {
  it('gets all 12 calls made, each waiting as long as Replicate says, without using up its attempts', async () => {
    const { clock, replicate, deps } = world();
    replicate.behaviour.autoComplete = false;
    replicate.behaviour.createsPerMinute = 6;
    const started = clock.t;
    const { taskIds } = await waitingCalls(12);
    const waits = await drain(deps, clock, taskIds);
    const rows = await tasks(taskIds);
    expect(rows.map((t) => t.status)).toEqual(Array(12).fill('submitted'));
    // Throttled many times over (3 attempts would have failed half the batch before), yet each
    // call spent exactly one attempt: the one that got through.
    expect(replicate.log.throttled.length).toBeGreaterThanOrEqual(6);
    expect(rows.map((t) => t.attempts)).toEqual(Array(12).fill(1));
    expect(replicate.log.creates).toHaveLength(12);
    expect(rows.every((t) => t.sending_since === null)).toBe(true);
    // The waits are Replicate's own ("resets in ~Ns"), so the 12 go through in about two minutes of its clock.
    expect(Math.max(...waits)).toBeLessThanOrEqual(60);
    expect(clock.t - started).toBeGreaterThanOrEqual(60_000);
    expect(clock.t - started).toBeLessThan(3 * 60_000);
  });

  it('gives up after 30 minutes of throttling, refunds, and says so', async () => {
    const { clock, replicate, deps } = world();
    replicate.behaviour.rateLimitCreates = 10_000;
    replicate.behaviour.retryAfterSeconds = 30;
    const { user, taskIds, generationIds } = await waitingCalls(1, 3);
    const started = clock.t;
    await drain(deps, clock, taskIds);
    const [task] = await tasks(taskIds);
    expect(task).toMatchObject({ status: 'failed', attempts: 0 });
    expect(task!.error).toMatch(/Replicate stayed too busy to take this work for 30 minutes/);
    expect(clock.t - started).toBeLessThanOrEqual(30 * 60_000);
    expect(clock.t - started).toBeGreaterThan(29 * 60_000);
    expect(replicate.log.creates).toHaveLength(0);
    const me = await signIn(user.email);
    const generation = await json(await call(`/v1/generations/${generationIds[0]}`, { token: me.access_token }));
    expect(generation).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 1 } });
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toMatchObject({ balance: 3, held: 0 });
  });
});

describe('our own concurrency limit per provider', () => {
  it('sends no more than the limit at once; the rest wait for room, then go', async () => {
    // Calls other tests left running at Replicate count too: the limit is for the whole deployment.
    const running = await db().$count(generationTasks, and(eq(generationTasks.provider, 'replicate'), eq(generationTasks.status, 'submitted')));
    const { clock, replicate, deps } = world({ concurrency: running + 2 });
    replicate.behaviour.autoComplete = false;
    const { taskIds } = await waitingCalls(4);
    // All four at once: the count and the claim are one statement, so only two get a slot.
    const results = await Promise.allSettled(taskIds.map((id) => submitTask(deps, id, new Date(clock.t))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const waiting = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(waiting).toHaveLength(2);
    expect(waiting.every((e) => e instanceof RetryLater && new RegExp(`Replicate already runs ${running + 2} of our calls`).test(e.message))).toBe(true);
    expect(replicate.log.creates).toHaveLength(2);
    const rows = await tasks(taskIds);
    expect(rows.filter((t) => t.status === 'submitted')).toHaveLength(2);
    expect(rows.filter((t) => t.status === 'pending').map((t) => t.attempts)).toEqual([0, 0]);

    // One ends at Replicate and is collected: one slot frees, one waiting call goes.
    const first = rows.find((t) => t.status === 'submitted')!;
    replicate.complete(first.request_id!);
    await db().update(generationTasks).set({ status: 'failed' }).where(eq(generationTasks.id, first.id));
    const pending = rows.filter((t) => t.status === 'pending');
    await submitTask(deps, pending[0]!.id, new Date(clock.t));
    await expect(submitTask(deps, pending[1]!.id, new Date(clock.t))).rejects.toBeInstanceOf(RetryLater);
    expect(replicate.log.creates).toHaveLength(3);
  });
});

describe('a create is never sent twice', () => {
  for (const [scenario, set, words] of [
    ['answers 500', (r: ReplicateFake) => (r.behaviour.serverErrorCreates = 1), /it answered 500/],
    ['never answers', (r: ReplicateFake) => (r.behaviour.timeoutCreates = 1), /no answer within 30 s/],
  ] as const) {
    it(`when Replicate ${scenario}: the call fails at once, is refunded, and says why in plain words`, async () => {
      const { clock, replicate, deps } = world({ maxAttempts: 4 });
      set(replicate);
      const { user, taskIds, generationIds } = await waitingCalls(1, 2);
      const waits = await drain(deps, clock, taskIds);
      expect(waits).toEqual([]);
      // Replicate did start it: a second create would have made (and billed) a second prediction.
      expect(replicate.predictions.size).toBe(1);
      expect(replicate.log.creates).toHaveLength(1);
      const [task] = await tasks(taskIds);
      expect(task).toMatchObject({ status: 'failed', attempts: 1 });
      const me = await signIn(user.email);
      const generation = await json(await call(`/v1/generations/${generationIds[0]}`, { token: me.access_token }));
      expect(generation).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 1 } });
      expect(generation.error).toMatch(words);
      expect(generation.error).toMatch(/It was not asked again, so it can never run \(or be paid for\) twice/);
      expect(await json(await call('/v1/credits', { token: me.access_token }))).toMatchObject({ balance: 2, held: 0 });
    });
  }

  it('a create left on its way by a stopped Worker is refunded by the sweep, not sent again', async () => {
    const { clock, deps, sent } = world();
    const { taskIds } = await waitingCalls(2);
    const long = new Date(clock.t - 10 * 60_000).toISOString();
    // One was claimed and left (its answer never recorded); the other's message was merely lost.
    await db().update(generationTasks).set({ attempts: 1, sending_since: long, updated_at: long }).where(eq(generationTasks.id, taskIds[0]!));
    await db().update(generationTasks).set({ updated_at: long }).where(eq(generationTasks.id, taskIds[1]!));
    await sweepGenerations(deps, { pollAfterSeconds: 60, resendAfterSeconds: 300, giveUpAfterMinutes: 30 }, new Date(clock.t));
    const [left, lost] = taskIds.map((id) => id);
    const rows = await tasks(taskIds);
    expect(rows.find((t) => t.id === left)).toMatchObject({ status: 'failed', error: expect.stringMatching(/never confirmed it started this work/) });
    expect(rows.find((t) => t.id === lost)).toMatchObject({ status: 'pending' });
    expect(sent).toEqual([{ type: 'submit', task_id: lost }]);
  });
});
