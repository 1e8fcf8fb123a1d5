// Images from the creator's own disk go into the tray like captured ones: uploaded first (the
// API judges the bytes), then added to the set with the rest.
import { useState } from 'preact/hooks';
import { addTraining, type Capture } from '../../lib/captures';
import { api, messageOf, withToken } from '../../panel/api';
import { useUser } from '../../panel/user';

export function UploadImages() {
  const user = useUser();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  async function upload(files: File[]) {
    setBusy(true);
    const failed: string[] = [];
    for (const file of files) {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const image = await withToken((token) => api.upload(token, bytes, file.type || 'application/octet-stream', { pageTitle: file.name }));
        const capture: Capture = {
          id: `upload-${image.id}`,
          menu: 'training',
          image_id: image.id,
          source_url: null,
          page_url: '',
          page_title: file.name,
          alt: '',
          width: image.width,
          height: image.height,
          sha256: image.sha256,
          thumb_url: image.thumb_url,
          thumb_data: null,
          status: 'ready',
          captured_at: new Date().toISOString(),
        };
        await addTraining(user.id, [capture]);
      } catch (e) {
        failed.push(`${file.name}: ${messageOf(e)}`);
      }
    }
    setErrors(failed);
    setBusy(false);
  }

  return (
    <div class="grow">
      <label for="upload-training">Add images from your computer</label>
      <input
        id="upload-training"
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif,image/avif"
        multiple
        disabled={busy}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length) void upload(files);
        }}
      />
      {busy && <p class="muted small">Uploading…</p>}
      {errors.map((error) => (
        <p key={error} class="error small" role="alert">
          {error}
        </p>
      ))}
    </div>
  );
}
