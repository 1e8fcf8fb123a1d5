// Small cryptographic pieces of sign-in: random tokens and codes, hashes, constant-time compare.
import { toBase64Url, toHex } from '../../../shared/encoding';

export { equalInConstantTime, toBase64Url as base64url } from '../../../shared/encoding';

const encoder = new TextEncoder();

/** 256 random bits, URL-safe. */
export const randomToken = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

/** A uniformly random 6-digit code (rejection sampling, no modulo bias). */
export function randomCode(): string {
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    if (n! < limit) return String(n! % 1_000_000).padStart(6, '0');
  }
}

export async function sha256Hex(value: string | Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', typeof value === 'string' ? encoder.encode(value) : (value as Uint8Array<ArrayBuffer>)));
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** An HMAC-SHA-256 key from its material, imported once (tokens are signed and checked per request). */
export function hmacKey(material: string): Promise<CryptoKey> {
  let key = hmacKeys.get(material);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(material), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(material, key);
  }
  return key;
}

export async function hmacHex(secret: string, value: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(value)));
}
