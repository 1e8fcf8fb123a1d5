// Replicate's HTTP API: predictions on official models (POST /models/{owner}/{name}/predictions)
// or by version (POST /predictions), webhooks filtered to "completed", signed the Standard
// Webhooks way (HMAC-SHA256 over id.timestamp.body, key = base64 of the secret after whsec_).
import { equalInConstantTime, fromBase64, toBase64 } from '../../shared/encoding';
import { callProvider, type Fetcher, isFresh } from './http';
import { type GenerateCall, type ImageProvider, type ProviderOutcome, type Warning, type WebhookEvent, WebhookRejected } from './types';

export interface ReplicateConfig {
  token: string;
  baseUrl: string;
  /** whsec_… from GET /v1/webhooks/default/secret. */
  webhookSecret?: string;
  /** Hosts Replicate serves outputs from; default replicate.delivery. */
  outputHosts?: readonly string[];
  fetch?: Fetcher;
}

/** Replicate's file delivery: outputs come back as https://replicate.delivery/… or a subdomain (pbxt., xezq., …). */
export const REPLICATE_OUTPUT_HOSTS = ['replicate.delivery', '*.replicate.delivery'] as const;

interface Prediction {
  id: string;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';
  output?: string | string[] | null;
  error?: string | null;
}

const aspectRatios = new Set(['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21']);

export function replicateInput(call: GenerateCall): { input: Record<string, unknown>; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const input: Record<string, unknown> = {
    prompt: call.prompt,
    num_outputs: call.n,
    output_format: 'png',
    // Replicate offers 0.25 MP or 1 MP: the nearer one.
    megapixels: call.size.width * call.size.height < 625_000 ? '0.25' : '1',
  };
  if (aspectRatios.has(call.aspectRatio)) input.aspect_ratio = call.aspectRatio;
  else warnings.push({ type: 'unsupported-setting', setting: 'aspectRatio', details: `Replicate has no ${call.aspectRatio}; it used 1:1` });
  if (call.seed !== undefined) input.seed = call.seed;
  if (call.files?.length) warnings.push({ type: 'unsupported-setting', setting: 'files', details: 'this Replicate model takes no reference image' });
  return { input, warnings };
}

export function predictionOutcome(prediction: Prediction): ProviderOutcome {
  switch (prediction.status) {
    case 'succeeded': {
      const output = prediction.output;
      const urls = Array.isArray(output) ? output : output ? [output] : [];
      return { state: 'succeeded', images: urls.map((url) => ({ url })), rejected: 0 };
    }
    case 'failed':
      return { state: 'failed', error: `Replicate: ${prediction.error ?? 'the prediction failed'}` };
    case 'canceled':
    case 'aborted':
      return { state: 'canceled' };
    default:
      return { state: 'pending' };
  }
}

export function replicateProvider(config: ReplicateConfig): ImageProvider {
  const fetcher: Fetcher = config.fetch ?? ((input, init) => fetch(input, init));
  const base = config.baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' };

  return {
    id: 'replicate',
    outputHosts: config.outputHosts ?? REPLICATE_OUTPUT_HOSTS,

    async submit(call, webhookUrl) {
      const { input, warnings } = replicateInput(call);
      // "owner/name" runs the official model; "owner/name:version" or a bare version id pins one.
      const [model, version] = call.endpoint.split(':');
      const url = version || !model!.includes('/') ? `${base}/predictions` : `${base}/models/${model}/predictions`;
      const body: Record<string, unknown> = { input };
      if (version) body.version = version;
      else if (!model!.includes('/')) body.version = model;
      if (webhookUrl) {
        body.webhook = webhookUrl;
        body.webhook_events_filter = ['completed'];
      }
      const prediction = (await callProvider(fetcher, 'Replicate', url, { method: 'POST', headers, body: JSON.stringify(body) })) as Prediction;
      if (!prediction?.id) throw new Error('Replicate accepted the request without a prediction id');
      return { mode: 'async', requestId: prediction.id, warnings };
    },

    async status(_endpoint, requestId) {
      return predictionOutcome((await callProvider(fetcher, 'Replicate', `${base}/predictions/${encodeURIComponent(requestId)}`, { headers })) as Prediction);
    },

    async cancel(_endpoint, requestId) {
      await callProvider(fetcher, 'Replicate', `${base}/predictions/${encodeURIComponent(requestId)}/cancel`, { method: 'POST', headers });
    },

    async verifyWebhook(headers, rawBody, now) {
      const id = headers.get('webhook-id');
      const timestamp = headers.get('webhook-timestamp');
      const signatures = headers.get('webhook-signature');
      if (!config.webhookSecret) throw new WebhookRejected('no Replicate webhook secret is configured');
      if (!id || !timestamp || !signatures) throw new WebhookRejected('missing signature headers');
      if (!isFresh(timestamp, now)) throw new WebhookRejected('stale timestamp');
      const secret = config.webhookSecret.startsWith('whsec_') ? config.webhookSecret.slice(6) : config.webhookSecret;
      const key = await crypto.subtle.importKey('raw', fromBase64(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`)));
      const expected = toBase64(mac);
      const match = signatures
        .split(' ')
        .map((entry) => entry.split(','))
        .some(([version, signature]) => version === 'v1' && signature !== undefined && equalInConstantTime(signature, expected));
      if (!match) throw new WebhookRejected('signature does not match');
    },

    parseWebhook(headers, rawBody): WebhookEvent {
      const prediction = JSON.parse(rawBody) as Prediction;
      // webhook-id stays the same across Replicate's retries of one delivery.
      return { eventId: headers.get('webhook-id') ?? prediction.id, requestId: prediction.id, outcome: predictionOutcome(prediction) };
    },
  };
}
