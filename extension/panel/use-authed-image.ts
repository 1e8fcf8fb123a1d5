// Images behind the access token can't go straight into <img src>: fetch them with the
// token and show them as object URLs, released when no longer shown.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, withToken } from './api';

export function useAuthedImage(path: string | null): { url: string | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  useEffect(() => {
    if (!path) return;
    let url: string | null = null;
    let alive = true;
    withToken((token) => api.imageBlob(token, path))
      .then((blob) => {
        url = URL.createObjectURL(blob);
        if (alive) setState({ url, error: null });
        else URL.revokeObjectURL(url);
      })
      .catch((error) => alive && setState({ url: null, error: messageOf(error) }));
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [path]);
  return state;
}
