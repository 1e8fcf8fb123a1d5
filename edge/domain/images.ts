// Images a user owns: uploads validated before anything is decoded, generated outputs, and
// their renditions. Every read is scoped by owner: another user's image does not exist.
import { and, eq, inArray } from 'drizzle-orm';
import { gifFrames, imageTypes, readImageHeader } from '../../shared/imaging/header';
import { MAX_ANIMATION_PIXELS, MAX_UPLOAD_PIXELS, MAX_UPLOAD_SIDE, PREVIEW_SIDE, THUMB_SIDE } from '../../shared/imaging/limits';
import { type ImagePolicy, imagePolicy } from '../../shared/license';
import type { ImageKind } from '../../shared/statuses';
import { type ExtraKind, extraKinds } from '../../shared/catalog/extras';
import { type Database, database } from '../db/client';
import { newId } from '../db/ids';
import { images, imageVariants, pins, trainingImages } from '../db/schema';
import { iso } from '../db/time';
import { DamagedImage, type ImageRenderer, ImageTooLarge, type Rendition, UndecodableImage } from '../imaging/renderer';
import { sha256Hex } from './auth/secrets';
import { DomainError, notFound } from './errors';
import { markOf } from './watermark';

export type { ImageRow } from '../db/schema';
import type { ImageRow } from '../db/schema';

export interface ImageDto {
  id: string;
  kind: ImageKind;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  content_type: string;
  source_url: string | null;
  page_url: string | null;
  page_title: string | null;
  model_id?: string;
  generation_id?: string;
  policy: ImagePolicy;
  preview_url: string;
  thumb_url: string;
  created_at: string;
}

/** The API's view of an image, with its policy (see imagePolicyOf; an upload's is always its owner's). */
export function toImageDto(row: ImageRow, policy: ImagePolicy = imagePolicy({ kind: 'upload' })): ImageDto {
  // A licensed image's renditions are unmarked: a new address, so no cache serves the marked ones.
  const version = policy.licensed ? '?licensed=1' : '';
  return {
    id: row.id,
    kind: row.kind,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    sha256: row.sha256,
    content_type: row.content_type,
    source_url: row.source_url,
    page_url: row.page_url,
    page_title: row.page_title,
    ...(row.model_id ? { model_id: row.model_id } : {}),
    ...(row.generation_id ? { generation_id: row.generation_id } : {}),
    policy,
    preview_url: `/v1/images/${row.id}/preview${version}`,
    thumb_url: `/v1/images/${row.id}/thumb${version}`,
    created_at: row.created_at,
  };
}

export interface UploadInput {
  ownerId: string;
  bytes: Uint8Array;
  declaredType: string;
  sourceUrl?: string | null;
  pageUrl?: string | null;
  pageTitle?: string | null;
  now: Date;
}

/** Checks an upload from its header alone: real type, declared type, dimensions. */
export function judgeUpload(bytes: Uint8Array, declaredType: string) {
  if (!(imageTypes as readonly string[]).includes(declaredType)) {
    throw new DomainError('unsupported_media_type', 'Upload a PNG, JPEG, WebP, GIF or AVIF image.');
  }
  const header = readImageHeader(bytes);
  if (!header) {
    throw new DomainError('unsupported_media_type', `This file is not a readable ${declaredType.replace('image/', '').toUpperCase()} image.`);
  }
  if (header.type !== declaredType) {
    throw new DomainError('unsupported_media_type', `This file is a ${header.type} image, not ${declaredType}.`);
  }
  const errors = [];
  if (header.width > MAX_UPLOAD_SIDE || header.height > MAX_UPLOAD_SIDE) {
    errors.push({ path: 'width', message: `Each side must be at most ${MAX_UPLOAD_SIDE} px; this is ${header.width}×${header.height}` });
  }
  if (header.width * header.height > MAX_UPLOAD_PIXELS) {
    errors.push({ path: 'pixels', message: `At most ${MAX_UPLOAD_PIXELS / 1_000_000} megapixels; this is ${((header.width * header.height) / 1_000_000).toFixed(1)}` });
  }
  if (header.type === 'image/gif') {
    const animation = gifFrames(bytes);
    if (!animation) throw damaged();
    if (animation.pixels > MAX_ANIMATION_PIXELS) {
      errors.push({ path: 'frames', message: `At most ${MAX_ANIMATION_PIXELS / 1_000_000} megapixels in all frames together; these ${animation.frames} frames hold ${(animation.pixels / 1_000_000).toFixed(1)}` });
    }
  }
  if (errors.length) throw new DomainError('validation_failed', 'This image is too large to use.', { errors });
  return header;
}

const damaged = () => new DomainError('validation_failed', 'This file is damaged or incomplete.');

/** The renderer's refusals in the API's words: a damaged file, or work too large for here. */
function inWords(error: unknown): unknown {
  if (error instanceof DamagedImage) return damaged();
  if (error instanceof ImageTooLarge) return new DomainError('validation_failed', error.message);
  return error;
}

async function uploadBySha(d: Database, ownerId: string, sha256: string): Promise<ImageRow | undefined> {
  return d
    .select()
    .from(images)
    .where(and(eq(images.owner_id, ownerId), eq(images.sha256, sha256), eq(images.kind, 'upload')))
    .get();
}

/**
 * Decodes the upload (as its thumbnail, at reduced scale) before anything is stored: a file
 * whose data does not match its header is refused. The thumbnail is kept: the panel asks for
 * it next. A type the local renderer cannot decode at all (AVIF) is judged by its header and
 * its structure (shared/imaging/avif.ts).
 */
async function verifiedThumb(renderer: ImageRenderer, bytes: Uint8Array): Promise<Rendition | null> {
  try {
    return await renderer.rendition(bytes, THUMB_SIDE);
  } catch (error) {
    if (error instanceof UndecodableImage) return null;
    throw inWords(error);
  }
}

/**
 * Stores an upload; the same bytes from the same user return the image already stored. One
 * D1 statement in the common case: the unique (owner, sha256) index notices a duplicate.
 */
export async function storeUpload(db: D1Database, bucket: R2Bucket, renderer: ImageRenderer, input: UploadInput): Promise<{ image: ImageRow; created: boolean }> {
  const header = judgeUpload(input.bytes, input.declaredType);
  const thumb = await verifiedThumb(renderer, input.bytes);
  const sha256 = await sha256Hex(input.bytes);
  const key = `originals/${crypto.randomUUID()}`;
  await bucket.put(key, input.bytes, { httpMetadata: { contentType: header.type } });
  const d = database(db);
  const row: typeof images.$inferInsert = {
    id: newId('img'),
    owner_id: input.ownerId,
    kind: 'upload',
    content_type: header.type,
    bytes: input.bytes.byteLength,
    width: header.width,
    height: header.height,
    sha256,
    r2_key: key,
    source_url: input.sourceUrl ?? null,
    page_url: input.pageUrl ?? null,
    page_title: input.pageTitle ?? null,
    created_at: iso(input.now),
  };
  const inserted = await d.insert(images).values(row).onConflictDoNothing().returning().get();
  if (inserted) {
    if (thumb) await bucket.put(renditionKey(inserted, 'thumb', false), thumb.bytes, { httpMetadata: { contentType: thumb.contentType } });
    return { image: inserted, created: true };
  }
  // Already stored (before, or by a concurrent upload of the same bytes): keep one copy.
  await bucket.delete(key);
  const existing = await uploadBySha(d, input.ownerId, sha256);
  if (!existing) throw notFound('The image');
  return { image: existing, created: false };
}

export async function getOwnImage(db: D1Database, ownerId: string, id: string): Promise<ImageRow> {
  const row = await database(db)
    .select()
    .from(images)
    .where(and(eq(images.id, id), eq(images.owner_id, ownerId)))
    .get();
  if (!row) throw notFound('That image');
  return row;
}

export async function ownImages(db: D1Database, ownerId: string, ids: string[]): Promise<ImageRow[]> {
  if (!ids.length) return [];
  return database(db)
    .select()
    .from(images)
    .where(and(eq(images.owner_id, ownerId), inArray(images.id, ids)));
}

export const renditionSides = { thumb: THUMB_SIDE, preview: PREVIEW_SIDE } as const;
export type RenditionName = keyof typeof renditionSides;

/** Where a rendition is kept in R2: beside its original, marked or not. */
export const renditionKey = (image: Pick<ImageRow, 'r2_key'>, name: RenditionName, marked: boolean) => `${image.r2_key}.${name}${marked ? '.marked' : ''}.jpg`;

/** Where an upscale, cut-out or SVG of an image is kept: beside its original. */
export const variantKey = (image: Pick<ImageRow, 'r2_key'>, kind: ExtraKind) => `${image.r2_key}.${kind}`;

/** Every file an image may have in R2: the original and its renditions, marked or not. */
export function imageFiles(image: Pick<ImageRow, 'r2_key'>): string[] {
  const names = Object.keys(renditionSides) as RenditionName[];
  return [image.r2_key, ...names.flatMap((name) => [renditionKey(image, name, false), renditionKey(image, name, true)])];
}

/**
 * A thumbnail or preview, rendered once and kept in R2 beside the original. `markSecret` (the
 * watermark secret) when the image's policy says it is watermarked, the only form in which
 * such an image leaves: it then carries the image's own mark (edge/domain/watermark.ts).
 */
export async function rendition(bucket: R2Bucket, renderer: ImageRenderer, image: ImageRow, name: RenditionName, markSecret: string | null = null): Promise<{ body: ReadableStream | Uint8Array; contentType: string }> {
  const cached = await bucket.get(renditionKey(image, name, markSecret !== null));
  if (cached) return { body: cached.body, contentType: cached.httpMetadata?.contentType ?? 'image/jpeg' };
  const original = await bucket.get(image.r2_key);
  if (!original) throw notFound('The image file');
  return renderRendition(bucket, renderer, image, name, markSecret, new Uint8Array(await original.arrayBuffer()));
}

/**
 * Renders and keeps a rendition from the original's bytes in hand: the thumbnail of a new
 * output is made as it is stored, so the panel's first look at it needs no decoding.
 */
export async function renderRendition(bucket: R2Bucket, renderer: ImageRenderer, image: ImageRow, name: RenditionName, markSecret: string | null, original: Uint8Array): Promise<{ body: Uint8Array; contentType: string }> {
  try {
    const mark = markSecret === null ? undefined : await markOf(markSecret, image.sha256);
    const made = await renderer.rendition(original, renditionSides[name], mark);
    await bucket.put(renditionKey(image, name, mark !== undefined), made.bytes, { httpMetadata: { contentType: made.contentType } });
    return { body: made.bytes, contentType: made.contentType };
  } catch (error) {
    if (error instanceof UndecodableImage) {
      throw new DomainError('unsupported_media_type', 'A preview of this image cannot be made here; its format is not supported by the local renderer.');
    }
    throw inWords(error);
  }
}

/** A rendition's bytes in hand (to measure it, or send it to a provider). */
export async function renditionBytes(bucket: R2Bucket, renderer: ImageRenderer, image: ImageRow, name: RenditionName): Promise<Uint8Array> {
  const made = await rendition(bucket, renderer, image, name);
  return made.body instanceof Uint8Array ? made.body : new Uint8Array(await new Response(made.body).arrayBuffer());
}

/**
 * Deletes an upload and everything made from it that is only a form of it: its upscales,
 * cut-outs and SVGs (rows and files) and its renditions; pins and training sets drop it. Images generated or
 * edited from it are images of their own and stay, with any license on them: a license is a
 * record of a sale and is never deleted (uploads themselves are never licensed).
 */
export async function deleteUpload(db: D1Database, bucket: R2Bucket, ownerId: string, id: string): Promise<void> {
  const image = await getOwnImage(db, ownerId, id);
  if (image.kind !== 'upload') throw new DomainError('forbidden', 'Generated images stay with their generation; only uploads can be deleted.');
  const d = database(db);
  const holding = (await d.select().from(pins).where(eq(pins.user_id, ownerId))).filter((pin) => (JSON.parse(pin.image_ids) as string[]).includes(id));
  // One batch: the image, its variants and its place in pins and training sets go together or not at all.
  await d.batch([
    d.delete(imageVariants).where(eq(imageVariants.image_id, id)),
    d.delete(trainingImages).where(eq(trainingImages.image_id, id)),
    ...holding.map((pin) =>
      d
        .update(pins)
        .set({ image_ids: JSON.stringify((JSON.parse(pin.image_ids) as string[]).filter((imageId) => imageId !== id)) })
        .where(eq(pins.id, pin.id)),
    ),
    d.delete(images).where(and(eq(images.id, id), eq(images.owner_id, ownerId))),
  ]);
  // The files go once nothing names them: a variant's key is fixed by its kind, so one made
  // by a job still running is found here too if it landed before this.
  await bucket.delete([...imageFiles(image), ...extraKinds.map((kind) => variantKey(image, kind))]);
}
