// The Idempotency-Key of a request that spends credits, and a stable hash of what it asked,
// so a retry replays the first answer and a different body under the same key is refused.
import type { Context } from 'hono';
import { newId } from '../db/ids';
import { sha256Hex } from '../domain/auth/secrets';
import { validationFailed } from '../domain/errors';

export function idempotencyKey(c: Context): string {
  const key = c.req.header('idempotency-key')?.trim();
  if (key === undefined || key === '') return newId('auto'); // no retry protection asked for
  if (key.length > 200) throw validationFailed([{ path: 'Idempotency-Key', message: 'At most 200 characters' }]);
  return key;
}

export const requestHash = (body: unknown) => sha256Hex(JSON.stringify(body));
