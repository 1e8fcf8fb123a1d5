// Generation rows as stored, and how they read through the API.
import type { Generation } from '../../../shared/api/generation';
import type { GenerationStatus, TaskStatus } from '../../db/schema';
import { getHold } from '../ledger';
import type { ImageRow } from '../images';
import { imagePolicy } from '../../../shared/license';
import type { LicenseKind } from '../../../shared/catalog/types';
import { modelOfImage } from '../models';
import { notFound } from '../errors';

export type { GenerationRow, TaskRow } from '../../db/schema';
import type { GenerationRow, TaskRow } from '../../db/schema';

export interface GenerationParams {
  reference_image_ids?: string[];
  pin_ids?: string[];
  style_components?: Record<string, Record<string, number>>;
  seed: number;
  /** Where providers send webhooks for this generation. */
  webhook_base: string;
  /** Edits: the image to change and the mask that says where. */
  source_image_id?: string;
  mask_image_id?: string;
}


export const openStatuses: GenerationStatus[] = ['queued', 'running'];

export async function generationById(db: D1Database, id: string): Promise<GenerationRow | null> {
  return db.prepare('SELECT * FROM generations WHERE id = ?1').bind(id).first<GenerationRow>();
}

export async function ownGeneration(db: D1Database, userId: string, id: string): Promise<GenerationRow> {
  const row = await db.prepare('SELECT * FROM generations WHERE id = ?1 AND user_id = ?2').bind(id, userId).first<GenerationRow>();
  if (!row) throw notFound('That generation');
  return row;
}

export async function tasksOf(db: D1Database, generationId: string): Promise<TaskRow[]> {
  const { results } = await db.prepare('SELECT * FROM generation_tasks WHERE generation_id = ?1 ORDER BY first_index').bind(generationId).all<TaskRow>();
  return results;
}

export async function taskById(db: D1Database, id: string): Promise<TaskRow | null> {
  return db.prepare('SELECT * FROM generation_tasks WHERE id = ?1').bind(id).first<TaskRow>();
}

export async function outputsOf(db: D1Database, generationId: string): Promise<ImageRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM images WHERE generation_id = ?1 AND kind = 'generated' ORDER BY task_id, output_index")
    .bind(generationId)
    .all<ImageRow & { task_id: string; output_index: number }>();
  return results;
}

export interface HoldState {
  status: string;
  amount: number;
  charged: number;
  refunded: number;
}

/** The API's view of a generation, from what is known about it. */
export function generationDto(row: GenerationRow, hold: HoldState, outputs: ImageRow[], openImages: number, license: LicenseKind | undefined, licensed: Set<string> = new Set()): Generation {
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
    progress: { delivered: outputs.length, pending: row.status === 'queued' || row.status === 'running' ? openImages : 0 },
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
    warnings: JSON.parse(row.warnings) as { setting?: string; details: string }[],
    ...(row.error ? { error: row.error } : {}),
    created_at: row.created_at,
    ...(row.completed_at ? { completed_at: row.completed_at } : {}),
  };
}

export async function toGenerationDto(db: D1Database, row: GenerationRow): Promise<Generation> {
  const [hold, outputs, tasks, model, licensed] = await Promise.all([
    getHold(db, row.hold_id),
    outputsOf(db, row.id),
    tasksOf(db, row.id),
    modelOfImage(db, row.model_id),
    db.prepare('SELECT l.image_id FROM licenses l JOIN images i ON i.id = l.image_id WHERE i.generation_id = ?1').bind(row.id).all<{ image_id: string }>(),
  ]);
  const open = tasks.filter((t) => t.status === 'pending' || t.status === 'submitted').reduce((n, t) => n + t.count, 0);
  return generationDto(row, hold, outputs, open, model?.license, new Set(licensed.results.map((l) => l.image_id)));
}

/** A page of the user's generations, newest first. */
export async function listGenerations(db: D1Database, userId: string, page: { limit: number; cursor?: string }): Promise<{ items: Generation[]; next_cursor: string | null }> {
  const { results } = await db
    .prepare('SELECT * FROM generations WHERE user_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3')
    .bind(userId, page.cursor ?? null, page.limit + 1)
    .all<GenerationRow>();
  const rows = results.slice(0, page.limit);
  return {
    items: await Promise.all(rows.map((row) => toGenerationDto(db, row))),
    next_cursor: results.length > page.limit ? rows.at(-1)!.id : null,
  };
}
