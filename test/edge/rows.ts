// Rows read or arranged directly, for what HTTP does not show: through the Worker's own query
// builder and schema, so a test cannot name a column the tables do not have.
import { eq } from 'drizzle-orm';
import { env } from 'cloudflare:workers';
import { database } from '../../edge/db/client';
import { images } from '../../edge/db/schema';

export const rows = () => database(env.DB);

/** What the server keeps about an image and never answers with: where its bytes lie, their hash. */
export async function storedImage(id: string): Promise<{ r2_key: string; sha256: string }> {
  const row = await rows().select({ r2_key: images.r2_key, sha256: images.sha256 }).from(images).where(eq(images.id, id)).get();
  if (!row) throw new Error(`no image ${id} in D1`);
  return row;
}
