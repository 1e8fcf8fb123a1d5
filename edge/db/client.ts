// The query builder over the one schema: how domain code reads and writes D1.
import type { BatchItem as DrizzleBatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Database = ReturnType<typeof database>;

/** One statement of an atomic `database(d1).batch([...])`: a drizzle query, built but not run. */
export type BatchItem = DrizzleBatchItem<'sqlite'>;

export const database = (d1: D1Database) => drizzle(d1, { schema });
