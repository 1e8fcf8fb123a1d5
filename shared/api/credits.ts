// Credits: the balance, its ledger, and the shape of every list in the API.
import { z } from 'zod';
import { ledgerKindNames } from '../statuses';


export const LedgerEntry = z.object({
  id: z.string(),
  kind: z.enum(ledgerKindNames),
  /** Change to the balance (credits owned). */
  amount: z.number().int(),
  /** Change to the credits on hold; hold and refund entries move only this. */
  held_change: z.number().int(),
  balance_after: z.number().int(),
  held_after: z.number().int(),
  ref: z.string().nullable(),
  created_at: z.string(),
}).meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export const LedgerPage = Page(LedgerEntry);
export type LedgerPage = z.infer<typeof LedgerPage>;

export const DevGrantBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  amount: z.number().int().min(1).max(1_000_000),
});
