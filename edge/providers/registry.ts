// Which providers this deployment can use, from its configuration, and which one runs a
// model: the first route in the catalog's order whose provider is configured. The offline
// renderer is always there, so every model runs with no key.
import type { Model, ProviderId, ProviderRoute } from '../../shared/catalog/types';
import type { Bindings } from '../env';
import { rendererFor } from '../services';
import { comfyuiProvider } from './comfyui';
import { FAL_OUTPUT_HOSTS, falProvider } from './fal';
import { offlineProvider } from './offline';
import { hostList } from './outputs';
import { REPLICATE_OUTPUT_HOSTS, replicateProvider } from './replicate';
import type { Captioner, ImageProvider } from './types';
import { workersAiProvider } from './workers-ai';

export interface Providers {
  get(id: ProviderId): ImageProvider | undefined;
  /** The route and adapter that run this model here. */
  route(model: Model): { route: ProviderRoute; provider: ImageProvider };
  captioner: Captioner | null;
}

/** fal's own addresses, where FAL_BASE_URL and FAL_JWKS_URL are unset (the JWKS as fal's webhook docs name it). */
export const FAL_DEFAULTS = { baseUrl: 'https://queue.fal.run', jwksUrl: 'https://rest.alpha.fal.ai/.well-known/jwks.json' } as const;

const cache = new WeakMap<Bindings, Providers>();

export function providersFor(env: Bindings): Providers {
  const cached = cache.get(env);
  if (cached) return cached;
  const available = new Map<ProviderId, ImageProvider>();
  available.set('offline', offlineProvider(rendererFor(env)));
  if (env.FAL_KEY) {
    available.set(
      'fal',
      falProvider({
        key: env.FAL_KEY,
        baseUrl: env.FAL_BASE_URL ?? FAL_DEFAULTS.baseUrl,
        jwksUrl: env.FAL_JWKS_URL ?? FAL_DEFAULTS.jwksUrl,
        outputHosts: hostList(env.FAL_OUTPUT_HOSTS, FAL_OUTPUT_HOSTS),
        userId: env.FAL_USER_ID || undefined,
      }),
    );
  }
  if (env.REPLICATE_API_TOKEN) {
    available.set(
      'replicate',
      replicateProvider({
        token: env.REPLICATE_API_TOKEN,
        baseUrl: env.REPLICATE_BASE_URL ?? 'https://api.replicate.com/v1',
        webhookSecret: env.REPLICATE_WEBHOOK_SECRET,
        outputHosts: hostList(env.REPLICATE_OUTPUT_HOSTS, REPLICATE_OUTPUT_HOSTS),
      }),
    );
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
  };
  cache.set(env, providers);
  return providers;
}
