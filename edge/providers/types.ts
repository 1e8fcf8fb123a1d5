// One interface for every image provider, shaped like the Vercel AI SDK image-model spec
// (n up to maxImagesPerCall, size, aspectRatio, seed, files, mask, providerOptions, warnings)
// plus the asynchronous half it lacks: submit, status, cancel, and verified webhooks.
import type { ProviderId } from '../../shared/catalog/types';

/** An input image: a reference, a pin, the image to edit, or a mask. */
export interface ProviderFile {
  bytes: Uint8Array;
  contentType: string;
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
  outcome: ProviderOutcome;
}

export interface ImageProvider {
  readonly id: ProviderId;
  /** Where this provider serves the outputs it reports by URL (see providers/outputs.ts); none: URLs are refused. */
  readonly outputHosts?: readonly string[];
  submit(call: GenerateCall, webhookUrl: string | null): Promise<Submission>;
  status(endpoint: string, requestId: string): Promise<ProviderOutcome>;
  cancel(endpoint: string, requestId: string): Promise<void>;
  /** Checks a webhook's signature and freshness; throws WebhookRejected. Async providers only. */
  verifyWebhook?(headers: Headers, rawBody: string, now: Date): Promise<void>;
  parseWebhook?(headers: Headers, rawBody: string): WebhookEvent;
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
