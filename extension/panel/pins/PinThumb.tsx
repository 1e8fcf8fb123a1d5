// One of a pin's images as a small thumbnail: the image's own thumbnail address comes from
// GET /v1/images/{id}, and is fetched with the token (useAuthedImage).
import { useEffect, useState } from 'preact/hooks';
import { api, withToken } from '../api';
import { useAuthedImage } from '../use-authed-image';

export function PinThumb({ imageId, alt, size = 40 }: { imageId: string; alt: string; size?: number }) {
  const [thumb, setThumb] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    let alive = true;
    setThumb(null);
    withToken((token) => api.image(token, imageId))
      .then((image) => alive && setThumb(image.thumb_url))
      .catch(() => alive && setMissing(true));
    return () => {
      alive = false;
    };
  }, [imageId]);
  const { url, error } = useAuthedImage(thumb);
  const style = { width: `${size}px`, height: `${size}px` };
  if (url) return <img class="pin-thumb" src={url} alt={alt} style={style} data-testid="pin-thumb" />;
  const failed = missing || Boolean(error);
  const named = alt ? { role: 'img' as const, 'aria-label': failed ? `${alt} (could not be loaded)` : alt } : { 'aria-hidden': true };
  return <span class={failed ? 'pin-thumb missing' : 'pin-thumb placeholder'} style={style} title={failed ? 'This image could not be loaded' : undefined} {...named} />;
}
