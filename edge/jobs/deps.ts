// What the generation steps need, built from the bindings.
import type { RunDeps } from '../domain/generations/run';
import type { Bindings } from '../env';
import { inputLinker } from '../domain/provider-inputs';
import { watermarkSecret } from '../domain/watermark';
import { providersFor } from '../providers/registry';
import { eventsFor, rendererFor } from '../services';

/** A positive whole number from a setting, or undefined (no limit). */
function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function runDepsFor(env: Bindings): RunDeps {
  const attempts = Number(env.PROVIDER_MAX_ATTEMPTS);
  return {
    db: env.DB,
    bucket: env.IMAGES,
    queue: env.JOBS,
    providers: providersFor(env),
    renderer: rendererFor(env),
    watermarkSecret: watermarkSecret(env),
    inputLinks: inputLinker(env.AUTH_SECRET),
    events: eventsFor(env),
    maxAttempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 4,
    loopbackOutputs: env.ENVIRONMENT === 'development',
    concurrency: { fal: positive(env.FAL_MAX_CONCURRENCY), replicate: positive(env.REPLICATE_MAX_CONCURRENCY) },
  };
}
