// What the server keeps about an image and never answers with: where its bytes lie, their hash.
import { eq } from 'drizzle-orm';
import { images } from '../../edge/db/schema';
import { db } from './db';

export async function storedImage(id: string): Promise<{ r2_key: string; sha256: string }> {
  const row = await db().select({ r2_key: images.r2_key, sha256: images.sha256 }).from(images).where(eq(images.id, id)).get();
  if (!row) throw new Error(`no image ${id} in D1`);
  return row;
}
