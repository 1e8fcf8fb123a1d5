// Request bodies with a byte limit, enforced while streaming by Hono's bodyLimit: a declared
// Content-Length over the limit is refused before anything is read, and a body with none
// (chunked) is cut off as soon as it passes the limit, so nothing larger is ever buffered.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../domain/errors';

/** JSON bodies: every route's default. */
export const MAX_JSON_BYTES = 64 * 1024;

export interface BodyCap {
  bytes: number;
  /** Said in the 413 problem, in the route's own words. */
  tooLarge: string;
}

export const jsonCap: BodyCap = { bytes: MAX_JSON_BYTES, tooLarge: 'This request body is too large (at most 64 KB).' };

export function limitBody(cap: BodyCap): MiddlewareHandler {
  return bodyLimit({
    maxSize: cap.bytes,
    onError: () => {
      throw new DomainError('payload_too_large', cap.tooLarge);
    },
  });
}

/** A raw body already capped by limitBody, in hand (checked again: a declared length can be wrong in-process). */
export async function readBytes(c: Context, cap: BodyCap): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > cap.bytes) throw new DomainError('payload_too_large', cap.tooLarge);
  return bytes;
}
