// Generation rows as stored, and how they read through the API. A generation's view needs its
// hold, outputs, licenses, open calls and model: a page of any size reads them in one batch
// of two statements (the page with what joins to it, then the page's outputs).
import { and, desc, eq, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Generation } from '../../../shared/api/generation';
import { findModel } from '../../../shared/catalog';
import type { LicenseKind, ProviderId } from '../../../shared/catalog/types';
import { styleModel } from '../../../shared/catalog/styles';
import { imagePolicy } from '../../../shared/license';
import type { StyleVisibility } from '../../../shared/statuses';
import type { StyleComponents } from '../../../shared/style/components';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { database } from '../../db/client';
import { generations, generationTasks, holds, images, licenses, styles, users } from '../../db/schema';
import type { GenerationRow, ImageRow, TaskRow } from '../../db/schema';
import { notFound } from '../errors';
import { isOpenGeneration, openTaskStates } from './states';

export type { GenerationRow, TaskRow } from '../../db/schema';

export interface GenerationParams {
  reference_image_ids?: string[];
  pin_ids?: string[];
  style_components?: Record<string, Record<string, number>>;
  /** Agentic: the recipe asked for, and its components as they were when the generation started. */
  recipe_id?: string;
  recipe_components?: StyleComponents;
  seed: number;
  /** Where providers send webhooks for this generation. */
  webhook_base: string;
  /** Edits: the image to change and the mask that says where. */
  source_image_id?: string;
  mask_image_id?: string;
}

export async function generationById(db: D1Database, id: string): Promise<GenerationRow | null> {
  return (await database(db).select().from(generations).where(eq(generations.id, id)).get()) ?? null;
}

export async function ownGeneration(db: D1Database, userId: string, id: string): Promise<GenerationRow> {
  const row = await database(db)
    .select()
    .from(generations)
    .where(and(eq(generations.id, id), eq(generations.user_id, userId)))
    .get();
  if (!row) throw notFound('That generation');
  return row;
}

export async function tasksOf(db: D1Database, generationId: string): Promise<TaskRow[]> {
  return database(db).select().from(generationTasks).where(eq(generationTasks.generation_id, generationId)).orderBy(generationTasks.first_index);
}

export async function taskById(db: D1Database, id: string): Promise<TaskRow | null> {
  return (await database(db).select().from(generationTasks).where(eq(generationTasks.id, id)).get()) ?? null;
}

export interface HoldState {
  status: string;
  amount: number;
  charged: number;
  refunded: number;
}

/**
 * How far an open generation has got, 0–1: calls that ended count whole, open calls by what
 * their provider reported (`reported`: images' worth of work done, the sum of count × progress
 * of the open calls that report it); undefined where no open call reports any.
 */
function fractionDone(row: GenerationRow, openImages: number, reported: number | null): number | undefined {
  if (reported === null || !isOpenGeneration(row.status) || row.batch <= 0) return undefined;
  return Math.min(1, Math.max(0, Math.round(((row.batch - openImages + reported) / row.batch) * 100) / 100));
}

/** The API's view of a generation, from what is known about it. */
export function generationDto(
  row: GenerationRow,
  provider: ProviderId,
  hold: HoldState,
  outputs: ImageRow[],
  openImages: number,
  license: LicenseKind | undefined,
  licensed: Set<string> = new Set(),
  reported: number | null = null,
): Generation {
  const fraction = fractionDone(row, openImages, reported);
  const params = JSON.parse(row.params) as GenerationParams;
  return {
    id: row.id,
    model_id: row.model_id,
    operation: row.operation,
    status: row.status,
    prompt: row.prompt,
    batch: row.batch,
    resolution: row.resolution,
    aspect_ratio: row.aspect_ratio,
    width: row.width,
    height: row.height,
    cost: {
      credits_per_image: row.credits_per_image,
      held: hold.status === 'held' ? hold.amount : 0,
      charged: hold.charged,
      refunded: hold.refunded,
    },
    progress: { delivered: outputs.length, pending: isOpenGeneration(row.status) ? openImages : 0, ...(fraction === undefined ? {} : { fraction }) },
    images: outputs.map((image) => {
      // A licensed image's renditions are unmarked: a new address, so no cache serves the marked ones.
      const version = licensed.has(image.id) ? '?licensed=1' : '';
      return {
        id: image.id,
        status: 'succeeded' as const,
        width: image.width,
        height: image.height,
        preview_url: `/v1/images/${image.id}/preview${version}`,
        thumb_url: `/v1/images/${image.id}/thumb${version}`,
        policy: imagePolicy({ kind: 'generated', modelLicense: license, licensed: licensed.has(image.id) }),
      };
    }),
    seed: params.seed,
    ...(params.source_image_id ? { source_image_id: params.source_image_id } : {}),
    provider,
    warnings: JSON.parse(row.warnings) as { setting?: string; details: string }[],
    ...(row.error ? { error: row.error } : {}),
    created_at: row.created_at,
    ...(row.completed_at ? { completed_at: row.completed_at } : {}),
  };
}

/** A column of a left-joined table, under a name of its own; null where nothing joined. */
const joined = <T>(column: SQLiteColumn, name: string) => sql<T | null>`${column}`.as(name);

/** A Style's row (left-joined, so every column may read null) as the model it is. */
function styleModelOf(style: { id: string; name: string | null; description: string | null; visibility: StyleVisibility | null; verified: number | null; components: string | null; handle: string | null; display_name: string | null }) {
  return styleModel({
    id: style.id,
    name: style.name ?? '',
    description: style.description ?? '',
    visibility: style.visibility ?? 'private',
    verified: Boolean(style.verified),
    components: JSON.parse(style.components ?? '{}') as StyleComponents,
    creator: style.handle ? { handle: style.handle, display_name: style.display_name ?? style.handle } : null,
  });
}

/**
 * The views of the generations `which` selects (newest first, at most `limit`), in two
 * statements sent as one batch: the rows joined to their hold, their model's Style and the
 * images their open calls still owe; then every output of those rows with its license.
 */
async function viewsOf(db: D1Database, which: SQL | undefined, limit: number): Promise<{ row: GenerationRow; view: Generation }[]> {
  const d = database(db);
  const owed = d
    .select({ n: sql<number>`COALESCE(SUM(${generationTasks.count}), 0)` })
    .from(generationTasks)
    .where(and(eq(generationTasks.generation_id, generations.id), inArray(generationTasks.status, openTaskStates)));
  // NULL (SUM of nothing) where no open call reports its progress.
  const reported = d
    .select({ n: sql<number | null>`SUM(${generationTasks.count} * ${generationTasks.progress})` })
    .from(generationTasks)
    .where(and(eq(generationTasks.generation_id, generations.id), inArray(generationTasks.status, openTaskStates), isNotNull(generationTasks.progress)));
  // Every call of a generation runs on the same provider (the catalog route chosen at create).
  const maker = d.select({ provider: generationTasks.provider }).from(generationTasks).where(eq(generationTasks.generation_id, generations.id)).limit(1);
  // Joined columns get names of their own: D1 returns a row's columns by name, so a second
  // `id` or `status` would overwrite the generation's.
  const page = d
    .select({
      generation: generations,
      hold: {
        status: joined<string>(holds.status, 'hold_status'),
        amount: joined<number>(holds.amount, 'hold_amount'),
        charged: joined<number>(holds.charged, 'hold_charged'),
        refunded: joined<number>(holds.refunded, 'hold_refunded'),
      },
      owed: sql<number>`(${owed})`.as('owed'),
      reported: sql<number | null>`(${reported})`.as('reported'),
      provider: sql<ProviderId>`(${maker})`.as('provider'),
      style: {
        id: joined<string>(styles.id, 'style_id'),
        name: joined<string>(styles.name, 'style_name'),
        description: joined<string>(styles.description, 'style_description'),
        visibility: joined<StyleVisibility>(styles.visibility, 'style_visibility'),
        verified: joined<number>(styles.verified, 'style_verified'),
        components: joined<string>(styles.components, 'style_components'),
        handle: joined<string>(users.handle, 'creator_handle'),
        display_name: joined<string>(users.display_name, 'creator_display_name'),
      },
    })
    .from(generations)
    .leftJoin(holds, eq(holds.id, generations.hold_id))
    .leftJoin(styles, eq(styles.id, generations.model_id))
    .leftJoin(users, eq(users.id, styles.owner_id))
    .where(which)
    .orderBy(desc(generations.id))
    .limit(limit);
  // The same selection again as a subquery, so both statements go in one round trip.
  const pageIds = d.select({ id: generations.id }).from(generations).where(which).orderBy(desc(generations.id)).limit(limit);
  const outputs = d
    .select({ image: images, license: joined<string>(licenses.id, 'license_id') })
    .from(images)
    .leftJoin(licenses, eq(licenses.image_id, images.id))
    .where(and(inArray(images.generation_id, pageIds), eq(images.kind, 'generated')))
    .orderBy(images.task_id, images.output_index);
  const [rows, outputRows] = await d.batch([page, outputs]);

  const byGeneration = new Map<string, { images: ImageRow[]; licensed: Set<string> }>();
  for (const { image, license } of outputRows) {
    const entry = byGeneration.get(image.generation_id!) ?? { images: [], licensed: new Set<string>() };
    entry.images.push(image);
    if (license) entry.licensed.add(image.id);
    byGeneration.set(image.generation_id!, entry);
  }
  return rows.map(({ generation, hold: held, owed: open, reported, provider, style }) => {
    // A Style's quiz sample holds nothing (its training paid for it): it costs nothing here.
    const hold: HoldState | null = held?.status ? { status: held.status, amount: held.amount ?? 0, charged: held.charged ?? 0, refunded: held.refunded ?? 0 } : generation.credits_per_image === 0 ? { status: 'settled', amount: 0, charged: 0, refunded: 0 } : null;
    if (!hold) throw notFound('The hold');
    const model = findModel(generation.model_id) ?? (style?.id ? styleModelOf({ ...style, id: style.id }) : undefined);
    const made = byGeneration.get(generation.id);
    return { row: generation, view: generationDto(generation, provider, hold, made?.images ?? [], Number(open), model?.license, made?.licensed, reported === null ? null : Number(reported)) };
  });
}

export async function toGenerationDto(db: D1Database, row: GenerationRow): Promise<Generation> {
  const [found] = await viewsOf(db, eq(generations.id, row.id), 1);
  if (!found) throw notFound('That generation');
  return found.view;
}

/** A page of the user's generations, newest first. */
export async function listGenerations(db: D1Database, userId: string, page: { limit: number; cursor?: string }): Promise<{ items: Generation[]; next_cursor: string | null }> {
  const mine = and(eq(generations.user_id, userId), page.cursor ? lt(generations.id, page.cursor) : undefined);
  // One more than asked says whether another page follows.
  const found = await viewsOf(db, mine, page.limit + 1);
  const shown = found.slice(0, page.limit);
  return { items: shown.map((f) => f.view), next_cursor: found.length > page.limit ? shown.at(-1)!.row.id : null };
}
