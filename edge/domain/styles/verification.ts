// Verification: who has received an image from a public Style (each user once, however many
// generations and however concurrent; the creator never), the one invitation mailed at 25,
// and the creator's attestation that makes the Style verified, its images licensable.
import { and, count, eq, gte, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Style } from '../../../shared/api/styles';
import { VERIFICATION_USERS } from '../../../shared/catalog/styles';
import { database } from '../../db/client';
import { given, givenRow } from '../../db/insert-select';
import { outbox, styles, styleUsage, users } from '../../db/schema';
import { iso } from '../../db/time';
import { conflict } from '../errors';
import type { EventPublisher } from '../events';
import { publishedStyle } from '../models';
import { ownStyleRow, publishStyle, styleView } from './view';

/** The outbox id of a Style's one invitation: a second write of it changes nothing. */
const invitationId = (styleId: string) => `mail_verify_${styleId}`;

function invitation(name: string, users: number): { subject: string; text: string } {
  return {
    subject: `${users} people have used “${name}”: verify it to let its images be licensed`,
    text: [
      `${users} people have now made images with your Style “${name}”.`,
      '',
      'Verify its copyright status to let its images be licensed: every license sold on one of them then earns you a share.',
      'How: open your Styles in the Exactly studio, choose this Style and confirm that you hold the rights you stated when you published it ' +
        '(or call POST /v1/styles/{id}/verify with { "attestation": true }).',
      '',
      'Until then, its images stay watermarked and for personal use only.',
    ].join('\n'),
  };
}

/**
 * Counts `userId` toward the Style's distinct users once they have received an image from it
 * (called when an output is stored). In one batch: the usage row, written only for a published
 * public Style and not for its creator (a second one for the same user changes nothing), and
 * the count brought up to the rows that exist (so it moves only when the row was new, and two
 * concurrent first images of one user move it once). At the threshold, the one invitation.
 */
export async function recordStyleUsage(db: D1Database, events: EventPublisher, input: { modelId: string; userId: string; now: Date }): Promise<void> {
  if (!input.modelId.startsWith('sty_')) return;
  const d = database(db);
  const counted = sql<number>`(${d.select({ n: count() }).from(styleUsage).where(eq(styleUsage.style_id, input.modelId))})`;
  const [, moved] = await d.batch([
    d
      .insert(styleUsage)
      .select((qb) =>
        qb
          .select({ style_id: styles.id, user_id: given(input.userId, 'user_id'), first_at: given(iso(input.now), 'first_at') })
          .from(styles)
          .where(and(eq(styles.id, input.modelId), publishedStyle(), ne(styles.owner_id, input.userId))),
      )
      .onConflictDoNothing(),
    d
      .update(styles)
      .set({ distinct_users: counted, updated_at: iso(input.now) })
      .where(and(eq(styles.id, input.modelId), lt(styles.distinct_users, counted)))
      .returning({ distinct_users: styles.distinct_users, invited_at: styles.invited_at }),
  ]);
  const style = moved[0];
  if (!style) return;
  if (style.distinct_users >= VERIFICATION_USERS && !style.invited_at) await invite(db, input.modelId, style.distinct_users, input.now);
  await publishStyle(db, events, input.modelId);
}

/**
 * The invitation, once: `invited_at` set by a guarded update, and the mail under a fixed id in
 * the same batch, so concurrent arrivals at the threshold write one mail between them.
 */
async function invite(db: D1Database, styleId: string, reached: number, now: Date): Promise<void> {
  const d = database(db);
  const style = await d.select({ name: styles.name, title: styles.title }).from(styles).where(eq(styles.id, styleId)).get();
  if (!style) return;
  const mail = invitation(style.title ?? style.name, reached);
  await d.batch([
    d
      .update(styles)
      .set({ invited_at: iso(now) })
      .where(and(eq(styles.id, styleId), isNull(styles.invited_at), gte(styles.distinct_users, VERIFICATION_USERS))),
    d
      .insert(outbox)
      .select((qb) =>
        qb
          .select(givenRow(outbox, { id: invitationId(styleId), to_email: sql`${users.email}` as unknown as string, subject: mail.subject, text: mail.text, created_at: iso(now) }))
          .from(styles)
          .innerJoin(users, eq(users.id, styles.owner_id))
          .where(and(eq(styles.id, styleId), gte(styles.distinct_users, VERIFICATION_USERS))),
      )
      .onConflictDoNothing(),
  ]);
}

/**
 * The creator attests the copyright status of an eligible public Style: it becomes verified and
 * its images licensable (per image) from now on. Verifying again changes nothing.
 */
export async function verifyStyle(db: D1Database, events: EventPublisher, input: { userId: string; styleId: string; now: Date }): Promise<Style> {
  const row = await ownStyleRow(db, input.userId, input.styleId);
  if (row.verified) return styleView(db, row);
  if (row.visibility !== 'public') throw conflict('Only public Styles are verified: a private Style is yours alone, and its images can already be licensed.');
  if (row.status !== 'published') throw conflict('This Style is not in the library yet: it can be verified once it is published and 25 people have used it.');
  if (row.distinct_users < VERIFICATION_USERS) {
    throw conflict(`This Style can be verified once ${VERIFICATION_USERS} people have used it: ${row.distinct_users} of ${VERIFICATION_USERS} people so far.`);
  }
  const d = database(db);
  await d
    .update(styles)
    .set({ verified: true, verified_at: iso(input.now), updated_at: iso(input.now) })
    .where(and(eq(styles.id, row.id), eq(styles.verified, false), gte(styles.distinct_users, VERIFICATION_USERS)))
    .run();
  await publishStyle(db, events, row.id);
  return styleView(db, await ownStyleRow(db, input.userId, input.styleId));
}
