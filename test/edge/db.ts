// Reading D1 in tests through the same query builder and schema the Worker uses.
import { env } from 'cloudflare:workers';
import { eq, sum } from 'drizzle-orm';
import { database } from '../../edge/db/client';
import { ledgerEntries } from '../../edge/db/schema';

export const db = () => database(env.DB);

/** What the ledger's rows add up to: always the account's balance and held credits. */
export async function ledgerSums(userId: string): Promise<{ amount: number; held: number }> {
  const row = await db()
    .select({ amount: sum(ledgerEntries.amount).mapWith(Number), held: sum(ledgerEntries.held_change).mapWith(Number) })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.user_id, userId))
    .get();
  return { amount: row?.amount ?? 0, held: row?.held ?? 0 };
}
