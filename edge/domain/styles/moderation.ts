// Moderation: the queue of public Styles waiting for a decision, the decision itself (accepted
// into the library, or rejected for one of three reasons with a free retrain), recorded with
// who made it and mailed to the creator in the same batch, and the images a moderator may see.
// The API (edge/routes/moderation) and the console (edge/console) both call these.
import { and, asc, eq, exists, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { ModerationItem } from '../../../shared/api/styles';
import { VERIFICATION_USERS } from '../../../shared/catalog/styles';
import type { ModerationDecision, RejectionReason } from '../../../shared/statuses';
import { database } from '../../db/client';
import { violatesUnique } from '../../db/constraints';
import { newId } from '../../db/ids';
import { givenRow } from '../../db/insert-select';
import { type ImageRow, images, moderationReviews, outbox, quizResults, quizSamples, type StyleRow, styles, styleVersions, type UserRow, users } from '../../db/schema';
import { iso } from '../../db/time';
import { getUser, rolesOf } from '../accounts';
import type { Mail } from '../../mail/outbox';
import { conflict, DomainError, notFound, validationFailed } from '../errors';
import { styleRowById } from './view';

/** Moderators and admins (an admin holds every role below it). */
export const canModerate = (user: Pick<UserRow, 'role'>) => rolesOf(user.role).includes('moderator');

/** The account, read now (a role taken away counts at once), if it may moderate; else 403. */
export async function moderatorOf(db: D1Database, userId: string): Promise<UserRow> {
  const user = await getUser(db, userId);
  if (!canModerate(user)) throw new DomainError('forbidden', 'Only moderators review Styles, and this account is not a moderator.');
  return user;
}

/** The three reasons in a moderator's and a creator's words. */
export const rejectionReasonWords: Record<RejectionReason, { label: string; explanation: string }> = {
  terms: { label: 'Terms of use', explanation: 'the Style or its images go against the terms of use' },
  inconsistent_style: { label: 'Inconsistent style', explanation: 'its samples and examples do not share one recognisable style' },
  copyright: { label: 'Copyright', explanation: 'its training images or examples appear to be someone else’s work that you may not use' },
};

/** What a version learned from, as `style_versions.images` keeps it. */
const VersionImages = z.array(z.object({ image_id: z.string(), description: z.string().default('') }));
const versionImages = (json: string | undefined) => (json ? VersionImages.parse(JSON.parse(json)) : []);

/** Who a person is to others: their handle, else their email. */
const nameOf = (user: Pick<UserRow, 'handle' | 'email'>) => user.handle ?? user.email;

/** Public Styles waiting for a decision, oldest submission first, with all a moderator judges them by. */
export async function pendingStyles(db: D1Database): Promise<ModerationItem[]> {
  const d = database(db);
  const pending = await d
    .select({ style: styles, creator: { handle: users.handle, display_name: users.display_name, email: users.email } })
    .from(styles)
    .innerJoin(users, eq(users.id, styles.owner_id))
    .where(eq(styles.status, 'in_moderation'))
    .orderBy(asc(styles.submitted_at), asc(styles.id));
  if (!pending.length) return [];
  const ids = pending.map((p) => p.style.id);
  const [versions, samples, results] = await Promise.all([
    d.select({ style_id: styleVersions.style_id, version: styleVersions.version, images: styleVersions.images }).from(styleVersions).where(inArray(styleVersions.style_id, ids)),
    d.select().from(quizSamples).where(inArray(quizSamples.style_id, ids)).orderBy(asc(quizSamples.position)),
    d.select().from(quizResults).where(inArray(quizResults.style_id, ids)),
  ]);
  return pending.map(({ style, creator }): ModerationItem => {
    const ofVersion = <T extends { style_id: string; version: number }>(row: T) => row.style_id === style.id && row.version === style.version;
    const mySamples = samples.filter(ofVersion);
    const handle = creator.handle ?? creator.email;
    return {
      style_id: style.id,
      name: style.name,
      title: style.title ?? style.name,
      creator: { handle, display_name: creator.display_name ?? handle, email: creator.email },
      version: style.version,
      training_images: versionImages(versions.find(ofVersion)?.images),
      samples: mySamples.map((s) => ({ image_id: s.image_id, prompt: s.prompt, score: s.score })),
      quiz: { average: results.find(ofVersion)?.average ?? 0, scores: mySamples.flatMap((s) => (s.score === null ? [] : [s.score])) },
      title_image_id: style.title_image_id ?? '',
      example_image_ids: JSON.parse(style.example_image_ids) as string[],
      copyright_status: style.copyright_status ?? 'own_work',
      submitted_at: style.submitted_at ?? style.updated_at,
    };
  });
}

export interface DecisionInput {
  moderator: UserRow;
  styleId: string;
  decision: 'accept' | 'reject';
  reason?: RejectionReason | undefined;
  note?: string | undefined;
  now: Date;
}

export interface ModerationReviewDto {
  id: string;
  style_id: string;
  version: number;
  decision: ModerationDecision;
  reason: RejectionReason | null;
  note: string | null;
  moderator: string;
  decided_at: string;
}

/** The mail that tells the creator the decision. */
export function decisionMail(to: string, title: string, decision: ModerationDecision, reason: RejectionReason | null, note: string | null): Mail {
  if (decision === 'accepted') {
    return {
      to,
      subject: `Your Style “${title}” is published`,
      text:
        `Good news: a moderator accepted your Style “${title}”. It is now in the community library, where everyone can find it and generate with it.\n\n` +
        `When ${VERIFICATION_USERS} different people have received images from it, we will invite you to verify its copyright status; from then on its images can be licensed and you earn a share of every license sold.`,
    };
  }
  const why = reason ? rejectionReasonWords[reason] : null;
  return {
    to,
    subject: `Your Style “${title}” was not accepted`,
    text:
      `A moderator did not accept your Style “${title}” into the community library.\n\n` +
      (why ? `Reason: ${why.label}: ${why.explanation}.\n\n` : '') +
      (note ? `The moderator’s note: ${note}\n\n` : '') +
      'You can retrain it for free: open the Style in the studio and choose Retrain, take the quiz again, then publish the new version.',
  };
}

const alreadyDecided = (style: StyleRow) =>
  conflict(
    style.status === 'published'
      ? 'This Style was already accepted: it is in the library.'
      : style.status === 'rejected'
        ? 'This Style was already rejected; its creator can retrain it.'
        : 'This Style is not waiting for moderation.',
  );

/**
 * Records a moderator's decision on a Style waiting in moderation. One batch: the review
 * (written only while the Style is in moderation at the version reviewed; UNIQUE (style,
 * version) aborts a second one), the Style's new status (only if that review is ours) and the
 * creator's mail (likewise). Two moderators deciding at once: exactly one decision lands, the
 * other gets 409.
 */
export async function decideStyle(db: D1Database, input: DecisionInput): Promise<ModerationReviewDto> {
  const d = database(db);
  const style = await styleRowById(db, input.styleId);
  if (!style) throw notFound('That Style');
  if (style.status !== 'in_moderation') throw alreadyDecided(style);
  const creator = await getUser(db, style.owner_id);
  const decision: ModerationDecision = input.decision === 'accept' ? 'accepted' : 'rejected';
  const reason = decision === 'rejected' ? (input.reason ?? null) : null;
  if (decision === 'rejected' && !reason) throw validationFailed([{ path: 'reason', message: 'Choose a reason: terms of use, inconsistent style or copyright.' }], 'Say why it is rejected.');
  const note = input.note?.trim() || null;
  const now = iso(input.now);
  const review = { id: newId('rev'), style_id: style.id, version: style.version, moderator_id: input.moderator.id, decision, reason, note, decided_at: now };
  const mail = decisionMail(creator.email, style.title ?? style.name, decision, reason, note);
  const ours = exists(d.select({ id: moderationReviews.id }).from(moderationReviews).where(eq(moderationReviews.id, review.id)));
  try {
    const [written] = await d.batch([
      d
        .insert(moderationReviews)
        .select((qb) =>
          qb
            .select(givenRow(moderationReviews, review))
            .from(styles)
            .where(and(eq(styles.id, style.id), eq(styles.status, 'in_moderation'), eq(styles.version, style.version))),
        )
        .returning({ id: moderationReviews.id }),
      d
        .update(styles)
        .set(
          decision === 'accepted'
            ? { status: 'published', published_at: now, updated_at: now }
            : { status: 'rejected', free_retrain: true, published_at: null, updated_at: now },
        )
        .where(and(eq(styles.id, style.id), eq(styles.status, 'in_moderation'), ours)),
      d
        .insert(outbox)
        .select((qb) =>
          qb
            .select(givenRow(outbox, { id: newId('mail'), to_email: mail.to, subject: mail.subject, text: mail.text, created_at: now }))
            .from(moderationReviews)
            .where(eq(moderationReviews.id, review.id)),
        ),
    ]);
    if (!written.length) throw alreadyDecided((await styleRowById(db, style.id)) ?? style);
  } catch (error) {
    if (violatesUnique(error, 'moderation_reviews')) throw alreadyDecided((await styleRowById(db, style.id)) ?? style);
    throw error;
  }
  return { ...review, moderator: nameOf(input.moderator) };
}

/** A review by its id, with its Style's title (the console's notice after a decision). */
export async function reviewById(db: D1Database, id: string): Promise<{ decision: ModerationDecision; title: string } | undefined> {
  return database(db)
    .select({ decision: moderationReviews.decision, title: styles.title, name: styles.name })
    .from(moderationReviews)
    .innerJoin(styles, eq(styles.id, moderationReviews.style_id))
    .where(eq(moderationReviews.id, id))
    .get()
    .then((row) => (row ? { decision: row.decision, title: row.title ?? row.name } : undefined));
}

/**
 * An image of a Style waiting in moderation that a moderator may look at: one its current
 * version trained on, a quiz sample, its title image or an example. Anything else, and any
 * image of a Style not in moderation, does not exist here (404).
 */
export async function pendingStyleImage(db: D1Database, styleId: string, imageId: string): Promise<ImageRow> {
  const d = database(db);
  const missing = notFound('That image');
  const style = await styleRowById(db, styleId);
  if (!style || style.status !== 'in_moderation') throw missing;
  const [version, samples] = await Promise.all([
    d.select({ images: styleVersions.images }).from(styleVersions).where(and(eq(styleVersions.style_id, style.id), eq(styleVersions.version, style.version))).get(),
    d.select({ image_id: quizSamples.image_id }).from(quizSamples).where(and(eq(quizSamples.style_id, style.id), eq(quizSamples.version, style.version))),
  ]);
  const shown = new Set([
    ...versionImages(version?.images).map((i) => i.image_id),
    ...samples.map((s) => s.image_id),
    ...(style.title_image_id ? [style.title_image_id] : []),
    ...(JSON.parse(style.example_image_ids) as string[]),
  ]);
  if (!shown.has(imageId)) throw missing;
  const image = await d.select().from(images).where(eq(images.id, imageId)).get();
  if (!image) throw missing;
  return image;
}
