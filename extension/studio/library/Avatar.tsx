// A creator's avatar from the API, or their initial while there is none.
import { useState } from 'preact/hooks';
import { avatarUrl, publicImageUrl } from './api';

export function Avatar({ handle, name, url, size }: { handle: string; name: string; url?: string | null; size: number }) {
  const [missing, setMissing] = useState(url === null);
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size / 2.4)}px` };
  if (missing) {
    return (
      <span class="avatar" style={style} aria-hidden="true">
        {(name || handle).slice(0, 1).toUpperCase()}
      </span>
    );
  }
  return <img class="avatar" style={style} src={url ? publicImageUrl(url) : avatarUrl(handle)} alt={`${name}’s avatar`} onError={() => setMissing(true)} />;
}
