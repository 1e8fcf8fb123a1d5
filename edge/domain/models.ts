// The catalog as a caller uses it: the built-in generators, every published Artist Style,
// and the caller's own private Styles. Another user's private Style does not exist for you.
import { and, eq, getTableColumns, inArray, or, type SQL } from 'drizzle-orm';
import { findModel, type Model } from '../../shared/catalog';
import { parseStyleWeights, styleModel } from '../../shared/catalog/styles';
import type { StyleStatus } from '../../shared/statuses';
import { completeComponents, type StyleComponents } from '../../shared/style/components';
import { type Database, database } from '../db/client';
import { type StyleRow, styles, users } from '../db/schema';

/** A private Style its owner may already use: trained and passed, published or not. */
const usableByOwner = ['ready', 'published'] as const satisfies readonly StyleStatus[];

type StyleWithCreator = StyleRow & { handle: string | null; display_name: string | null };

/** A Style row with its creator's public name, as the catalog's model. */
export const styleRowModel = (row: Pick<StyleWithCreator, 'id' | 'name' | 'description' | 'visibility' | 'verified' | 'components' | 'weights' | 'handle' | 'display_name'>): Model =>
  styleModel({
    id: row.id,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    verified: row.verified,
    components: completeComponents(JSON.parse(row.components) as StyleComponents),
    weights: parseStyleWeights(row.weights),
    creator: row.handle ? { handle: row.handle, display_name: row.display_name ?? row.handle } : null,
  });

/** Styles with their creator's public name, filtered by `where`. */
const stylesWithCreator = (d: Database, where: SQL | undefined) =>
  d
    .select({ ...getTableColumns(styles), handle: users.handle, display_name: users.display_name })
    .from(styles)
    .innerJoin(users, eq(users.id, styles.owner_id))
    .where(where);

/** An Artist Style in everyone's library: public and through moderation. */
export const publishedStyle = () => and(eq(styles.visibility, 'public'), eq(styles.status, 'published'))!;

/** The caller's own private Styles they may use. */
export const ownUsableStyle = (userId: string) => and(eq(styles.visibility, 'private'), eq(styles.owner_id, userId), inArray(styles.status, usableByOwner))!;

/** Every published public Style, and the caller's own usable private ones (the library: edge/domain/styles/library.ts). */
export const visibleTo = (userId: string | null) => (userId ? or(publishedStyle(), ownUsableStyle(userId))! : publishedStyle());

/** One model by id as this caller may use it; built-ins need no query. */
export async function modelFor(db: D1Database, userId: string | null, id: string): Promise<Model | undefined> {
  const builtIn = findModel(id);
  if (builtIn) return builtIn;
  if (!id.startsWith('sty_')) return undefined;
  const row = await stylesWithCreator(database(db), and(visibleTo(userId), eq(styles.id, id))).get();
  return row ? styleRowModel(row) : undefined;
}

/** The model an image was made with, whoever asks (its policy depends on it). */
export async function modelOfImage(db: D1Database, modelId: string | null): Promise<Model | undefined> {
  if (!modelId) return undefined;
  const builtIn = findModel(modelId);
  if (builtIn) return builtIn;
  const row = await stylesWithCreator(database(db), eq(styles.id, modelId)).get();
  return row ? styleRowModel(row) : undefined;
}
