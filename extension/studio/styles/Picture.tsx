// One of the creator's own images behind the access token, at the size the layout gives it.
import { useAuthedImage } from '../../panel/use-authed-image';

export const previewPath = (imageId: string) => `/v1/images/${encodeURIComponent(imageId)}/preview`;
export const thumbPath = (imageId: string) => `/v1/images/${encodeURIComponent(imageId)}/thumb`;

export function Picture({ path, alt, class: className }: { path: string; alt: string; class?: string }) {
  const { url, error } = useAuthedImage(path);
  return <div class={className ?? 'picture'}>{url ? <img src={url} alt={alt} /> : <span class="muted small">{error ?? '…'}</span>}</div>;
}
