// The signed-in user's pins, read once when asked for and again after each change made
// anywhere in the panel: a pin named from a capture, renamed, given images or deleted tells
// every view holding the list (pinsChanged), so the Generate form never offers a stale one.
import { useEffect, useState } from 'preact/hooks';
import type { Pin } from '../../../shared/api/pins';
import { api, messageOf, withToken } from '../api';

export interface PinsState {
  pins: Pin[];
  error: string;
  /** Whether the list has been read at least once (before that, `pins` is empty for want of an answer). */
  loaded: boolean;
  reload(): void;
}

const listeners = new Set<() => void>();

/** Every mounted pins list reads the pins again. */
export function pinsChanged(): void {
  for (const listener of listeners) listener();
}

export function usePins(): PinsState {
  const [pins, setPins] = useState<Pin[]>([]);
  const [error, setError] = useState('');
  const [loaded, setLoaded] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    listeners.add(bump);
    return () => void listeners.delete(bump);
  }, []);
  useEffect(() => {
    let alive = true;
    withToken((token) => api.pins(token))
      .then((page) => alive && (setPins(page.items), setError(''), setLoaded(true)))
      .catch((e) => alive && setError(messageOf(e)));
    return () => {
      alive = false;
    };
  }, [version]);
  return { pins, error, loaded, reload: pinsChanged };
}
