// Reading a raw request body with a byte limit: refused by its declared length before
// reading, and cut off while streaming when no length was declared.
import type { Context } from 'hono';
import { DomainError } from '../domain/errors';

export async function readBytes(c: Context, limit: number, tooLarge: string): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > limit) throw new DomainError('payload_too_large', tooLarge);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  // A declared length within the limit: read it whole.
  if (declared > 0) {
    const whole = new Uint8Array(await c.req.arrayBuffer());
    if (whole.byteLength > limit) throw new DomainError('payload_too_large', tooLarge);
    return whole;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new DomainError('payload_too_large', tooLarge);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
