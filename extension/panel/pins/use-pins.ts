// The signed-in user's pins, read once when asked for and again after each change made here.
import { useEffect, useState } from 'preact/hooks';
import type { Pin } from '../../../shared/api/pins';
import { api, messageOf, withToken } from '../api';

export interface PinsState {
  pins: Pin[];
  error: string;
  reload(): void;
}

export function usePins(): PinsState {
  const [pins, setPins] = useState<Pin[]>([]);
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let alive = true;
    withToken((token) => api.pins(token))
      .then((page) => alive && (setPins(page.items), setError('')))
      .catch((e) => alive && setError(messageOf(e)));
    return () => {
      alive = false;
    };
  }, [version]);
  return { pins, error, reload: () => setVersion((v) => v + 1) };
}
