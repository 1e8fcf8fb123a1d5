// Workers AI bound as the platform binds it: `env.AI`, seen by the routes and the queue
// consumer alike (this isolate's env is the Worker's), here answered by the fake binding.
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createWorkersAiFake, type WorkersAiFake } from '../../fakes/workers-ai';

export function useWorkersAi(): WorkersAiFake {
  const fake = createWorkersAiFake();
  beforeAll(() => {
    (env as { AI?: unknown }).AI = fake.binding;
  });
  // A refusal one test asked for never spills into the next.
  beforeEach(() => {
    fake.behaviour.failNext = [];
  });
  afterAll(() => {
    delete (env as { AI?: unknown }).AI;
  });
  return fake;
}
