// The one way to keep a value in browser storage: its shape as a zod schema (the TS type is
// inferred from it), a version with numbered migrations (WXT's own), and a parse on every read
// where a value that does not fit is dropped with a warning instead of breaking the extension.
import { storage, type StorageItemKey } from '#imports';
import { z } from 'zod';

export interface StoredItem<T> {
  readonly key: StorageItemKey;
  readonly fallback: T;
  /** The stored value, parsed; the fallback when there is none or it does not fit its shape. */
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  /** Forgets the value; with removeMeta its version goes too, as if it had never been stored. */
  removeValue(options?: { removeMeta?: boolean }): Promise<void>;
  /** Follows every change, wherever it was made; values that do not fit arrive as the fallback. */
  watch(callback: (value: T) => void): () => void;
  /** Brings a value written by an earlier version to this one (also run when the item is defined). */
  migrate(): Promise<void>;
}

export interface StoredOptions<S extends z.core.$ZodType> {
  schema: S;
  fallback: z.output<S>;
  /** Bump it whenever the shape changes, and add the migration to it. */
  version: number;
  /** Version number → the step from the version before it. Values stored before items were versioned read as version 1. */
  migrations: Record<number, (old: any) => unknown>;
}

export function defineStored<S extends z.core.$ZodType>(key: StorageItemKey, options: StoredOptions<S>): StoredItem<z.output<S>> {
  type T = z.output<S>;
  const { schema, fallback, version, migrations } = options;
  const item = storage.defineItem<unknown>(key, { fallback, version, migrations });

  const parse = (raw: unknown): { ok: true; value: T } | { ok: false } => {
    if (raw === null || raw === undefined) return { ok: true, value: fallback };
    const parsed = z.safeParse(schema, raw);
    if (parsed.success) return { ok: true, value: parsed.data };
    console.warn(`Dropped the stored ${key}: it does not fit its shape (version ${version}).`, parsed.error.issues);
    return { ok: false };
  };

  return {
    key,
    fallback,
    async getValue() {
      const read = parse(await item.getValue());
      if (read.ok) return read.value;
      // Gone for good, marked as this version, so a later write is not migrated as an old one.
      await item.removeValue();
      await item.setMeta({ v: version });
      return fallback;
    },
    setValue: (value) => item.setValue(value),
    removeValue: (options) => item.removeValue(options),
    watch(callback) {
      return item.watch((raw) => {
        const read = parse(raw);
        callback(read.ok ? read.value : fallback);
      });
    },
    migrate: () => item.migrate(),
  };
}

/**
 * A value each signed-in user keeps for themselves: one item per user under
 * `<area>:u:<userId>:<name>`, so another account on the same browser never reads it.
 */
export interface UserStored<T> {
  readonly name: string;
  readonly fallback: T;
  /** This user's item (the same object every time, so hooks can depend on it). */
  of(userId: string): StoredItem<T>;
}

const userKey = (area: 'local' | 'session', userId: string, name: string) => `${area}:u:${userId}:${name}` as StorageItemKey;

export function defineUserStored<S extends z.core.$ZodType>(area: 'local' | 'session', name: string, options: StoredOptions<S>): UserStored<z.output<S>> {
  const items = new Map<string, StoredItem<z.output<S>>>();
  return {
    name,
    fallback: options.fallback,
    of(userId) {
      let item = items.get(userId);
      if (!item) items.set(userId, (item = defineStored(userKey(area, userId, name), options)));
      return item;
    },
  };
}

/**
 * A stored list that keeps the entries that fit and drops the others with a warning: one
 * damaged entry does not cost the designer the whole tray.
 */
export function listOf<S extends z.core.$ZodType>(entry: S, what: string) {
  return z.array(z.unknown()).transform((items) =>
    items.flatMap((raw): z.output<S>[] => {
      const parsed = z.safeParse(entry, raw);
      if (parsed.success) return [parsed.data];
      console.warn(`Dropped a stored ${what} that does not fit its shape.`, parsed.error.issues);
      return [];
    }),
  );
}
