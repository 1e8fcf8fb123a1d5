// Licensed extras: upscaled to 4K or 8K, background removed, exported to SVG. Each is made
// once by a job and then served by download; only images their holder may download get them.
import { type ExtraKind, extraLongSides, extraRoutes } from '../../shared/catalog/extras';
import type { ProviderRoute } from '../../shared/catalog/types';
import { readImageHeader } from '../../shared/imaging/header';
import { MAX_UPLOAD_BYTES } from '../../shared/imaging/limits';
import { removeBackground } from '../../shared/imaging/background';
import { vectorize } from '../../shared/imaging/vectorize';
import { and, eq, inArray } from 'drizzle-orm';
import { database } from '../db/client';
import { images, imageVariants } from '../db/schema';
import { iso } from '../db/time';
import type { ImageRenderer } from '../imaging/renderer';
import type { JobMessage } from '../jobs/messages';
import { fetchOutput } from '../providers/outputs';
import type { Providers } from '../providers/registry';
import type { ImageProvider, ProviderFile, ProviderOutcome } from '../providers/types';
import { putInParts } from '../storage/put-in-parts';
import { DomainError, notFound } from './errors';
import type { EventPublisher } from './events';
import { moveVariant, sourcesOf, variantMachine } from './generations/states';
import { getOwnImage, variantKey } from './images';
import { imagesAsInput } from './inputs';
import type { InputLinker } from './provider-inputs';

export { extraKinds as variantKinds } from '../../shared/catalog/extras';
export type VariantKind = ExtraKind;

const LONG_SIDES = extraLongSides;
const POLL_MS = 1500;
const POLL_LIMIT_MS = 120_000;
/** Background removal and vectorizing work on a smaller copy: the shapes, not the grain. */
const CUTOUT_SIDE = 2048;
const VECTOR_SIDE = 512;

export type { VariantRow } from '../db/schema';
import type { VariantRow } from '../db/schema';

export const toVariantDto = (v: VariantRow) => ({ image_id: v.image_id, kind: v.kind, status: v.status, width: v.width, height: v.height, ...(v.error ? { error: v.error } : {}) });

export async function variantOf(db: D1Database, imageId: string, kind: VariantKind): Promise<VariantRow | null> {
  return (
    (await database(db)
      .select()
      .from(imageVariants)
      .where(and(eq(imageVariants.image_id, imageId), eq(imageVariants.kind, kind)))
      .get()) ?? null
  );
}

/**
 * Starts (or returns) the job for a variant; 403 not_licensed where the policy keeps the image
 * locked. `origin` is this API's public origin, where a provider fetches the original from.
 */
export async function requestVariant(db: D1Database, queue: Queue<JobMessage>, userId: string, imageId: string, kind: VariantKind, now: Date, origin?: string): Promise<VariantRow> {
  // Upscales, cut-outs and SVGs come with the license: the image is an input like any other.
  const image = (await imagesAsInput(db, userId, [{ path: 'id', id: imageId }], 'not_found'))[0]!;
  const existing = await variantOf(db, image.id, kind);
  if (existing && existing.status !== 'failed') return existing;
  // New, or a failed one made again: the move back to queued is guarded like any other.
  await database(db)
    .insert(imageVariants)
    .values({ image_id: image.id, kind, status: variantMachine.initial, created_at: iso(now), updated_at: iso(now) })
    .onConflictDoUpdate({
      target: [imageVariants.image_id, imageVariants.kind],
      set: { status: 'queued', error: null, updated_at: iso(now) },
      setWhere: inArray(imageVariants.status, sourcesOf(variantMachine, 'queued')),
    })
    .run();
  await queue.send({ type: 'variant', image_id: image.id, kind, ...(origin ? { origin } : {}) });
  return (await variantOf(db, image.id, kind))!;
}

interface Made {
  bytes: Uint8Array;
  contentType: string;
  width: number;
  height: number;
}

/** What a tool call works on: the original (by its link where there is one), or a provider's own output. */
type ToolInput = { file: ProviderFile } | { outputUrl: string };

/** One call to a provider's image tool, waited for here (image tools answer in seconds). */
async function callTool(provider: ImageProvider, route: ProviderRoute, input: ToolInput, options: Record<string, unknown>): Promise<string> {
  const submission = await provider.submit(
    {
      endpoint: route.endpoint,
      prompt: '',
      n: 1,
      size: { width: 0, height: 0 },
      aspectRatio: '1:1',
      files: 'file' in input ? [input.file] : [],
      providerOptions: { ...route.options, ...options, ...('outputUrl' in input ? { image_url: input.outputUrl } : {}) },
    },
    null,
  );
  let outcome: ProviderOutcome = submission.mode === 'sync' ? submission.outcome : { state: 'pending' };
  for (let waited = 0; outcome.state === 'pending'; waited += POLL_MS) {
    if (waited > POLL_LIMIT_MS) throw new Error(`${provider.id} took too long`);
    await new Promise((r) => setTimeout(r, POLL_MS));
    outcome = await provider.status(route.endpoint, (submission as { requestId: string }).requestId);
  }
  if (outcome.state !== 'succeeded') throw new Error(outcome.state === 'failed' ? outcome.error : `${provider.id} canceled the request`);
  const image = outcome.images[0];
  if (!image || !('url' in image)) throw new Error(`${provider.id} answered without an image`);
  return image.url;
}

async function download(provider: ImageProvider, url: string): Promise<Uint8Array> {
  const response = await fetchOutput((input, init) => fetch(input, init), url, { hosts: provider.outputHosts ?? [] }, { signal: AbortSignal.timeout(60_000) });
  if (!response) throw new Error('the provider answered with an address outside its output hosts');
  if (!response.ok || Number(response.headers.get('content-length') ?? 0) > 4 * MAX_UPLOAD_BYTES) throw new Error(`the output could not be downloaded (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The variant made at a provider: upscales chain (each call up to 4×) until the size is reached. */
async function atProvider(provider: ImageProvider, route: ProviderRoute, kind: VariantKind, original: ProviderFile): Promise<Made> {
  let url: string;
  if (kind === 'upscale_4k' || kind === 'upscale_8k') {
    const header = readImageHeader(original.bytes);
    let side = header ? Math.max(header.width, header.height) : 1024;
    let input: ToolInput = { file: original };
    do {
      const scale = Math.min(4, Math.max(2, Math.ceil(LONG_SIDES[kind] / side)));
      url = await callTool(provider, route, input, { scale });
      side *= scale;
      input = { outputUrl: url };
    } while (side < LONG_SIDES[kind]);
  } else {
    url = await callTool(provider, route, { file: original }, {});
  }
  const bytes = await download(provider, url);
  if (kind === 'svg') {
    const text = new TextDecoder().decode(bytes.subarray(0, 512));
    if (!/<svg[\s>]/.test(text)) throw new Error('the vectorizer did not answer with an SVG');
    return { bytes, contentType: 'image/svg+xml', width: 0, height: 0 };
  }
  const header = readImageHeader(bytes);
  if (!header) throw new Error('the provider answered with something that is not an image');
  return { bytes, contentType: header.type, width: header.width, height: header.height };
}

/**
 * The job: makes the variant from the original and stores it beside it. A provider fetches the
 * original by a short-lived link under `origin` (the job was only queued past the license gate).
 */
export async function makeVariant(
  deps: { db: D1Database; bucket: R2Bucket; renderer: ImageRenderer; providers?: Providers; events: EventPublisher; inputLinks?: InputLinker },
  imageId: string,
  kind: VariantKind,
  now: Date,
  origin?: string,
): Promise<void> {
  const variant = await variantOf(deps.db, imageId, kind);
  if (!variant || variant.status !== 'queued') return;
  const image = await database(deps.db).select({ r2_key: images.r2_key, owner_id: images.owner_id }).from(images).where(eq(images.id, imageId)).get();
  const original = image ? await deps.bucket.get(image.r2_key) : null;
  // The job's end is told either way (a panel with its channel open does not poll for it).
  const told = async (moved: boolean, ownerId: string) => {
    const ended = moved ? await variantOf(deps.db, imageId, kind) : null;
    if (ended) await deps.events.publish(ownerId, { type: 'variant.ready', data: toVariantDto(ended) });
  };
  const fail = async (why: string) => {
    const moved = await moveVariant(deps.db, imageId, kind, 'failed', { error: why, updated_at: iso(now) });
    if (image) await told(moved, image.owner_id);
  };
  if (!image || !original) return void (await fail('The original is missing.'));
  const bytes = new Uint8Array(await original.arrayBuffer());
  const route = extraRoutes[kind].find((r) => r.id === 'offline' || deps.providers?.get(r.id));
  const provider = route && route.id !== 'offline' ? deps.providers?.get(route.id) : undefined;
  const key = variantKey(image, kind);
  let stored: Omit<Made, 'bytes'>;
  try {
    if (provider && route) {
      const url = origin && deps.inputLinks ? await deps.inputLinks(origin, image.r2_key, now) : undefined;
      const file: ProviderFile = { bytes, contentType: original.httpMetadata?.contentType ?? 'image/png', ...(url ? { url } : {}) };
      stored = await store(deps.bucket, key, await atProvider(provider, route, kind, file));
    } else if (kind === 'upscale_4k' || kind === 'upscale_8k') {
      // Too large to hold (an 8K frame is 236 MB): stored as it is encoded, a part at a time.
      stored = await putInParts(deps.bucket, key, { httpMetadata: { contentType: 'image/png' } }, (write) => deps.renderer.upscale(bytes, LONG_SIDES[kind], write));
    } else if (kind === 'no_background') {
      const cut = removeBackground(await deps.renderer.decode(bytes, CUTOUT_SIDE));
      stored = await store(deps.bucket, key, { bytes: await deps.renderer.encodePng(cut), contentType: 'image/png', width: cut.width, height: cut.height });
    } else {
      const small = await deps.renderer.decode(bytes, VECTOR_SIDE);
      stored = await store(deps.bucket, key, { bytes: new TextEncoder().encode(vectorize(small)), contentType: 'image/svg+xml', width: small.width, height: small.height });
    }
  } catch (error) {
    console.error(`making ${kind} of ${imageId} failed`, error);
    const why = provider && error instanceof Error ? `${provider.id}: ${error.message}` : 'This version could not be made from the image.';
    return void (await fail(why));
  }
  await told(await moveVariant(deps.db, imageId, kind, 'ready', { r2_key: key, content_type: stored.contentType, width: stored.width, height: stored.height, updated_at: iso(now) }), image.owner_id);
}

async function store(bucket: R2Bucket, key: string, { bytes, ...made }: Made): Promise<Omit<Made, 'bytes'>> {
  await bucket.put(key, bytes, { httpMetadata: { contentType: made.contentType } });
  return made;
}

export async function variantsOf(db: D1Database, userId: string, imageId: string) {
  const image = await getOwnImage(db, userId, imageId);
  const rows = await database(db).select().from(imageVariants).where(eq(imageVariants.image_id, image.id));
  return rows.map(toVariantDto);
}

export async function readyVariant(db: D1Database, imageId: string, kind: VariantKind): Promise<VariantRow> {
  const variant = await variantOf(db, imageId, kind);
  if (!variant) throw notFound('That version');
  return variant;
}
