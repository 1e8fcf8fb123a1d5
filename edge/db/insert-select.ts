// Pieces for `insert(table).select(…)`, the statements that copy columns from a row read in the
// same statement (an account's balance into its ledger row) beside values the caller gives, or
// that write a row only where a condition holds (the row selected from a WHERE).
import { type Column, getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/** A bound value as a selected column: drizzle wants every selected expression named. */
export const given = <T>(value: T, name: string) => sql<T>`${value}`.as(name);

/** What an insert of `row` would write to `column`: the row's value, else the column's default, else NULL. */
function valueFor(column: Column, value: unknown): unknown {
  if (value !== undefined) return value;
  if (column.defaultFn) return column.defaultFn();
  return column.default ?? null;
}

/**
 * `row` as the select of an insert: every column of `table` in its order (drizzle requires it),
 * defaults filled in as a plain insert would. For `insert(table).select((qb) => qb.select(givenRow(table, row)).from(…).where(condition))`.
 */
export function givenRow<T extends SQLiteTable>(table: T, row: T['$inferInsert']): { [K in keyof T['$inferInsert']]-?: SQL.Aliased } {
  const values = row as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([name, column]) => {
      const value = valueFor(column, values[name]);
      return [name, is(value, SQL) ? value.as(name) : given(value, name)];
    }),
  ) as { [K in keyof T['$inferInsert']]-?: SQL.Aliased };
}
