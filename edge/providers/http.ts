// How a network provider's HTTP answers become outcomes. A read (GET) that meets a 5xx or a
// timeout is worth asking again. A create (a POST that starts paid work) is never sent twice
// blindly: after a 5xx or a timeout the provider may have started it, so the call fails
// instead (and its credits are refunded). A 429 means nothing started: it waits for as long as
// the provider says, and so does a connection that was refused before anything was sent.
import { toBase64 } from '../../shared/encoding';
import { ProviderError, type ProviderFile } from './types';

export type Fetcher = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 30_000;

/**
 * How long a throttled caller should wait, in seconds: the Retry-After header (seconds or a
 * date), a `retry_after` field, or the hint in the words of the body, which is all Replicate
 * promises ("Request was throttled. Your rate limit resets in ~30s." or "… Expected available
 * in 1 second.").
 */
export function throttleHint(headers: Headers, body: unknown, now = Date.now()): number | undefined {
  const header = headers.get('retry-after');
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds > 0) return seconds;
    const date = Date.parse(header);
    if (Number.isFinite(date) && date > now) return Math.ceil((date - now) / 1000);
  }
  const fromBody = (body as { retry_after?: unknown } | null)?.retry_after;
  if (typeof fromBody === 'number' && fromBody > 0) return fromBody;
  const text = typeof body === 'string' ? body : typeof (body as { detail?: unknown } | null)?.detail === 'string' ? (body as { detail: string }).detail : '';
  const hint = /(?:resets in|available in)\s*~?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec(?:ond)?s?|m|min(?:ute)?s?)\b/i.exec(text);
  if (!hint) return undefined;
  const value = Number(hint[1]);
  const unit = hint[2]!.toLowerCase();
  const seconds = unit.startsWith('ms') || unit.startsWith('milli') ? value / 1000 : unit.startsWith('m') && !unit.startsWith('ms') ? value * 60 : value;
  return seconds > 0 ? Math.max(1, Math.ceil(seconds)) : 1;
}

/** A create's answer that leaves unknown whether the provider started the work. */
export class UnconfirmedCreate extends ProviderError {
  constructor(provider: string, what: string, status?: number) {
    super(`${provider} did not confirm it started this work (${what}). It was not asked again, so it can never run (or be paid for) twice.`, { retryable: false, status });
    this.name = 'UnconfirmedCreate';
  }
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

/**
 * Whether a request starts work at the provider (a create) or only reads or stops it. Creates
 * are POSTs unless the adapter says otherwise (Replicate's cancel is a POST that starts nothing).
 */
export type CallKind = 'create' | 'read';

/**
 * A refusal known to come before anything was sent (no connection, no name): safe to try again,
 * even for a create. Only what says so: workerd reports a refused connection and one lost
 * mid-request alike ("Network connection lost."), and such a create stays unknown.
 */
const neverSent = /ECONNREFUSED|connection refused|ENOTFOUND|EAI_AGAIN|getaddrinfo/i;

export async function callProvider(fetcher: Fetcher, provider: string, url: string, init: RequestInit, kind: CallKind = init.method === 'POST' ? 'create' : 'read'): Promise<unknown> {
  let response: Response;
  try {
    response = await fetcher(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    if (kind === 'create' && (timedOut || !(error instanceof Error && neverSent.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`)))) {
      throw new UnconfirmedCreate(provider, timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : 'the connection broke off');
    }
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
  if (kind === 'create' && status >= 500) throw new UnconfirmedCreate(provider, `it answered ${status}`, status);
  const reason = reasonOf(body, `${provider} answered ${status}`);
  throw new ProviderError(`${provider} refused the request (${status}): ${reason}`, {
    retryable: status === 429 || status >= 500,
    status,
    retryAfterSeconds: status === 429 ? throttleHint(response.headers, body) : undefined,
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
