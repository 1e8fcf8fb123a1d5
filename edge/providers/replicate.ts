// Replicate's HTTP API: predictions on official models (POST /models/{owner}/{name}/predictions)
// or by version (POST /predictions), trainings that push a new version to a destination model,
// webhooks filtered to "completed", signed the Standard Webhooks way (HMAC-SHA256 over
// id.timestamp.body, key = base64 of the secret after whsec_).
// The official `replicate` client runs in workerd (test/providers/replicate/official-client.test.ts)
// but is not the transport: it sends a throttled create again inside the call, at once and up
// to 5 times, blind to the "resets in ~30s" hint, and has no timeout of its own; here the queue
// owns every wait, and a create must not be sent again once its outcome is unknown.
import { equalInConstantTime, fromBase64, toBase64 } from '../../shared/encoding';
import { callProvider, type Fetcher, inputRef, isFresh } from './http';
import {
  type GenerateCall,
  type ImageProvider,
  ProviderError,
  type ProviderOutcome,
  type StyleTrainer,
  type TrainingCall,
  type TrainingOutcome,
  type Warning,
  type WebhookEvent,
  WebhookRejected,
} from './types';
import { trainingArchive } from './training-archive';

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
  // A model that takes an image names its field in the catalog route (e.g. `image` for FLUX dev,
  // `image_prompt` for FLUX 1.1 pro); Replicate fetches it from our short-lived link.
  const imageField = typeof call.providerOptions?.image_input === 'string' ? call.providerOptions.image_input : null;
  const [first, ...rest] = call.files ?? [];
  if (first && imageField) input[imageField] = inputRef(first);
  else if (first) warnings.push({ type: 'unsupported-setting', setting: 'files', details: 'this Replicate model takes no reference image' });
  if (rest.length && imageField) warnings.push({ type: 'unsupported-setting', setting: 'files', details: `this Replicate model takes one image; ${rest.length} more were left out` });
  if (call.mask) {
    const maskField = typeof call.providerOptions?.mask_input === 'string' ? call.providerOptions.mask_input : null;
    if (maskField) input[maskField] = inputRef(call.mask);
    else warnings.push({ type: 'unsupported-setting', setting: 'mask', details: 'this Replicate model takes no mask' });
  }
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

/** Standard Webhooks: HMAC-SHA256 over id.timestamp.body, any one v1 signature in the list may match. */
async function verifyReplicateWebhook(webhookSecret: string | undefined, headers: Headers, rawBody: string, now: Date): Promise<void> {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!webhookSecret) throw new WebhookRejected('no Replicate webhook secret is configured');
  if (!id || !timestamp || !signatures) throw new WebhookRejected('missing signature headers');
  if (!isFresh(timestamp, now)) throw new WebhookRejected('stale timestamp');
  const secret = webhookSecret.startsWith('whsec_') ? webhookSecret.slice(6) : webhookSecret;
  const key = await crypto.subtle.importKey('raw', fromBase64(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`)));
  const expected = toBase64(mac);
  const match = signatures
    .split(' ')
    .map((entry) => entry.split(','))
    .some(([version, signature]) => version === 'v1' && signature !== undefined && equalInConstantTime(signature, expected));
  if (!match) throw new WebhookRejected('signature does not match');
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
      await callProvider(fetcher, 'Replicate', `${base}/predictions/${encodeURIComponent(requestId)}/cancel`, { method: 'POST', headers }, 'read');
    },

    verifyWebhook: (headers, rawBody, now) => verifyReplicateWebhook(config.webhookSecret, headers, rawBody, now),

    parseWebhook(headers, rawBody): WebhookEvent {
      const prediction = JSON.parse(rawBody) as Prediction;
      // webhook-id stays the same across Replicate's retries of one delivery.
      return { eventId: headers.get('webhook-id') ?? prediction.id, requestId: prediction.id, outcome: predictionOutcome(prediction) };
    },
  };
}

export interface ReplicateTrainerConfig extends ReplicateConfig {
  /** The trainer version that makes a Style: "owner/name:version", e.g. ostris/flux-dev-lora-trainer:<version id>. */
  trainer: string;
  /** The model (owner/name, already created on the account) trained versions are pushed to, when a call names none. */
  destination?: string;
}

interface Training {
  id: string;
  status: Prediction['status'];
  destination?: string;
  output?: { version?: string; weights?: string } | null;
  error?: string | null;
  logs?: string | null;
}


/** The last progress bar a trainer printed in its logs (tqdm's "NN%|####  | n/total"), as 0–1. */
function progressOf(logs: string | null | undefined): number | undefined {
  const last = (logs ?? '')
    .split('\n')
    .map((line) => /(\d{1,3})%\s*\|[^|]*\|\s*\d+\/\d+/.exec(line))
    .filter((m) => m !== null)
    .at(-1);
  return last ? Math.min(1, Number(last[1]) / 100) : undefined;
}

export function trainingOutcome(training: Training): TrainingOutcome {
  switch (training.status) {
    case 'succeeded': {
      const version = training.output?.version;
      if (!version) return { state: 'failed', error: 'Replicate finished the training without a model version' };
      // The trainer answers "owner/name:version"; a bare id belongs to the destination.
      return { state: 'succeeded', weights: { kind: 'version', version: version.includes(':') || !training.destination ? version : `${training.destination}:${version}` } };
    }
    case 'failed':
      return { state: 'failed', error: `Replicate: ${training.error ?? 'the training failed'}` };
    case 'canceled':
    case 'aborted':
      return { state: 'canceled' };
    default:
      return { state: 'pending', progress: progressOf(training.logs) };
  }
}

/**
 * Trains a Style on Replicate: the trainer version runs with the set's zip and pushes a new
 * version to the destination model; generating with it is a prediction with that version as
 * the endpoint ("owner/name:version").
 */
export function replicateTrainer(config: ReplicateTrainerConfig): StyleTrainer {
  const fetcher: Fetcher = config.fetch ?? ((input, init) => fetch(input, init));
  const base = config.baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' };
  const [trainerModel, trainerVersion] = config.trainer.split(':');
  if (!trainerModel?.includes('/') || !trainerVersion) throw new Error(`the Replicate trainer must be "owner/name:version", not "${config.trainer}"`);

  return {
    id: 'replicate',

    async startTraining(call, webhookUrl) {
      const destination = call.destination ?? config.destination;
      if (!destination?.includes('/')) throw new ProviderError('Replicate needs a destination model (owner/name) to push the trained Style to.', { retryable: false });
      const body: Record<string, unknown> = {
        destination,
        input: {
          input_images: call.archiveUrl ?? `data:application/zip;base64,${toBase64(trainingArchive(call))}`,
          trigger_word: call.triggerWord,
          // Every image comes with its own caption: the trainer must not write its own over them.
          autocaption: false,
          ...(call.steps ? { steps: call.steps } : {}),
        },
      };
      if (webhookUrl) {
        body.webhook = webhookUrl;
        body.webhook_events_filter = ['completed'];
      }
      const url = `${base}/models/${trainerModel}/versions/${encodeURIComponent(trainerVersion)}/trainings`;
      const training = (await callProvider(fetcher, 'Replicate', url, { method: 'POST', headers, body: JSON.stringify(body) })) as Training;
      if (!training?.id) throw new Error('Replicate accepted the training without an id');
      return { requestId: training.id };
    },

    async trainingStatus(requestId) {
      return trainingOutcome((await callProvider(fetcher, 'Replicate', `${base}/trainings/${encodeURIComponent(requestId)}`, { headers })) as Training);
    },

    async cancelTraining(requestId) {
      await callProvider(fetcher, 'Replicate', `${base}/trainings/${encodeURIComponent(requestId)}/cancel`, { method: 'POST', headers }, 'read');
    },

    parseTrainingWebhook(headers, rawBody) {
      const training = JSON.parse(rawBody) as Training;
      return { eventId: headers.get('webhook-id') ?? training.id, requestId: training.id, outcome: trainingOutcome(training) };
    },
  };
}

/** Replicate's webhook check for trainings too: the same account secret signs both. */
export const verifyReplicateTrainingWebhook = (config: Pick<ReplicateConfig, 'webhookSecret'>, headers: Headers, rawBody: string, now: Date) =>
  verifyReplicateWebhook(config.webhookSecret, headers, rawBody, now);
