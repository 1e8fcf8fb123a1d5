// Following a provider call that sends no webhook (a designer's ComfyUI): the queue asks the
// provider again after a short wait, a little longer each round, until the call ends. Past the
// last round the cron's sweep keeps asking (every few minutes) and gives up at its limit.
// A provider with a live progress feed is listened to for that wait instead of idling: each
// new estimate is stored on the call and published, so the panel's bar moves with the steps.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { database } from '../../db/client';
import { generationTasks } from '../../db/schema';
import type { JobMessage } from '../../jobs/messages';
import { publishGeneration } from '../events';
import { collectTask, type RunDeps } from './run';
import { taskById } from './rows';

/** About 30 minutes of rounds, the sweep's own give-up time. */
export const MAX_POLL_ROUNDS = 200;

/** Seconds before round `round` asks: 2, 3, 4 … then every 10 s. */
export const pollDelay = (round: number) => Math.min(10, 2 + round);

/** Progress is published at most this often, and on every tenth of the way, whichever comes first. */
const PUBLISH_EVERY_MS = 1000;

export async function schedulePoll(queue: Queue<JobMessage>, taskId: string, round: number, delaySeconds = pollDelay(round)): Promise<void> {
  if (round >= MAX_POLL_ROUNDS) return;
  await queue.send({ type: 'poll', task_id: taskId, round }, { delaySeconds });
}

/** Stores how far an open call has got; only forward, only while it is open. True when it moved. */
export async function recordProgress(db: D1Database, taskId: string, fraction: number): Promise<boolean> {
  const stored = await database(db)
    .update(generationTasks)
    .set({ progress: fraction })
    .where(and(eq(generationTasks.id, taskId), eq(generationTasks.status, 'submitted'), or(isNull(generationTasks.progress), lt(generationTasks.progress, fraction))))
    .run();
  return stored.meta.changes > 0;
}

/** Asks the provider once; stores the outcome when the call ended, else asks again later. */
export async function pollTask(deps: RunDeps, taskId: string, round: number, now: Date): Promise<void> {
  const task = await taskById(deps.db, taskId);
  if (!task || task.status !== 'submitted' || !task.request_id) return;
  const provider = deps.providers.get(task.provider as never);
  if (!provider) return;
  let outcome;
  try {
    outcome = await provider.status(task.endpoint, task.request_id);
  } catch (error) {
    // A passing failure (the provider unreachable for a moment): ask again next round.
    console.error(`polling ${task.id} failed`, error);
    return schedulePoll(deps.queue, taskId, round + 1);
  }
  if (outcome.state !== 'pending') return collectTask(deps, task.id, outcome, now);
  if (!provider.watch) return schedulePoll(deps.queue, taskId, round + 1);
  // The round's wait, spent listening; then straight to the next round (as soon as it ended).
  let published = { at: 0, fraction: 0 };
  let unpublished = false;
  let writes = Promise.resolve();
  const heard = await provider
    .watch(task.endpoint, task.request_id, pollDelay(round) * 1000, (fraction) => {
      // One at a time, in the order heard; a failed write costs that estimate only.
      writes = writes
        .then(async () => {
          if (!(await recordProgress(deps.db, task.id, fraction))) return;
          unpublished = Date.now() - published.at < PUBLISH_EVERY_MS && fraction - published.fraction < 0.1;
          if (unpublished) return;
          published = { at: Date.now(), fraction };
          await publishGeneration(deps.db, deps.events, task.generation_id);
        })
        .catch((error: unknown) => console.error(`storing the progress of ${task.id} failed`, error));
    })
    .catch((error: unknown) => {
      console.error(`listening to ${task.id} failed`, error);
      return 'unavailable' as const;
    });
  await writes;
  // The last estimate heard reaches the panel too, even when it came too soon after the one before.
  if (unpublished) await publishGeneration(deps.db, deps.events, task.generation_id);
  return schedulePoll(deps.queue, taskId, round + 1, heard === 'unavailable' ? pollDelay(round) : 0);
}
