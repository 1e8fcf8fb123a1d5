// Which providers this deployment can use, from its configuration, and which one runs a
// model: the first route in the catalog's order whose provider is configured. The offline
// renderer is always there, so every model runs with no key. Styles train at fal when it is
// configured, else at Replicate when it has a destination model to push to, else offline
// (no trainer here: edge/domain/styles/training.ts measures the set instead).
import type { Model, ProviderId, ProviderRoute } from '../../shared/catalog/types';
import type { Bindings } from '../env';
import { rendererFor } from '../services';
import { comfyuiProvider } from './comfyui';
import { FAL_OUTPUT_HOSTS, falProvider, falTrainer } from './fal';
import { offlineProvider } from './offline';
import { hostList } from './outputs';
import { REPLICATE_OUTPUT_HOSTS, replicateProvider, replicateTrainer } from './replicate';
import type { Captioner, ImageProvider, StyleTrainer } from './types';
import { workersAiProvider } from './workers-ai';

export interface Providers {
  get(id: ProviderId): ImageProvider | undefined;
  /** The route and adapter that run this model here. */
  route(model: Model): { route: ProviderRoute; provider: ImageProvider };
  captioner: Captioner | null;
  /** Where Styles train; null: offline, from the set's measured style components. */
  trainer: StyleTrainer | null;
}

/** ostris/flux-dev-lora-trainer, the FLUX LoRA trainer Replicate's own guide uses, where REPLICATE_TRAINER is unset. */
export const REPLICATE_DEFAULT_TRAINER = 'ostris/flux-dev-lora-trainer:e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497';

/** fal's own addresses, where FAL_BASE_URL and FAL_JWKS_URL are unset (the JWKS as fal's webhook docs name it). */
export const FAL_DEFAULTS = { baseUrl: 'https://queue.fal.run', jwksUrl: 'https://rest.alpha.fal.ai/.well-known/jwks.json' } as const;

const cache = new WeakMap<Bindings, Providers>();

export function providersFor(env: Bindings): Providers {
  const cached = cache.get(env);
  if (cached) return cached;
  const available = new Map<ProviderId, ImageProvider>();
  let trainer: StyleTrainer | null = null;
  available.set('offline', offlineProvider(rendererFor(env)));
  if (env.FAL_KEY) {
    const fal = {
      key: env.FAL_KEY,
      baseUrl: env.FAL_BASE_URL ?? FAL_DEFAULTS.baseUrl,
      jwksUrl: env.FAL_JWKS_URL ?? FAL_DEFAULTS.jwksUrl,
      outputHosts: hostList(env.FAL_OUTPUT_HOSTS, FAL_OUTPUT_HOSTS),
      userId: env.FAL_USER_ID || undefined,
    };
    available.set('fal', falProvider(fal));
    trainer = falTrainer(fal);
  }
  if (env.REPLICATE_API_TOKEN) {
    const replicate = {
      token: env.REPLICATE_API_TOKEN,
      baseUrl: env.REPLICATE_BASE_URL ?? 'https://api.replicate.com/v1',
      webhookSecret: env.REPLICATE_WEBHOOK_SECRET,
      outputHosts: hostList(env.REPLICATE_OUTPUT_HOSTS, REPLICATE_OUTPUT_HOSTS),
    };
    available.set('replicate', replicateProvider(replicate));
    if (!trainer && env.REPLICATE_TRAINING_DESTINATION) {
      trainer = replicateTrainer({ ...replicate, trainer: env.REPLICATE_TRAINER || REPLICATE_DEFAULT_TRAINER, destination: env.REPLICATE_TRAINING_DESTINATION });
    }
  }
  if (env.COMFYUI_URL) {
    // Its outputs come back as bytes from this address, not as URLs: no output hosts to allow.
    available.set(
      'comfyui',
      comfyuiProvider({ baseUrl: env.COMFYUI_URL, checkpoint: env.COMFYUI_CHECKPOINT || undefined, workflows: env.COMFYUI_WORKFLOWS, token: env.COMFYUI_TOKEN || undefined }),
    );
  }
  const workersAi = env.AI ? workersAiProvider(env.AI) : null;
  if (workersAi) available.set('workers-ai', workersAi);

  const providers: Providers = {
    get: (id) => available.get(id),
    route(model) {
      for (const route of model.providers) {
        const provider = available.get(route.id);
        if (provider) return { route, provider };
      }
      throw new Error(`no provider can run ${model.id}`);
    },
    captioner: workersAi,
    trainer,
  };
  cache.set(env, providers);
  return providers;
}
