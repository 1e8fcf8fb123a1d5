// Provider inputs by link: a provider that fetches its inputs (fal, Replicate) is handed a
// short-lived signed link to one R2 object (a reference's preview, the image to edit, its
// mask, an upscale's original) instead of megabytes inlined as a data URI. The link is made
// only after the license gate let the image be an input of that call, and serves that one
// object, for minutes, to whoever holds it: the provider has no account here.
import { fromBase64Url } from '../../shared/encoding';
import { base64url, equalInConstantTime, hmacHex } from './auth/secrets';
import { DomainError } from './errors';

/** Long enough for a queued provider call to start; short enough that a leaked link soon dies. */
export const INPUT_LINK_TTL_SECONDS = 15 * 60;

/** Mints the link to one R2 object under this API's public origin. */
export type InputLinker = (origin: string, key: string, now: Date) => Promise<string>;

// Its own label: a download token (signed with `download:`) never passes here, nor this one there.
const mac = (secret: string, payload: string) => hmacHex(`provider-input:${secret}`, payload);

export const inputLinkPath = (token: string) => `/v1/provider-inputs/${token}`;

/** A token naming one R2 object until `expires` (Unix seconds), signed with the server's secret. */
export async function inputToken(secret: string, key: string, expires: number): Promise<string> {
  const payload = base64url(new TextEncoder().encode(JSON.stringify([key, expires])));
  return `${payload}.${await mac(secret, payload)}`;
}

export function inputLinker(secret: string): InputLinker {
  return async (origin, key, now) => {
    const token = await inputToken(secret, key, Math.floor(now.getTime() / 1000) + INPUT_LINK_TTL_SECONDS);
    return `${origin.replace(/\/+$/, '')}${inputLinkPath(token)}`;
  };
}

/** The R2 key a token names, once its signature and expiry hold. */
async function redeemInputToken(secret: string, token: string, now: Date): Promise<string> {
  const invalid = new DomainError('not_found', 'This input link is not valid.');
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length || !equalInConstantTime(signature, await mac(secret, payload))) throw invalid;
  let named: unknown;
  try {
    named = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(named) || named.length !== 2 || typeof named[0] !== 'string' || !Number.isInteger(named[1])) throw invalid;
  const [key, expires] = named as [string, number];
  if (expires < Math.floor(now.getTime() / 1000)) throw new DomainError('link_expired', 'This input link has expired; the provider call it was made for is over.');
  return key;
}

export interface InputFile {
  body: ReadableStream;
  headers: Record<string, string>;
}

/** The one object a valid, unexpired link names, with headers that keep it out of every cache. */
export async function openProviderInput(bucket: R2Bucket, secret: string, token: string, now: Date): Promise<InputFile> {
  const key = await redeemInputToken(secret, token, now);
  const object = await bucket.get(key);
  if (!object) throw new DomainError('not_found', 'The image this input link names is no longer here.');
  return {
    body: object.body,
    headers: {
      'content-type': object.httpMetadata?.contentType ?? 'application/octet-stream',
      'content-length': String(object.size),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  };
}
