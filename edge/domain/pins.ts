// Pins: named sets of the owner's images of one subject (a character or a product).
import type { Pin } from '../../shared/api/pins';
import { newId } from '../db/ids';
import { numberedPlaceholders } from '../db/sql';
import { iso } from '../db/time';
import { DomainError, notFound } from './errors';
import { ownImages } from './images';
import { assertUsableAsInput } from './licenses';

interface PinRow {
  id: string;
  user_id: string;
  kind: 'character' | 'product';
  name: string;
  image_ids: string;
  created_at: string;
  updated_at: string;
}

const toPin = (row: PinRow): Pin => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  image_ids: JSON.parse(row.image_ids) as string[],
  created_at: row.created_at,
  updated_at: row.updated_at,
});

async function assertOwnImages(db: D1Database, userId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length !== ids.length) {
    throw new DomainError('validation_failed', 'The same image is in the pin twice.', { errors: [{ path: 'image_ids', message: 'Each image once' }] });
  }
  const own = await ownImages(db, userId, ids);
  const found = new Set(own.map((i) => i.id));
  const errors = ids.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id)).map(({ i }) => ({ path: `image_ids.${i}`, message: 'No such image' }));
  if (errors.length) throw new DomainError('validation_failed', 'Some images were not found.', { errors });
  await assertUsableAsInput(db, own, 'image_ids');
}

export async function ownPins(db: D1Database, userId: string, ids: string[]): Promise<Pin[]> {
  if (!ids.length) return [];
  const { results } = await db
    .prepare(`SELECT * FROM pins WHERE user_id = ?1 AND id IN (${numberedPlaceholders(ids.length, 2)})`)
    .bind(userId, ...ids)
    .all<PinRow>();
  return results.map(toPin);
}

export async function getPin(db: D1Database, userId: string, id: string): Promise<Pin> {
  const row = await db.prepare('SELECT * FROM pins WHERE id = ?1 AND user_id = ?2').bind(id, userId).first<PinRow>();
  if (!row) throw notFound('That pin');
  return toPin(row);
}

export async function createPin(db: D1Database, userId: string, input: { kind: Pin['kind']; name: string; image_ids: string[] }, now: Date): Promise<Pin> {
  await assertOwnImages(db, userId, input.image_ids);
  const id = newId('pin');
  await db
    .prepare('INSERT INTO pins (id, user_id, kind, name, image_ids, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)')
    .bind(id, userId, input.kind, input.name, JSON.stringify(input.image_ids), iso(now))
    .run();
  return getPin(db, userId, id);
}

export async function listPins(db: D1Database, userId: string): Promise<Pin[]> {
  const { results } = await db.prepare('SELECT * FROM pins WHERE user_id = ?1 ORDER BY created_at DESC, id DESC').bind(userId).all<PinRow>();
  return results.map(toPin);
}

export async function updatePin(db: D1Database, userId: string, id: string, change: { name?: string; image_ids?: string[] }, now: Date): Promise<Pin> {
  const pin = await getPin(db, userId, id);
  if (change.image_ids) await assertOwnImages(db, userId, change.image_ids);
  await db
    .prepare('UPDATE pins SET name = ?1, image_ids = ?2, updated_at = ?3 WHERE id = ?4 AND user_id = ?5')
    .bind(change.name ?? pin.name, JSON.stringify(change.image_ids ?? pin.image_ids), iso(now), id, userId)
    .run();
  return getPin(db, userId, id);
}

export async function deletePin(db: D1Database, userId: string, id: string): Promise<void> {
  await getPin(db, userId, id);
  await db.prepare('DELETE FROM pins WHERE id = ?1 AND user_id = ?2').bind(id, userId).run();
}
