// The query builder over the one schema: how domain code reads and writes D1.
import { sql } from 'drizzle-orm';
import type { BatchItem as DrizzleBatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Database = ReturnType<typeof database>;

export const database = (d1: D1Database) => drizzle(d1, { schema });

/**
 * One statement of an atomic `database(d1).batch([...])`: a query built but not run. Modules
 * hand these to a caller that writes its own rows in the same batch (a hold beside its generation).
 */
export type BatchItem = DrizzleBatchItem<'sqlite'>;

/**
 * A bound value as a selected column, for `insert(…).select(…)` where some columns come from
 * another row and the rest from the caller: drizzle wants every selected expression named.
 */
export const given = <T>(value: T, name: string) => sql<T>`${value}`.as(name);
