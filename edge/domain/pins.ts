// Pins: named sets of the owner's images of one subject (a character or a product).
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Pin } from '../../shared/api/pins';
import { database } from '../db/client';
import { newId } from '../db/ids';
import { type PinRow, pins } from '../db/schema';
import { iso } from '../db/time';
import { DomainError, notFound } from './errors';
import { imagesAsInput, listed } from './inputs';

const toPin = (row: PinRow): Pin => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  image_ids: JSON.parse(row.image_ids) as string[],
  created_at: row.created_at,
  updated_at: row.updated_at,
});

async function assertUsableImages(db: D1Database, userId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length !== ids.length) {
    throw new DomainError('validation_failed', 'The same image is in the pin twice.', { errors: [{ path: 'image_ids', message: 'Each image once' }] });
  }
  await imagesAsInput(db, userId, listed('image_ids', ids));
}

export async function ownPins(db: D1Database, userId: string, ids: string[]): Promise<Pin[]> {
  if (!ids.length) return [];
  const rows = await database(db)
    .select()
    .from(pins)
    .where(and(eq(pins.user_id, userId), inArray(pins.id, ids)));
  return rows.map(toPin);
}

export async function getPin(db: D1Database, userId: string, id: string): Promise<Pin> {
  const row = await database(db)
    .select()
    .from(pins)
    .where(and(eq(pins.id, id), eq(pins.user_id, userId)))
    .get();
  if (!row) throw notFound('That pin');
  return toPin(row);
}

export async function createPin(db: D1Database, userId: string, input: { kind: Pin['kind']; name: string; image_ids: string[] }, now: Date): Promise<Pin> {
  await assertUsableImages(db, userId, input.image_ids);
  const id = newId('pin');
  await database(db)
    .insert(pins)
    .values({ id, user_id: userId, kind: input.kind, name: input.name, image_ids: JSON.stringify(input.image_ids), created_at: iso(now), updated_at: iso(now) });
  return getPin(db, userId, id);
}

export async function listPins(db: D1Database, userId: string): Promise<Pin[]> {
  const rows = await database(db)
    .select()
    .from(pins)
    .where(eq(pins.user_id, userId))
    .orderBy(desc(pins.created_at), desc(pins.id));
  return rows.map(toPin);
}

export async function updatePin(db: D1Database, userId: string, id: string, change: { name?: string; image_ids?: string[] }, now: Date): Promise<Pin> {
  const pin = await getPin(db, userId, id);
  if (change.image_ids) await assertUsableImages(db, userId, change.image_ids);
  await database(db)
    .update(pins)
    .set({ name: change.name ?? pin.name, image_ids: JSON.stringify(change.image_ids ?? pin.image_ids), updated_at: iso(now) })
    .where(and(eq(pins.id, id), eq(pins.user_id, userId)));
  return getPin(db, userId, id);
}

export async function deletePin(db: D1Database, userId: string, id: string): Promise<void> {
  await getPin(db, userId, id);
  await database(db)
    .delete(pins)
    .where(and(eq(pins.id, id), eq(pins.user_id, userId)));
}
