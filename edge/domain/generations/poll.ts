// Following a provider call that sends no webhook (a designer's ComfyUI): the queue asks the
// provider again after a short wait, a little longer each round, until the call ends. Past the
// last round the cron's sweep keeps asking (every few minutes) and gives up at its limit.
import type { JobMessage } from '../../jobs/messages';
import { collectTask, type RunDeps } from './run';
import { taskById } from './rows';

/** About 30 minutes of rounds, the sweep's own give-up time. */
export const MAX_POLL_ROUNDS = 200;

/** Seconds before round `round` asks: 2, 3, 4 … then every 10 s. */
export const pollDelay = (round: number) => Math.min(10, 2 + round);

export async function schedulePoll(queue: Queue<JobMessage>, taskId: string, round: number): Promise<void> {
  if (round >= MAX_POLL_ROUNDS) return;
  await queue.send({ type: 'poll', task_id: taskId, round }, { delaySeconds: pollDelay(round) });
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
  if (outcome.state === 'pending') return schedulePoll(deps.queue, taskId, round + 1);
  await collectTask(deps, task.id, outcome, now);
}
