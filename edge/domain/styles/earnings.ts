// A creator's earnings: their share of every license sold on their verified Styles' images,
// one creator_earnings row per license (written in the license's own batch), read as a total,
// per Style and per UTC day.
import { desc, eq, sql } from 'drizzle-orm';
import type { Earnings } from '../../../shared/api/styles';
import { database } from '../../db/client';
import { creatorEarnings, styles } from '../../db/schema';

/** Days of the chart: the last 30 days that had a sale. */
const CHART_DAYS = 30;

export async function earningsOf(db: D1Database, creatorId: string): Promise<Earnings> {
  const d = database(db);
  const mine = eq(creatorEarnings.creator_id, creatorId);
  const day = sql<string>`substr(${creatorEarnings.created_at}, 1, 10)`;
  const amount = sql<number>`sum(${creatorEarnings.amount})`.mapWith(Number);
  const [byStyle, byDay, items] = await d.batch([
    d
      .select({ style_id: creatorEarnings.style_id, name: sql<string>`coalesce(${styles.title}, ${styles.name})`, amount, licenses: sql<number>`count(*)`.mapWith(Number) })
      .from(creatorEarnings)
      .innerJoin(styles, eq(styles.id, creatorEarnings.style_id))
      .where(mine)
      .groupBy(creatorEarnings.style_id)
      .orderBy(desc(amount)),
    d.select({ date: day.as('date'), amount }).from(creatorEarnings).where(mine).groupBy(day).orderBy(desc(day)).limit(CHART_DAYS),
    d
      .select({
        id: creatorEarnings.id,
        license_id: creatorEarnings.license_id,
        style_id: creatorEarnings.style_id,
        image_id: creatorEarnings.image_id,
        amount: creatorEarnings.amount,
        created_at: creatorEarnings.created_at,
      })
      .from(creatorEarnings)
      .where(mine)
      .orderBy(desc(creatorEarnings.created_at), desc(creatorEarnings.id)),
  ]);
  return {
    total: byStyle.reduce((sum, s) => sum + s.amount, 0),
    by_style: byStyle,
    // Oldest first, as a chart reads.
    by_day: byDay.reverse(),
    items,
  };
}
