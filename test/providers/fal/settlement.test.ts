// Settling exactly in the awkward orders of events: a cancel while outputs are being stored,
// a task that ended but never settled, and a call given up after storing part of its outputs.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generationTasks } from '../../../edge/db/schema';
import { cancelGeneration, collectTask, sweepGenerations } from '../../../edge/domain/generations/run';
import { runDepsFor } from '../../../edge/jobs/deps';
import { SWEEP } from '../../../edge/jobs/cron';
import { call, json } from '../../edge/support';
import { db } from '../../edge/db';
import { useFal } from '../network';
import { finishedUnreported } from './support';

const fal = useFal();


const view = async (token: string, id: string) => json(await call(`/v1/generations/${id}`, { token }));
const credits = async (token: string) => json(await call('/v1/credits', { token }));

describe('settling exactly', () => {
  it('a cancel while outputs are being stored charges only what was stored before it', async () => {
    const { me, generationId, task, images } = await finishedUnreported(fal, 4);
    let downloads = 0;
    const deps = {
      ...runDepsFor(env),
      fetch: (async (input: RequestInfo | URL) => {
        // The designer cancels right after the first output has been stored.
        if (++downloads === 2) await cancelGeneration(runDepsFor(env), me.user.id, generationId, new Date());
        return fal().handle(new Request(input));
      }) as typeof fetch,
    };
    await collectTask(deps, task.id, { state: 'succeeded', images, rejected: 0 }, new Date());
    const after = await view(me.access_token, generationId);
    expect(after).toMatchObject({ status: 'canceled', cost: { held: 0, charged: 2, refunded: 6 } });
    expect(after.images).toHaveLength(1);
    expect(await credits(me.access_token)).toEqual({ balance: 18, held: 0, available: 18, owed: 0 });
  });

  it('a call that ended without its generation settling is settled by the next report or the cron', async () => {
    const { me, generationId, task } = await finishedUnreported(fal, 2);
    // As if the Worker stopped right after marking the call ended, before settling.
    await db().update(generationTasks).set({ status: 'failed', error: 'crashed' }).where(eq(generationTasks.id, task.id)).run();
    expect((await view(me.access_token, generationId)).status).toBe('running');
    await sweepGenerations(runDepsFor(env), SWEEP, new Date(Date.now() + 2 * 60_000));
    expect(await view(me.access_token, generationId)).toMatchObject({ status: 'failed', cost: { held: 0, charged: 0, refunded: 4 } });
    expect(await credits(me.access_token)).toEqual({ balance: 20, held: 0, available: 20, owed: 0 });
  });

  it('a call given up after storing part of its outputs charges for those it stored', async () => {
    const { me, generationId, task, images } = await finishedUnreported(fal, 4);
    let downloads = 0;
    const deps = {
      ...runDepsFor(env),
      fetch: (async (input: RequestInfo | URL) => (++downloads >= 3 ? new Response('busy', { status: 503 }) : fal().handle(new Request(input)))) as typeof fetch,
    };
    await expect(collectTask(deps, task.id, { state: 'succeeded', images, rejected: 0 }, new Date())).rejects.toThrow(/answered 503/);
    expect((await view(me.access_token, generationId)).images).toHaveLength(2);
    // Half an hour later the cron gives up on the call.
    await sweepGenerations(runDepsFor(env), SWEEP, new Date(Date.now() + 31 * 60_000));
    expect(await view(me.access_token, generationId)).toMatchObject({ status: 'partial', cost: { held: 0, charged: 4, refunded: 4 } });
    expect(await credits(me.access_token)).toEqual({ balance: 16, held: 0, available: 16, owed: 0 });
  });

  it('keeps an output’s thumbnail as it stores the output, and takes outputs over plain http only from this machine in development', async () => {
    const { me, generationId, task, images } = await finishedUnreported(fal, 2);
    const asked: string[] = [];
    const overHttp = images.map((image: { url: string }, i: number) => ({ url: image.url.replace(/^https:\/\/[^/]+/, i === 0 ? 'http://127.0.0.1:9' : 'http://outputs.example') }));
    const deps = {
      ...runDepsFor(env),
      fetch: (async (input: RequestInfo | URL) => {
        const url = new URL(String(input));
        asked.push(url.origin);
        return fal().handle(new Request(images[url.hostname === '127.0.0.1' ? 0 : 1].url));
      }) as typeof fetch,
    };
    expect(deps.loopbackOutputs).toBe(true); // ENVIRONMENT is development here
    await collectTask(deps, task.id, { state: 'succeeded', images: overHttp, rejected: 0 }, new Date());
    // The loopback output is stored; the one from another host over plain http is never fetched.
    expect(asked).toEqual(['http://127.0.0.1:9']);
    const after = await view(me.access_token, generationId);
    expect(after).toMatchObject({ status: 'partial', progress: { delivered: 1 } });
    const keys = (await env.IMAGES.list({ prefix: `generated/${task.id}/` })).objects.map((o) => o.key);
    expect(keys.sort()).toEqual([`generated/${task.id}/0`, `generated/${task.id}/0.thumb.jpg`]);

    const { task: other, images: outputs } = await finishedUnreported(fal, 1);
    await collectTask({ ...deps, loopbackOutputs: false }, other.id, { state: 'succeeded', images: outputs.map(() => ({ url: 'http://127.0.0.1:9/out.png' })), rejected: 0 }, new Date());
    expect(asked).toHaveLength(1); // outside development, not even loopback over http
  });
});
