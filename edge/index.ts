// The Worker: HTTP through the Hono app, the jobs queue, and the cron.
import { createApp } from './app';
import type { Bindings } from './env';
import { consumeJobs } from './jobs/consumer';
import { runCron } from './jobs/cron';
import type { JobMessage } from './jobs/messages';

export { UserEvents } from './live/user-events';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeJobs(batch, env),
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runCron(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Bindings, JobMessage>;
