// Public profiles: what a creator shows the library (handle, display name, bio, avatar, links)
// and changes with PATCH /v1/profile. Never their email.
import { and, eq } from 'drizzle-orm';
import type { CreatorPage, Profile, UpdateProfileBody } from '../../shared/api/styles';
import type { z } from 'zod';
import { database } from '../db/client';
import { violatesUnique } from '../db/constraints';
import { images, type UserRow, users } from '../db/schema';
import type { ImageRenderer } from '../imaging/renderer';
import { getUser } from './accounts';
import { conflict, DomainError, notFound } from './errors';
import { getOwnImage, rendition } from './images';
import { imagePolicyOf } from './licenses';
import { publishedStylesOf } from './styles/library';

type Links = Profile['links'];

export function toProfile(user: UserRow): Profile {
  const handle = user.handle ?? '';
  return {
    handle,
    display_name: user.display_name ?? handle,
    bio: user.bio,
    avatar_image_id: user.avatar_image_id,
    links: JSON.parse(user.links) as Links,
  };
}

export async function getProfile(db: D1Database, userId: string): Promise<Profile> {
  return toProfile(await getUser(db, userId));
}

/**
 * An avatar is one of the caller's own images they may show unmarked: an upload, or an output
 * that is free or licensed. Another user's image does not exist for them.
 */
async function usableAvatar(db: D1Database, userId: string, imageId: string): Promise<void> {
  const image = await getOwnImage(db, userId, imageId);
  const policy = await imagePolicyOf(db, image);
  if (policy.watermarked) {
    throw new DomainError('validation_failed', 'This image is watermarked until it is licensed; license it, or choose an upload of yours as your avatar.', {
      errors: [{ path: 'avatar_image_id', message: 'A watermarked image cannot be an avatar' }],
    });
  }
}

export async function updateProfile(db: D1Database, userId: string, change: z.output<typeof UpdateProfileBody>): Promise<Profile> {
  const user = await getUser(db, userId);
  if (change.avatar_image_id) await usableAvatar(db, userId, change.avatar_image_id);
  const set: Partial<typeof users.$inferInsert> = {
    ...(change.handle !== undefined ? { handle: change.handle } : {}),
    ...(change.display_name !== undefined ? { display_name: change.display_name } : {}),
    ...(change.bio !== undefined ? { bio: change.bio } : {}),
    ...(change.avatar_image_id !== undefined ? { avatar_image_id: change.avatar_image_id } : {}),
    ...(change.links !== undefined ? { links: JSON.stringify(change.links) } : {}),
  };
  try {
    const updated = await database(db).update(users).set(set).where(eq(users.id, user.id)).returning().get();
    return toProfile(updated ?? user);
  } catch (error) {
    // The unique index decides between two people asking for one handle at once.
    if (violatesUnique(error, 'users')) throw conflict(`The handle “${change.handle}” is taken; choose another.`);
    throw error;
  }
}

async function userByHandle(db: D1Database, handle: string): Promise<UserRow> {
  const user = await database(db).select().from(users).where(eq(users.handle, handle.trim().toLowerCase())).get();
  if (!user) throw notFound('That creator');
  return user;
}

const avatarUrl = (user: UserRow) => (user.avatar_image_id && user.handle ? `/v1/creators/${user.handle}/avatar` : null);

/** A creator's public page: their profile and published Styles (case-insensitive handle). */
export async function creatorPage(db: D1Database, handle: string): Promise<CreatorPage> {
  const user = await userByHandle(db, handle);
  const { avatar_image_id: _avatar, ...profile } = toProfile(user);
  return { ...profile, avatar_url: avatarUrl(user), styles: await publishedStylesOf(db, user.id) };
}

/** The creator's avatar as a 256 px thumbnail: one of their own images, shown as its policy says. */
export async function creatorAvatar(db: D1Database, bucket: R2Bucket, renderer: ImageRenderer, watermarkSecret: string, handle: string) {
  const user = await userByHandle(db, handle);
  const image = user.avatar_image_id
    ? await database(db)
        .select()
        .from(images)
        .where(and(eq(images.id, user.avatar_image_id), eq(images.owner_id, user.id)))
        .get()
    : undefined;
  if (!image) throw notFound('That creator’s avatar');
  const policy = await imagePolicyOf(db, image);
  return rendition(bucket, renderer, image, 'thumb', policy.watermarked ? watermarkSecret : null);
}
