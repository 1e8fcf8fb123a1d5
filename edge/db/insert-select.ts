// Pieces for `insert(table).select(…)`, the statements that copy columns from a row read in the
// same statement (an account's balance into its ledger row) beside values the caller gives.
import { sql } from 'drizzle-orm';

/** A bound value as a selected column: drizzle wants every selected expression named. */
export const given = <T>(value: T, name: string) => sql<T>`${value}`.as(name);
