// One interface for every image provider, shaped like the Vercel AI SDK image-model spec
// (n up to maxImagesPerCall, size, aspectRatio, seed, files, mask, providerOptions, warnings)
// plus the asynchronous half it lacks: submit, status, cancel, and verified webhooks.
import type { ProviderId } from '../../shared/catalog/types';

/** An input image: a reference, a pin, the image to edit, or a mask. */
export interface ProviderFile {
  bytes: Uint8Array;
  contentType: string;
  /**
   * A short-lived link on this API that serves these bytes only, to whoever holds it: providers
   * that fetch their inputs get it instead of the bytes (see `inputRef` in http.ts).
   */
  url?: string;
}

export interface GenerateCall {
  endpoint: string;
  prompt: string;
  /** Images in this call, at most the route's max_images_per_call. */
  n: number;
  size: { width: number; height: number };
  aspectRatio: string;
  seed?: number;
  files?: ProviderFile[];
  mask?: ProviderFile;
  /** Provider-specific options from the catalog route (and the request), passed through. */
  providerOptions?: Record<string, unknown>;
  /** A trained Style to paint with (fal: `loras: [{ path, scale }]`; Replicate runs the trained version as the endpoint). */
  loras?: { path: string; scale: number }[];
}

/** A setting the provider could not honour: reported, never silently dropped. */
export interface Warning {
  type: 'unsupported-setting' | 'other';
  setting?: string;
  details: string;
}

/** An output image, either at a URL the provider serves or as bytes in hand. */
export type ProviderImage = { url: string; contentType?: string } | { bytes: Uint8Array; contentType: string };

export type ProviderOutcome =
  | { state: 'pending' }
  /** `rejected`: outputs the provider made but withheld (e.g. its safety filter). */
  | { state: 'succeeded'; images: ProviderImage[]; rejected: number }
  | { state: 'failed'; error: string }
  | { state: 'canceled' };

export type Submission =
  | { mode: 'async'; requestId: string; warnings: Warning[] }
  | { mode: 'sync'; outcome: ProviderOutcome; warnings: Warning[] };

/** A verified webhook: which request it speaks of, and what happened. */
export interface WebhookEvent {
  eventId: string;
  requestId: string;
  /** `pending`: the report did not say how the call ended; the collector asks the provider's `status`. */
  outcome: ProviderOutcome;
}

export interface ImageProvider {
  readonly id: ProviderId;
  /** Where this provider serves the outputs it reports by URL (see providers/outputs.ts); none: URLs are refused. */
  readonly outputHosts?: readonly string[];
  submit(call: GenerateCall, webhookUrl: string | null): Promise<Submission>;
  status(endpoint: string, requestId: string): Promise<ProviderOutcome>;
  cancel(endpoint: string, requestId: string): Promise<void>;
  /**
   * Listens up to `ms` to how far a call has got, passing each new estimate (0–1) to
   * `onProgress`. Resolves `ended` as soon as the provider says the call stopped (`status` then
   * says how), `quiet` when the time was up, `unavailable` when it cannot be listened to.
   * Only providers with a live progress feed (ComfyUI's WebSocket) have it.
   */
  watch?(endpoint: string, requestId: string, ms: number, onProgress: (fraction: number) => void): Promise<'ended' | 'quiet' | 'unavailable'>;
  /** Checks a webhook's signature and freshness; throws WebhookRejected. Async providers only. */
  verifyWebhook?(headers: Headers, rawBody: string, now: Date): Promise<void>;
  parseWebhook?(headers: Headers, rawBody: string): WebhookEvent;
}

/** One image of a training set and what it shows (the caption is written beside it in the zip). */
export interface TrainingImage {
  bytes: Uint8Array;
  contentType: string;
  caption: string;
}

export interface TrainingCall {
  images: TrainingImage[];
  /** The word that calls the Style up in a prompt. */
  triggerWord: string;
  steps?: number;
  /** A link on this API serving the set's zip (images with one caption `.txt` each), when the provider fetches it. */
  archiveUrl?: string;
  /** Replicate: the model (owner/name) the trained version is pushed to. */
  destination?: string;
}

/** What a training made: fal's LoRA weights file, or Replicate's new model version. */
export type TrainedWeights = { kind: 'lora'; url: string } | { kind: 'version'; version: string };

export type TrainingOutcome =
  | { state: 'pending'; /** 0–1, when the provider says */ progress?: number }
  | { state: 'succeeded'; weights: TrainedWeights }
  | { state: 'failed'; error: string }
  | { state: 'canceled' };

/** A provider that trains a Style (LoRA) from a training set. */
export interface StyleTrainer {
  readonly id: ProviderId;
  startTraining(call: TrainingCall, webhookUrl: string | null): Promise<{ requestId: string }>;
  trainingStatus(requestId: string): Promise<TrainingOutcome>;
  cancelTraining(requestId: string): Promise<void>;
  /** A verified webhook about a training (verify with the provider's verifyWebhook first). */
  parseTrainingWebhook?(headers: Headers, rawBody: string): { eventId: string; requestId: string; outcome: TrainingOutcome };
}

/** What a captioning provider says an image shows. */
export interface Captioner {
  caption(image: ProviderFile): Promise<string>;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly options: { retryable: boolean; status?: number; retryAfterSeconds?: number },
  ) {
    super(message);
    this.name = 'ProviderError';
  }
  get retryable() {
    return this.options.retryable;
  }
}

export class WebhookRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebhookRejected';
  }
}
