// How a network provider's HTTP answers become outcomes: 429 and 5xx are worth retrying
// (with the provider's own wait when it says one), other 4xx are final, timeouts retry.
import { toBase64 } from '../../shared/encoding';
import { ProviderError, type ProviderFile } from './types';

export type Fetcher = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 30_000;

function retryAfter(response: Response, body: unknown): number | undefined {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return header;
  const fromBody = (body as { retry_after?: unknown } | null)?.retry_after;
  return typeof fromBody === 'number' && fromBody > 0 ? fromBody : undefined;
}

/** Pulls a readable reason out of the error bodies providers send. */
export function reasonOf(body: unknown, fallback: string): string {
  if (typeof body === 'string' && body.trim()) return body.slice(0, 300);
  const b = body as { detail?: unknown; error?: unknown; message?: unknown; title?: unknown } | null;
  const detail = b?.detail ?? b?.error ?? b?.message ?? b?.title;
  if (typeof detail === 'string') return detail.slice(0, 300);
  if (Array.isArray(detail)) {
    return detail
      .map((d: { loc?: unknown[]; msg?: string }) => (d?.loc ? `${d.loc.slice(1).join('.')}: ${d.msg}` : String(d?.msg ?? d)))
      .join('; ')
      .slice(0, 300);
  }
  return fallback;
}

export async function callProvider(fetcher: Fetcher, provider: string, url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetcher(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new ProviderError(timedOut ? `${provider} did not answer in time` : `${provider} could not be reached`, { retryable: true });
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  if (response.ok) return body;
  const status = response.status;
  const reason = reasonOf(body, `${provider} answered ${status}`);
  throw new ProviderError(`${provider} refused the request (${status}): ${reason}`, {
    retryable: status === 429 || status >= 500,
    status,
    retryAfterSeconds: status === 429 ? retryAfter(response, body) : undefined,
  });
}

export function dataUri(file: ProviderFile): string {
  return `data:${file.contentType};base64,${toBase64(file.bytes)}`;
}

/** How a provider that fetches its inputs is given one: our short-lived link, else the bytes inline. */
export function inputRef(file: ProviderFile): string {
  return file.url ?? dataUri(file);
}

/** Unix seconds within ±300 s of now, or the delivery is refused as stale (or replayed). */
export function isFresh(timestampSeconds: string | null, now: Date, toleranceSeconds = 300): boolean {
  const t = Number(timestampSeconds);
  return Number.isInteger(t) && Math.abs(now.getTime() / 1000 - t) <= toleranceSeconds;
}
