// The one reading of `Authorization: Bearer <token>`, for the guards and for logout.
import type { Context } from 'hono';

export function bearerToken(c: Context): string | null {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? null;
}
