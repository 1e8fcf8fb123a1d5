// The Worker: HTTP through the Hono app, and the cron.
import { createApp } from './app';
import type { Bindings } from './env';
import { runCron } from './jobs/cron';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runCron(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Bindings>;
