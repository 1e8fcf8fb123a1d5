// A stored item as Preact state that follows every change, wherever it was made (the
// background writes captures; the panel reads and edits them). The third value says whether
// the stored value has been read yet (before that, the state is the fallback).
import { useEffect, useState } from 'preact/hooks';
import type { StoredItem } from '../lib/stored';

export function useStored<T>(item: StoredItem<T>): [T, (value: T) => Promise<void>, boolean] {
  const [state, setState] = useState<{ item: StoredItem<T>; value: T; loaded: boolean }>({ item, value: item.fallback, loaded: false });
  useEffect(() => {
    let alive = true;
    setState((s) => (s.item === item ? s : { item, value: item.fallback, loaded: false }));
    void item.getValue().then((value) => alive && setState({ item, value, loaded: true }));
    const unwatch = item.watch((value) => setState({ item, value, loaded: true }));
    return () => {
      alive = false;
      unwatch();
    };
  }, [item]);
  // A value read for another item (the user changed) is not shown for this one.
  const current = state.item === item ? state : { value: item.fallback, loaded: false };
  return [current.value, (v: T) => item.setValue(v), current.loaded];
}
