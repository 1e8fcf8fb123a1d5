// A Style as its owner reads it (GET /v1/styles/:id), assembled from its row, its current
// version, the version's quiz, the last moderation decision, verification progress and
// earnings. Every route that answers with a Style, and the live `style.updated` message, use
// this one reading.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Style } from '../../../shared/api/styles';
import { QUIZ_PASS_AVERAGE, VERIFICATION_USERS } from '../../../shared/catalog/styles';
import { database } from '../../db/client';
import { creatorEarnings, holds, moderationReviews, quizResults, quizSamples, type StyleRow, styles, styleVersions } from '../../db/schema';
import type { EventPublisher } from '../events';
import { notFound } from '../errors';

/** The owner's Style row, or 404 (another user's Style does not exist for you). */
export async function ownStyleRow(db: D1Database, userId: string, id: string): Promise<StyleRow> {
  const row = await database(db)
    .select()
    .from(styles)
    .where(and(eq(styles.id, id), eq(styles.owner_id, userId)))
    .get();
  if (!row) throw notFound('That Style');
  return row;
}

export async function styleRowById(db: D1Database, id: string): Promise<StyleRow | undefined> {
  return database(db).select().from(styles).where(eq(styles.id, id)).get();
}

/** The owner's reading of several Styles at once (a few queries, whatever their number). */
export async function styleViews(db: D1Database, rows: StyleRow[]): Promise<Style[]> {
  if (!rows.length) return [];
  const d = database(db);
  const ids = rows.map((r) => r.id);
  const [versions, samples, results, reviews, earned] = await Promise.all([
    d
      .select({ version: styleVersions, hold: { amount: holds.amount, charged: holds.charged, refunded: holds.refunded, status: holds.status } })
      .from(styleVersions)
      .leftJoin(holds, eq(holds.id, styleVersions.hold_id))
      .where(inArray(styleVersions.style_id, ids)),
    d.select().from(quizSamples).where(inArray(quizSamples.style_id, ids)).orderBy(quizSamples.position),
    d.select().from(quizResults).where(inArray(quizResults.style_id, ids)),
    d.select().from(moderationReviews).where(inArray(moderationReviews.style_id, ids)).orderBy(desc(moderationReviews.decided_at)),
    d
      .select({ style_id: creatorEarnings.style_id, total: sql<number>`sum(${creatorEarnings.amount})` })
      .from(creatorEarnings)
      .where(inArray(creatorEarnings.style_id, ids))
      .groupBy(creatorEarnings.style_id),
  ]);
  return rows.map((row): Style => {
    const current = versions.find((v) => v.version.style_id === row.id && v.version.version === row.version);
    const mySamples = samples.filter((s) => s.style_id === row.id && s.version === row.version);
    const result = results.find((r) => r.style_id === row.id && r.version === row.version);
    const review = reviews.find((r) => r.style_id === row.id);
    const hold = current?.hold;
    const isPublic = row.visibility === 'public';
    return {
      id: row.id,
      name: row.name,
      visibility: row.visibility,
      status: row.status,
      version: row.version,
      training_set_id: row.training_set_id,
      ...(current ? { training: { progress: current.version.progress, error: current.version.error } } : {}),
      ...(hold
        ? { cost: { held: hold.status === 'held' ? hold.amount : 0, charged: hold.charged, refunded: hold.refunded } }
        : current
          ? { cost: { held: 0, charged: 0, refunded: 0 } }
          : {}),
      free_retrain: row.free_retrain,
      ...(mySamples.length || result
        ? {
            quiz: {
              samples: mySamples.map((s) => ({ image_id: s.image_id, prompt: s.prompt, score: s.score })),
              threshold: QUIZ_PASS_AVERAGE,
              ...(result ? { average: result.average, outcome: result.outcome } : {}),
            },
          }
        : {}),
      ...(row.title && row.title_image_id && row.copyright_status && row.submitted_at
        ? {
            publication: {
              title: row.title,
              title_image_id: row.title_image_id,
              example_image_ids: JSON.parse(row.example_image_ids) as string[],
              copyright_status: row.copyright_status,
              submitted_at: row.submitted_at,
              published_at: row.published_at,
            },
          }
        : {}),
      ...(review
        ? {
            moderation: {
              decision: review.decision,
              ...(review.reason ? { reason: review.reason } : {}),
              ...(review.note ? { note: review.note } : {}),
              decided_at: review.decided_at,
            },
          }
        : {}),
      ...(isPublic
        ? {
            verification: {
              distinct_users: row.distinct_users,
              threshold: VERIFICATION_USERS,
              eligible: row.distinct_users >= VERIFICATION_USERS,
              verified: row.verified,
            },
          }
        : {}),
      ...(isPublic ? { earnings: { total: earned.find((e) => e.style_id === row.id)?.total ?? 0 } } : {}),
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  });
}

export async function styleView(db: D1Database, row: StyleRow): Promise<Style> {
  return (await styleViews(db, [row]))[0]!;
}

/** `style.updated` to the owner, with the Style as GET /v1/styles/:id reads now (after the change committed). */
export async function publishStyle(db: D1Database, events: EventPublisher, styleId: string): Promise<void> {
  try {
    const row = await styleRowById(db, styleId);
    if (row) await events.publish(row.owner_id, { type: 'style.updated', data: await styleView(db, row) });
  } catch (error) {
    console.error(`reading ${styleId} to publish it failed; the studio will poll`, error);
  }
}
