// The network edge for HTTP-level provider tests inside workerd: the Worker's outbound
// fetches to a provider's host reach its local fake, and the fake's webhooks come back into
// the Worker, exactly as they would over the internet.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { afterAll, beforeAll, vi } from 'vitest';
import { createFalFake, type FalFake } from '../fakes/fal';
import { createReplicateFake, type ReplicateFake } from '../fakes/replicate';
import worker from '../../edge/index';
import { providerFakes } from '../edge/generation-support';
import { env } from '../edge/support';

const intoWorker = (request: Request) => exports.default.fetch(request);

function route(hosts: Map<string, (r: Request) => Promise<Response>>) {
  beforeAll(() => {
    const original = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const fake = hosts.get(new URL(request.url).host);
      return fake ? fake(request) : original(request);
    });
  });
  afterAll(() => vi.unstubAllGlobals());
}

/** One signing key per isolate, so the Worker's JWKS cache and the fake always agree. */
let falKeys: Promise<CryptoKeyPair> | undefined;

/** A fal at https://queue.fal.fake, as the edge-fal project's bindings say. */
export function useFal(): () => FalFake {
  let fal: FalFake;
  const hosts = new Map<string, (r: Request) => Promise<Response>>();
  beforeAll(async () => {
    falKeys ??= crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
    fal = await createFalFake({ origin: 'https://queue.fal.fake', keys: await falKeys, deliver: intoWorker });
    hosts.set('queue.fal.fake', (r) => fal.handle(r));
    providerFakes.push(fal);
  });
  route(hosts);
  return () => fal;
}

/** A Replicate at https://api.replicate.fake, with the secret the edge-replicate project configures. */
export function useReplicate(): () => ReplicateFake {
  const replicate = createReplicateFake({
    origin: 'https://api.replicate.fake',
    token: 'r8_fake_token',
    secret: 'whsec_dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5',
    deliver: intoWorker,
  });
  route(new Map([['api.replicate.fake', (r) => replicate.handle(r)]]));
  providerFakes.push(replicate);
  return () => replicate;
}

/** Runs the Worker's cron (the sweep) once, as if at `at`, and waits for what it started. */
export async function runCron(at: Date): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}
