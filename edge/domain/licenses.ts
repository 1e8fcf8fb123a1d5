// Per-image licenses: bought in one atomic batch (the license, the buyer's debit and, for a
// verified public Style, the creator's share as an earning), and a certificate signed so it
// cannot be forged: anyone can check one at its public address.
import { and, desc, eq, getTableColumns } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Model } from '../../shared/catalog';
import { type ImagePolicy, imagePolicy, perImageTerms } from '../../shared/license';
import { type Database, database } from '../db/client';
import { violatesUnique } from '../db/constraints';
import { newId } from '../db/ids';
import { creatorEarnings, type LicenseRow, licenses, styles, users } from '../db/schema';
import { iso } from '../db/time';
import { equalInConstantTime, hmacHex } from './auth/secrets';
import { conflict, DomainError, notFound } from './errors';
import { getOwnImage, type ImageRow } from './images';
import { explainOverdraft, prepareBalanceChange } from './ledger';
import { modelOfImage } from './models';

/** The image's policy now: from its model, and whether it has been licensed. */
export async function imagePolicyOf(db: D1Database, image: ImageRow): Promise<ImagePolicy> {
  if (image.kind === 'upload') return imagePolicy({ kind: 'upload' });
  const [model, license] = await Promise.all([
    modelOfImage(db, image.model_id),
    database(db).select({ id: licenses.id }).from(licenses).where(eq(licenses.image_id, image.id)).get(),
  ]);
  return imagePolicy({ kind: 'generated', modelLicense: model?.license, licensed: license !== undefined });
}

/** What a certificate states, in a fixed order: this text is what is signed. */
function signedText(l: Pick<LicenseRow, 'id' | 'image_id' | 'image_sha256' | 'holder_id' | 'model_id' | 'price' | 'terms' | 'issued_at'>): string {
  return JSON.stringify([l.id, l.image_id, l.image_sha256, l.holder_id, l.model_id, l.price, l.terms, l.issued_at]);
}

const sign = (secret: string, l: Parameters<typeof signedText>[0]) => hmacHex(`license-certificate:${secret}`, signedText(l));

export function toLicenseDto(l: LicenseRow) {
  return {
    id: l.id,
    image_id: l.image_id,
    model_id: l.model_id,
    price: l.price,
    terms: l.terms,
    issued_at: l.issued_at,
    certificate_url: `/v1/licenses/${l.id}/certificate`,
  };
}

async function licenseOfImage(d: Database, imageId: string): Promise<LicenseRow | undefined> {
  return d.select().from(licenses).where(eq(licenses.image_id, imageId)).get();
}

/**
 * What an earlier purchase under this key means for this one: the same image replays it; any
 * other image is a different request, refused as generations refuse one (the key was used).
 */
async function replayOf(d: Database, userId: string, key: string, imageId: string): Promise<LicenseRow | undefined> {
  const earlier = await d
    .select()
    .from(licenses)
    .where(and(eq(licenses.holder_id, userId), eq(licenses.idempotency_key, key)))
    .get();
  if (earlier && earlier.image_id !== imageId) {
    throw conflict('This Idempotency-Key was already used for a different request (a license on another image); use a new key for this purchase.');
  }
  return earlier;
}

function licensable(model: Model | undefined): asserts model is Model & { license_price: number } {
  if (!model) throw new DomainError('validation_failed', 'This image was not made by a model that can license it.');
  if (model.license === 'free') throw new DomainError('validation_failed', `Images from ${model.name} are free to use commercially already; they need no license.`);
  if (model.license === 'not_available' || !model.license_price) {
    throw new DomainError('validation_failed', `${model.name} is not verified yet, so its images are for personal use and cannot be licensed.`);
  }
}

export async function purchaseLicense(
  db: D1Database,
  input: { userId: string; imageId: string; idempotencyKey: string; secret: string; creatorShare: number; now: Date },
) {
  const d = database(db);
  const image = await getOwnImage(db, input.userId, input.imageId);
  const replay = await replayOf(d, input.userId, input.idempotencyKey, image.id);
  if (replay) return { license: replay, replayed: true };
  if (await licenseOfImage(d, image.id)) throw conflict('This image is already licensed.');
  if (image.kind !== 'generated') throw new DomainError('validation_failed', 'Your own uploads need no license.');
  const model = await modelOfImage(db, image.model_id);
  licensable(model);

  const creatorId = model.kind === 'artist' ? ((await d.select({ owner_id: styles.owner_id }).from(styles).where(eq(styles.id, model.id)).get())?.owner_id ?? null) : null;
  // The creator of a verified public Style earns a share; nobody earns from their own purchase.
  const earns = creatorId && creatorId !== input.userId && model.verified ? Math.floor(model.license_price * input.creatorShare) : 0;
  const license: LicenseRow = {
    id: newId('lic'),
    image_id: image.id,
    holder_id: input.userId,
    model_id: model.id,
    creator_id: creatorId,
    price: model.license_price,
    creator_earning: earns,
    terms: perImageTerms,
    image_sha256: image.sha256,
    idempotency_key: input.idempotencyKey,
    signature: '',
    issued_at: iso(input.now),
  };
  license.signature = await sign(input.secret, license);
  try {
    await d.batch([
      d.insert(licenses).values(license),
      ...prepareBalanceChange(db, { userId: input.userId, kind: 'license', amount: -license.price, ref: license.id, key: `license:${license.id}`, now: input.now }),
      ...(earns
        ? [
            ...prepareBalanceChange(db, { userId: creatorId!, kind: 'earning', amount: earns, ref: license.id, key: `earning:${license.id}`, now: input.now }),
            d.insert(creatorEarnings).values({ id: newId('ern'), creator_id: creatorId!, style_id: model.id, license_id: license.id, image_id: image.id, amount: earns, created_at: iso(input.now) }),
          ]
        : []),
    ]);
  } catch (error) {
    await explainOverdraft(db, error, input.userId, license.price);
    if (!violatesUnique(error, 'licenses')) throw error;
    // A purchase raced in: under this key (replay, or another image's), or for this image.
    const winner = await replayOf(d, input.userId, input.idempotencyKey, image.id);
    if (winner) return { license: winner, replayed: true };
    throw conflict('This image is already licensed.');
  }
  return { license, replayed: false };
}

export async function listLicenses(db: D1Database, userId: string) {
  const rows = await database(db).select().from(licenses).where(eq(licenses.holder_id, userId)).orderBy(desc(licenses.issued_at));
  return rows.map(toLicenseDto);
}

export async function ownLicense(db: D1Database, userId: string, id: string) {
  const row = await database(db)
    .select()
    .from(licenses)
    .where(and(eq(licenses.id, id), eq(licenses.holder_id, userId)))
    .get();
  if (!row) throw notFound('That license');
  return toLicenseDto(row);
}

/** The public certificate: who holds it, which image (by its SHA-256), when, the terms, and whether the signature holds. */
export async function certificate(db: D1Database, secret: string, id: string) {
  const holder = alias(users, 'holder');
  const creator = alias(users, 'creator');
  const row = await database(db)
    .select({
      ...getTableColumns(licenses),
      holder_handle: holder.handle,
      holder_name: holder.display_name,
      style_name: styles.name,
      creator_handle: creator.handle,
      creator_name: creator.display_name,
    })
    .from(licenses)
    .innerJoin(holder, eq(holder.id, licenses.holder_id))
    .leftJoin(styles, eq(styles.id, licenses.model_id))
    .leftJoin(creator, eq(creator.id, licenses.creator_id))
    .where(eq(licenses.id, id))
    .get();
  if (!row) throw notFound('That license');
  const valid = equalInConstantTime(row.signature, await sign(secret, row));
  return {
    license_id: row.id,
    valid,
    holder: row.holder_name ?? (row.holder_handle ? `@${row.holder_handle}` : 'A registered Exactly user'),
    image: { id: row.image_id, sha256: row.image_sha256 },
    style: row.style_name ? { name: row.style_name, creator: row.creator_name ?? (row.creator_handle ? `@${row.creator_handle}` : null) } : null,
    issued_at: row.issued_at,
    terms: row.terms,
    signature: row.signature,
  };
}
