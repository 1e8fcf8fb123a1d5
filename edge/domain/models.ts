// The catalog as a caller sees it: the built-in generators, every published Artist Style,
// and the caller's own private Styles. Another user's private Style does not exist for you.
import { builtInModels, findModel, type Model } from '../../shared/catalog';
import { styleModel } from '../../shared/catalog/styles';
import type { StyleComponents } from '../../shared/style/components';

interface StyleRow {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  visibility: 'public' | 'private';
  verified: number;
  components: string;
  handle: string | null;
  display_name: string | null;
}

const toModel = (row: StyleRow): Model =>
  styleModel({
    id: row.id,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    verified: Boolean(row.verified),
    components: JSON.parse(row.components) as StyleComponents,
    creator: row.handle ? { handle: row.handle, display_name: row.display_name ?? row.handle } : null,
  });

const VISIBLE = `SELECT s.*, u.handle, u.display_name FROM styles s JOIN users u ON u.id = s.owner_id
  WHERE ((s.visibility = 'public' AND s.status = 'published') OR (s.visibility = 'private' AND s.owner_id = ?1 AND s.status IN ('ready', 'published')))`;

export async function visibleModels(db: D1Database, userId: string | null): Promise<Model[]> {
  const { results } = await db.prepare(`${VISIBLE} ORDER BY s.created_at`).bind(userId ?? '').all<StyleRow>();
  return [...builtInModels, ...results.map(toModel)];
}

/** One model by id as this caller may use it; built-ins need no query. */
export async function modelFor(db: D1Database, userId: string | null, id: string): Promise<Model | undefined> {
  const builtIn = findModel(id);
  if (builtIn) return builtIn;
  if (!id.startsWith('sty_')) return undefined;
  const row = await db.prepare(`${VISIBLE} AND s.id = ?2`).bind(userId ?? '', id).first<StyleRow>();
  return row ? toModel(row) : undefined;
}

/** The model an image was made with, whoever asks (its policy depends on it). */
export async function modelOfImage(db: D1Database, modelId: string | null): Promise<Model | undefined> {
  if (!modelId) return undefined;
  const builtIn = findModel(modelId);
  if (builtIn) return builtIn;
  const row = await db
    .prepare('SELECT s.*, u.handle, u.display_name FROM styles s JOIN users u ON u.id = s.owner_id WHERE s.id = ?1')
    .bind(modelId)
    .first<StyleRow>();
  return row ? toModel(row) : undefined;
}
