// A stored item as Preact state that follows every change, wherever it was made (the
// background writes captures; the panel reads and edits them).
import type { WxtStorageItem } from '@wxt-dev/storage';
import { useEffect, useState } from 'preact/hooks';

export function useStored<T>(item: WxtStorageItem<T, Record<string, unknown>>): [T, (value: T) => Promise<void>] {
  const [value, setValue] = useState<T>(item.fallback);
  useEffect(() => {
    let alive = true;
    void item.getValue().then((v) => alive && setValue(v));
    const unwatch = item.watch((v) => setValue(v ?? item.fallback));
    return () => {
      alive = false;
      unwatch();
    };
  }, [item]);
  return [value, (v: T) => item.setValue(v)];
}
