// The jobs queue consumer: provider submissions and provider results, and Style trainings
// (start, reports, polling). A message that fails for a passing reason is retried by the
// queue, after the delay the step asked for.
import { pollTask } from '../domain/generations/poll';
import { collectTask, RetryLater, submitTask } from '../domain/generations/run';
import { finishTraining, pollTraining, runTraining } from '../domain/styles/training';
import { makeVariant } from '../domain/variants';
import type { Bindings } from '../env';
import type { JobMessage } from './messages';
import { runDepsFor } from './deps';

export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Bindings): Promise<void> {
  const deps = runDepsFor(env);
  await Promise.all(
    batch.messages.map(async (message) => {
      const now = new Date();
      try {
        const job = message.body;
        if (job.type === 'submit') await submitTask(deps, job.task_id, now);
        else if (job.type === 'collect') await collectTask(deps, job.task_id, job.outcome, now);
        else if (job.type === 'poll') await pollTask(deps, job.task_id, job.round, now);
        else if (job.type === 'variant') await makeVariant(deps, job.image_id, job.kind, now, job.origin);
        else if (job.type === 'train') await runTraining(deps, job.version_id, job.origin, now);
        else if (job.type === 'train-result') await finishTraining(deps, job.version_id, job.outcome, job.origin, now);
        else if (job.type === 'train-poll') await pollTraining(deps, job.version_id, job.round, job.origin, now);
        message.ack();
      } catch (error) {
        if (error instanceof RetryLater) {
          message.retry({ delaySeconds: error.delaySeconds });
        } else {
          console.error(`job ${message.id} failed`, error);
          message.retry({ delaySeconds: 10 });
        }
      }
    }),
  );
}
