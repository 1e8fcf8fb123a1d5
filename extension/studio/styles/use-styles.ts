// The creator's Styles, kept current: read once, then each change arrives on the live channel
// (`style.updated`); while the channel is down, the Styles still training are polled.
import { useEffect, useState } from 'preact/hooks';
import type { Style } from '../../../shared/api/styles';
import { messageOf, withToken } from '../../panel/api';
import { useLiveEvent, useLiveUp } from '../../panel/live';
import { stylesApi } from './api';

export const POLL_MS = 3000;

/** Puts `fresh` in place of the Style with its id (a new one goes first: the list is newest first). */
export function upsertStyle(all: Style[], fresh: Style): Style[] {
  return all.some((s) => s.id === fresh.id) ? all.map((s) => (s.id === fresh.id ? fresh : s)) : [fresh, ...all];
}

export interface StylesState {
  styles: Style[] | null;
  error: string;
  /** Puts an answer from the API in place (after a quiz, a publish, a retrain). */
  put(style: Style): void;
}

export function useStyles(): StylesState {
  const [styles, setStyles] = useState<Style[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    withToken((token) => stylesApi.styles(token))
      .then((page) => setStyles(page.items))
      .catch((e) => setError(messageOf(e)));
  }, []);

  useLiveEvent('style.updated', (fresh) => setStyles((all) => upsertStyle(all ?? [], fresh)));

  const liveUp = useLiveUp();
  const training = (styles ?? []).filter((s) => s.status === 'training').map((s) => s.id).join(',');
  useEffect(() => {
    if (!training || liveUp) return;
    const timer = setInterval(async () => {
      try {
        const fresh = await Promise.all(training.split(',').map((id) => withToken((token) => stylesApi.style(token, id))));
        setStyles((all) => fresh.reduce(upsertStyle, all ?? []));
        setError('');
      } catch (e) {
        setError(messageOf(e));
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [training, liveUp]);

  return { styles, error, put: (style) => setStyles((all) => upsertStyle(all ?? [], style)) };
}
