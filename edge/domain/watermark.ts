// Which mark an image's previews carry: its parameters come from an HMAC of the image's
// SHA-256 under the server's watermark secret, so one picture always gets the same mark (its
// renditions are cached, and two differently marked copies would give each other away) while
// no two pictures share one, and nobody without the secret can say where a mark lies.
import { fromHex } from '../../shared/encoding';
import { type MarkParams, markParams } from '../../shared/imaging/watermark';
import { hmacHex } from './auth/secrets';

/**
 * WATERMARK_SECRET where set; otherwise a key of its own made from AUTH_SECRET (a different
 * HMAC key string, so no token signature ever equals a mark key). Changing it changes the
 * marks of previews not yet cached.
 */
export function watermarkSecret(env: { AUTH_SECRET: string; WATERMARK_SECRET?: string }): string {
  return env.WATERMARK_SECRET || `watermark\u0000${env.AUTH_SECRET}`;
}

/** The mark of the image with this SHA-256 (hex): two HMACs give the 64 key bytes it takes. */
export async function markOf(secret: string, sha256: string): Promise<MarkParams> {
  const [geometry, grain] = await Promise.all([hmacHex(secret, `mark:${sha256}`), hmacHex(secret, `grain:${sha256}`)]);
  return markParams(fromHex(geometry + grain)!);
}
