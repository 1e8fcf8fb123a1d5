// The community library: published public Styles for everyone (and, signed in, the caller's
// own usable private ones), searched and sorted inside D1 so a library of thousands of Styles
// is never loaded into the Worker; each shown with its title image, examples, creator, users
// and license terms. Their example images leave only as public previews, marked as their
// policy says.
import { type AnyColumn, and, asc, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { ModelKind, PublicModel } from '../../../shared/catalog';
import { publicModel } from '../../../shared/catalog';
import { perImageTerms } from '../../../shared/license';
import { database } from '../../db/client';
import { images, styles, users } from '../../db/schema';
import type { ImageRenderer } from '../../imaging/renderer';
import { getUser } from '../accounts';
import { DomainError, notFound } from '../errors';
import { type ImageRow, rendition } from '../images';
import { imagePolicyOf } from '../licenses';
import { ownUsableStyle, publishedStyle, styleRowModel, visibleTo } from '../models';

export type LibrarySort = 'popular' | 'new';

export interface LibrarySearch {
  kind?: ModelKind;
  q?: string;
  sort?: LibrarySort;
  limit: number;
  cursor?: string;
}

const columns = {
  id: styles.id,
  owner_id: styles.owner_id,
  name: styles.name,
  description: styles.description,
  visibility: styles.visibility,
  verified: styles.verified,
  components: styles.components,
  weights: styles.weights,
  title: styles.title,
  title_image_id: styles.title_image_id,
  example_image_ids: styles.example_image_ids,
  published_at: styles.published_at,
  distinct_users: styles.distinct_users,
  created_at: styles.created_at,
  handle: users.handle,
  display_name: users.display_name,
};

type LibraryRow = {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  visibility: 'public' | 'private';
  verified: boolean;
  components: string;
  weights: string | null;
  title: string | null;
  title_image_id: string | null;
  example_image_ids: string;
  published_at: string | null;
  distinct_users: number;
  created_at: string;
  handle: string | null;
  display_name: string | null;
};

const isPublished = publishedStyle;
const ownUsable = ownUsableStyle;

/** The public address of a published Style's title image or example. */
export const exampleUrl = (styleId: string, imageId: string) => `/v1/models/${styleId}/examples/${imageId}`;

/** A Style as the library shows it: the catalog's model, plus what a published one shows. */
export function libraryModel(row: LibraryRow): PublicModel {
  const model = publicModel(styleRowModel(row));
  if (row.visibility !== 'public') return model;
  const examples = JSON.parse(row.example_image_ids) as string[];
  return {
    ...model,
    name: row.title ?? row.name,
    ...(row.title_image_id ? { title_image_url: exampleUrl(row.id, row.title_image_id) } : {}),
    example_image_urls: examples.map((imageId) => exampleUrl(row.id, imageId)),
    users: row.distinct_users,
    ...(row.published_at ? { published_at: row.published_at } : {}),
    ...(model.license === 'per_image' ? { license_terms: perImageTerms } : {}),
  };
}

/** `%words%` for LIKE, with the caller's own % and _ taken literally. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Name, title, description, creator handle or display name contain the words (ASCII case-insensitive, as SQLite's LIKE). */
function matching(q: string): SQL {
  const pattern = containing(q);
  const like = (column: AnyColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
  return or(like(styles.name), like(styles.title), like(styles.description), like(users.handle), like(users.display_name))!;
}

/** Which order, and the key a page continues after. */
function ordering(sort: LibrarySort | undefined) {
  if (sort === 'popular') return { key: sql<number>`${styles.distinct_users}`, desc: true };
  // Seeded Styles never went through moderation: they count as published when they were made.
  if (sort === 'new') return { key: sql<string>`coalesce(${styles.published_at}, ${styles.created_at})`, desc: true };
  return { key: sql<string>`${styles.created_at}`, desc: false };
}

const encodeCursor = (key: unknown, id: string) => btoa(JSON.stringify([key, id])).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function decodeCursor(cursor: string): [string | number, string] {
  try {
    const value = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as unknown;
    if (Array.isArray(value) && value.length === 2 && (typeof value[0] === 'number' || typeof value[0] === 'string') && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new DomainError('validation_failed', 'This cursor is not one the library gave out; start again from the first page.', { errors: [{ path: 'cursor', message: 'Not a cursor from this list' }] });
}

/** Gives creators made before handles existed their handle now, so every Style shows its creator. */
async function withHandles(db: D1Database, rows: LibraryRow[]): Promise<LibraryRow[]> {
  const missing = [...new Set(rows.filter((r) => !r.handle).map((r) => r.owner_id))];
  if (!missing.length) return rows;
  const found = new Map((await Promise.all(missing.map((id) => getUser(db, id)))).map((u) => [u.id, u]));
  return rows.map((r) => (r.handle ? r : { ...r, handle: found.get(r.owner_id)?.handle ?? null, display_name: found.get(r.owner_id)?.display_name ?? null }));
}

/**
 * One page of Styles the caller may see, filtered and ordered by D1 (an index on visibility,
 * status and each order's key): published public ones as `artist`, the caller's own usable
 * private ones as `private`.
 */
export async function searchLibrary(db: D1Database, userId: string | null, search: LibrarySearch): Promise<{ items: PublicModel[]; next_cursor: string | null }> {
  const visible =
    search.kind === 'artist' ? isPublished() : search.kind === 'private' ? (userId ? ownUsable(userId) : undefined) : search.kind ? undefined : visibleTo(userId);
  if (!visible) return { items: [], next_cursor: null };
  const order = ordering(search.sort);
  const after = search.cursor ? decodeCursor(search.cursor) : null;
  const continues = after
    ? order.desc
      ? or(lt(order.key, after[0]), and(eq(order.key, after[0]), lt(styles.id, after[1])))
      : or(sql`${order.key} > ${after[0]}`, and(eq(order.key, after[0]), sql`${styles.id} > ${after[1]}`))
    : undefined;
  const q = search.q?.trim();
  const rows = await database(db)
    .select({ ...columns, sort_key: order.key.as('sort_key') })
    .from(styles)
    .innerJoin(users, eq(users.id, styles.owner_id))
    .where(and(visible, q ? matching(q) : undefined, continues))
    .orderBy(order.desc ? desc(order.key) : asc(order.key), order.desc ? desc(styles.id) : asc(styles.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    items: (await withHandles(db, page)).map(libraryModel),
    next_cursor: rows.length > search.limit && last ? encodeCursor(last.sort_key, last.id) : null,
  };
}

/** One Style as the library shows it to this caller (a published one, or the caller's own usable private one), or undefined. */
export async function libraryStyle(db: D1Database, userId: string | null, id: string): Promise<PublicModel | undefined> {
  const row = await database(db)
    .select(columns)
    .from(styles)
    .innerJoin(users, eq(users.id, styles.owner_id))
    .where(and(eq(styles.id, id), visibleTo(userId)))
    .get();
  return row ? (await withHandles(db, [row])).map(libraryModel)[0] : undefined;
}

/** A creator's published Styles, most used first. */
export async function publishedStylesOf(db: D1Database, ownerId: string): Promise<PublicModel[]> {
  const rows = await database(db)
    .select(columns)
    .from(styles)
    .innerJoin(users, eq(users.id, styles.owner_id))
    .where(and(isPublished(), eq(styles.owner_id, ownerId)))
    .orderBy(desc(styles.distinct_users), desc(styles.id));
  return rows.map(libraryModel);
}

/**
 * The public preview of a published Style's title image or one of its examples: only those
 * images, only while it is published, only the creator's own; marked where its policy says
 * (never the original). Anything else does not exist here.
 */
export async function styleExample(
  db: D1Database,
  bucket: R2Bucket,
  renderer: ImageRenderer,
  watermarkSecret: string,
  styleId: string,
  imageId: string,
): Promise<{ body: ReadableStream | Uint8Array; contentType: string }> {
  const d = database(db);
  const style = await d
    .select({ owner_id: styles.owner_id, title_image_id: styles.title_image_id, example_image_ids: styles.example_image_ids })
    .from(styles)
    .where(and(eq(styles.id, styleId), isPublished()))
    .get();
  const shown = style ? [style.title_image_id, ...(JSON.parse(style.example_image_ids) as string[])] : [];
  if (!style || !shown.includes(imageId)) throw notFound('That example');
  const image: ImageRow | undefined = await d
    .select()
    .from(images)
    .where(and(eq(images.id, imageId), eq(images.owner_id, style.owner_id)))
    .get();
  if (!image) throw notFound('That example');
  const policy = await imagePolicyOf(db, image);
  return rendition(bucket, renderer, image, 'preview', policy.watermarked ? watermarkSecret : null);
}
