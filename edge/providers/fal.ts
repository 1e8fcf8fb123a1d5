// fal's queue API: submit to POST {base}/{endpoint}?fal_webhook=…; status, result and cancel
// live under {owner}/{alias}/requests/{id} (the endpoint's subpath dropped). fal reports no
// failed status: a failed request is COMPLETED and its result answers with the error.
// Webhooks are signed with ED25519 over request id, user id, timestamp and the body's SHA-256,
// checked against keys from fal's JWKS (cached at most 24 h).
import { fromHex } from '../../shared/encoding';
import { sha256Hex } from '../domain/auth/secrets';
import { callProvider, dataUri, type Fetcher, isFresh, reasonOf } from './http';
import {
  type GenerateCall,
  type ImageProvider,
  type ProviderImage,
  type ProviderOutcome,
  ProviderError,
  type Warning,
  type WebhookEvent,
  WebhookRejected,
} from './types';

export interface FalConfig {
  key: string;
  baseUrl: string;
  jwksUrl: string;
  /** Hosts fal serves outputs from; default its CDN. */
  outputHosts?: readonly string[];
  /** fal's id of this deployment's account: a webhook signed for another account is refused. */
  userId?: string;
  fetch?: Fetcher;
}

/** fal's media CDN: outputs come back as https://v3.fal.media/files/… (and sibling hosts). */
export const FAL_OUTPUT_HOSTS = ['fal.media', '*.fal.media'] as const;

const JWKS_MAX_AGE_MS = 24 * 3600_000;
/** A signature that fails against cached keys refetches them, at most this often (rotation). */
const JWKS_REFRESH_MS = 5 * 60_000;

interface FalImage {
  url: string;
  width?: number;
  height?: number;
  content_type?: string;
}

interface FalResult {
  images?: FalImage[];
  /** Image tools (upscalers, cut-outs, vectorizers) answer with one image. */
  image?: FalImage;
  has_nsfw_concepts?: boolean[];
}

/** `fal-ai/flux-pro/v1.1-ultra` → `fal-ai/flux-pro`: status, result and cancel drop the subpath. */
export function appId(endpoint: string): string {
  const parts = endpoint.split('/');
  const namespaced = parts[0] === 'workflows' || parts[0] === 'comfy';
  return parts.slice(0, namespaced ? 3 : 2).join('/');
}

/** The model input for a call, following how the catalog route says the endpoint is sized. */
export function falInput(call: GenerateCall): { input: Record<string, unknown>; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const options = call.providerOptions ?? {};
  if (typeof options.extra === 'string') {
    // Image tools: the image (a URL when chaining a previous output, else the bytes) and their own settings.
    const image_url = typeof options.image_url === 'string' ? options.image_url : call.files?.[0] ? dataUri(call.files[0]) : undefined;
    return { input: { image_url, ...(options.extra === 'upscale' ? { scale: options.scale ?? 4, output_format: 'png' } : {}) }, warnings };
  }
  const input: Record<string, unknown> = {
    prompt: call.prompt,
    num_images: call.n,
    output_format: 'png',
    enable_safety_checker: true,
  };
  if (call.seed !== undefined) input.seed = call.seed;
  if (options.sizing === 'aspect_ratio') input.aspect_ratio = call.aspectRatio;
  else if (options.sizing !== 'none') input.image_size = { width: call.size.width, height: call.size.height };
  const editing = typeof options.operation === 'string' && options.operation !== 'generate';
  if (editing) {
    // Edits: the image to change, and for fill endpoints the mask of where.
    if (call.files?.[0]) input.image_url = dataUri(call.files[0]);
    if (call.mask) input.mask_url = dataUri(call.mask);
    if (options.operation === 'erase' && !call.prompt.trim()) input.prompt = 'empty background, seamless continuation of the surroundings';
  } else if (call.files?.length) {
    if (options.reference === 'image_url') {
      input.image_url = dataUri(call.files[0]!);
      if (call.files.length > 1) warnings.push({ type: 'unsupported-setting', setting: 'files', details: 'fal uses the first reference image only' });
    } else {
      warnings.push({ type: 'unsupported-setting', setting: 'files', details: 'this fal endpoint takes no reference image' });
    }
  }
  if (call.mask && !editing) warnings.push({ type: 'unsupported-setting', setting: 'mask', details: 'this fal endpoint takes no mask' });
  return { input, warnings };
}

export function falOutcome(result: FalResult): ProviderOutcome {
  const images: ProviderImage[] = [];
  let rejected = 0;
  (result.images ?? (result.image ? [result.image] : [])).forEach((image, i) => {
    // The safety checker returns a blank stand-in for what it withheld: not a delivery.
    if (result.has_nsfw_concepts?.[i]) rejected++;
    else images.push({ url: image.url, contentType: image.content_type });
  });
  return { state: 'succeeded', images, rejected };
}

const jwksCache = new Map<string, { keys: CryptoKey[]; fetchedAt: number }>();

export function falProvider(config: FalConfig): ImageProvider {
  const fetcher: Fetcher = config.fetch ?? ((input, init) => fetch(input, init));
  const base = config.baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Key ${config.key}`, 'content-type': 'application/json', accept: 'application/json' };
  const requestUrl = (endpoint: string, requestId: string) => `${base}/${appId(endpoint)}/requests/${encodeURIComponent(requestId)}`;

  async function publicKeys(force: boolean, now: number): Promise<CryptoKey[]> {
    const cached = jwksCache.get(config.jwksUrl);
    const age = cached ? now - cached.fetchedAt : Infinity;
    if (cached && age < JWKS_MAX_AGE_MS && !(force && age > JWKS_REFRESH_MS)) return cached.keys;
    const body = (await callProvider(fetcher, 'fal', config.jwksUrl, { headers: { accept: 'application/json' } })) as { keys?: JsonWebKey[] };
    const keys: CryptoKey[] = [];
    for (const jwk of body?.keys ?? []) {
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) continue;
      keys.push(await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']));
    }
    jwksCache.set(config.jwksUrl, { keys, fetchedAt: now });
    return keys;
  }

  return {
    id: 'fal',
    outputHosts: config.outputHosts ?? FAL_OUTPUT_HOSTS,

    async submit(call, webhookUrl) {
      const { input, warnings } = falInput(call);
      const query = webhookUrl ? `?fal_webhook=${encodeURIComponent(webhookUrl)}` : '';
      const body = (await callProvider(fetcher, 'fal', `${base}/${call.endpoint}${query}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input),
      })) as { request_id?: string };
      if (!body?.request_id) throw new Error('fal accepted the request without a request_id');
      return { mode: 'async', requestId: body.request_id, warnings };
    },

    async status(endpoint, requestId) {
      const status = (await callProvider(fetcher, 'fal', `${requestUrl(endpoint, requestId)}/status`, { headers })) as { status?: string };
      if (status?.status !== 'COMPLETED') return { state: 'pending' };
      try {
        return falOutcome((await callProvider(fetcher, 'fal', requestUrl(endpoint, requestId), { headers })) as FalResult);
      } catch (error) {
        // A completed request whose result is an error (e.g. 422): it failed.
        if (error instanceof ProviderError && !error.retryable) {
          return { state: 'failed', error: error.message };
        }
        throw error;
      }
    },

    async cancel(endpoint, requestId) {
      try {
        await callProvider(fetcher, 'fal', `${requestUrl(endpoint, requestId)}/cancel`, { method: 'PUT', headers });
      } catch (error) {
        // Already finished or unknown: nothing left to cancel.
        if (!(error instanceof ProviderError && [400, 404, 409].includes(error.options.status ?? 0))) throw error;
      }
    },

    async verifyWebhook(headers, rawBody, now) {
      const requestId = headers.get('x-fal-webhook-request-id');
      const userId = headers.get('x-fal-webhook-user-id');
      const timestamp = headers.get('x-fal-webhook-timestamp');
      const signature = fromHex(headers.get('x-fal-webhook-signature') ?? '');
      if (!requestId || !userId || !timestamp || !signature || signature.length !== 64) throw new WebhookRejected('missing or malformed signature headers');
      if (!isFresh(timestamp, now)) throw new WebhookRejected('stale timestamp');
      const message = new TextEncoder().encode(`${requestId}\n${userId}\n${timestamp}\n${await sha256Hex(rawBody)}`);
      let verified = false;
      for (const force of [false, true]) {
        for (const key of await publicKeys(force, now.getTime())) {
          if (!verified && (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message))) verified = true;
        }
        if (verified) break;
      }
      if (!verified) throw new WebhookRejected('signature does not match any of fal’s keys');
      // fal signs for every account alike: only our own account's requests are ours to collect.
      if (config.userId && userId !== config.userId) throw new WebhookRejected('signed for another fal account');
    },

    parseWebhook(headers, rawBody): WebhookEvent {
      const body = JSON.parse(rawBody) as { request_id?: string; status?: string; payload?: unknown; error?: string | null; payload_error?: string };
      const requestId = body.request_id ?? headers.get('x-fal-webhook-request-id') ?? '';
      if (headers.get('x-fal-webhook-request-id') !== requestId) throw new WebhookRejected('body and signature name different requests');
      const outcome: ProviderOutcome =
        body.status === 'OK' && body.payload
          ? falOutcome(body.payload as FalResult)
          : { state: 'failed', error: `fal: ${reasonOf(body.payload, '') || body.error || body.payload_error || 'the request failed'}` };
      // fal sends one completion per request (and retries it): the request id is the event.
      return { eventId: requestId, requestId, outcome };
    },
  };
}
