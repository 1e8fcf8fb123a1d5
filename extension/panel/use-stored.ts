// A stored item as Preact state that follows every change, wherever it was made (the
// background writes captures; the panel reads and edits them).
import { useEffect, useState } from 'preact/hooks';
import type { StoredItem } from '../lib/stored';

export function useStored<T>(item: StoredItem<T>): [T, (value: T) => Promise<void>] {
  const [value, setValue] = useState<T>(item.fallback);
  useEffect(() => {
    let alive = true;
    void item.getValue().then((v) => alive && setValue(v));
    const unwatch = item.watch((v) => setValue(v));
    return () => {
      alive = false;
      unwatch();
    };
  }, [item]);
  return [value, (v: T) => item.setValue(v)];
}
