// Your avatar, from your own images: a picture uploaded here, or one you captured into a tray.
import type { Capture } from '../../lib/captures';
import { referencesTray, trainingTray } from '../../lib/captures';
import { useState } from 'preact/hooks';
import { api, messageOf, withToken } from '../../panel/api';
import { useAuthedImage } from '../../panel/use-authed-image';
import { useUserStored } from '../../panel/user';

/** How many captured images are offered. */
const CHOICES = 12;

function Thumb({ path, data, alt }: { path: string; data?: string | null; alt: string }) {
  const authed = useAuthedImage(data ? null : path);
  const src = data ?? authed.url;
  return src ? <img src={src} alt={alt} /> : <span class="avatar-thumb-empty" aria-hidden="true" />;
}

export function AvatarPicker({ imageId, onChoose }: { imageId: string | null; onChoose(id: string | null): void }) {
  const [references] = useUserStored(referencesTray);
  const [training] = useUserStored(trainingTray);
  const [upload, setUpload] = useState<{ busy: boolean; error: string }>({ busy: false, error: '' });
  const captured = [...references, ...training]
    .filter((c: Capture) => c.status !== 'uploading' && c.image_id)
    .filter((c, i, all) => all.findIndex((o) => o.image_id === c.image_id) === i)
    .slice(0, CHOICES);

  async function uploadPicture(file: File | undefined) {
    if (!file) return;
    setUpload({ busy: true, error: '' });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const stored = await withToken((token) => api.upload(token, bytes, file.type || 'application/octet-stream', {}));
      onChoose(stored.id);
      setUpload({ busy: false, error: '' });
    } catch (error) {
      setUpload({ busy: false, error: messageOf(error) });
    }
  }

  return (
    <fieldset class="avatar-picker">
      <legend>Avatar</legend>
      <div class="row">
        <span class="avatar-now">{imageId ? <Thumb key={imageId} path={`/v1/images/${encodeURIComponent(imageId)}/thumb`} alt="Your avatar" /> : <span class="muted small">No avatar</span>}</span>
        <label class="secondary file-button">
          Upload a picture
          <input class="visually-hidden" type="file" accept="image/png,image/jpeg,image/webp,image/gif,image/avif" disabled={upload.busy} onChange={(e) => void uploadPicture(e.currentTarget.files?.[0])} />
        </label>
        {imageId && (
          <button type="button" class="secondary" onClick={() => onChoose(null)}>
            Remove avatar
          </button>
        )}
      </div>
      {upload.busy && <p class="muted small">Uploading…</p>}
      {upload.error && (
        <p class="error small" role="alert">
          The picture was not uploaded: {upload.error}
        </p>
      )}
      {captured.length > 0 && (
        <>
          <p class="muted small">Or one of the images you captured:</p>
          <ul class="avatar-choices">
            {captured.map((c, i) => (
              <li key={c.image_id}>
                <button type="button" class="thumb" aria-pressed={c.image_id === imageId} aria-label={`Use captured image ${i + 1}${c.alt ? ` (${c.alt})` : ''} as your avatar`} onClick={() => onChoose(c.image_id)}>
                  <Thumb path={c.thumb_url} data={c.thumb_data} alt="" />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}
