// Which image to edit, when none was given: a recent result, a capture in the references
// tray, or a file from this computer (uploaded first, like a capture).
import { useEffect, useState } from 'preact/hooks';
import type { Capture } from '../../lib/captures';
import { referencesTray } from '../../lib/captures';
import { api, messageOf, withToken } from '../api';
import { useAuthedImage } from '../use-authed-image';
import { useUserStored } from '../user';
import type { EditSource } from './EditTools';

/** How many recent results are offered (the first page of generations holds more). */
const RECENT = 12;

const previewOf = (imageId: string) => `/v1/images/${encodeURIComponent(imageId)}/preview`;

function hostOf(capture: Capture): string {
  try {
    return new URL(capture.source_url ?? capture.page_url).hostname;
  } catch {
    return capture.page_title || 'a page';
  }
}

function Choice({ source, thumb, onChoose }: { source: EditSource; thumb: string; onChoose(source: EditSource): void }) {
  const { url: served } = useAuthedImage(thumb.startsWith('data:') ? null : thumb);
  const url = thumb.startsWith('data:') ? thumb : served;
  return (
    <button type="button" class="thumb" style={{ aspectRatio: `${source.width} / ${source.height}` }} aria-label={`${source.label}, ${source.width}×${source.height}`} onClick={() => onChoose(source)}>
      {url ? <img src={url} alt="" /> : <span class="muted small">…</span>}
    </button>
  );
}

export function SourcePicker({ onChoose }: { onChoose(source: EditSource): void }) {
  const [tray] = useUserStored(referencesTray);
  const [results, setResults] = useState<{ source: EditSource; thumb: string }[] | null>(null);
  const [said, setSaid] = useState('');
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    let alive = true;
    withToken((token) => api.generations(token))
      .then((page) => {
        if (!alive) return;
        const images = page.items.flatMap((g) =>
          g.images.map((image) => ({
            source: { image_id: image.id, width: image.width, height: image.height, preview_url: image.preview_url, label: `Result: ${g.prompt.slice(0, 80)}` },
            thumb: image.thumb_url,
          })),
        );
        setResults(images.slice(0, RECENT));
      })
      .catch((e) => alive && (setResults([]), setSaid(messageOf(e))));
    return () => {
      alive = false;
    };
  }, []);

  const captures = tray.filter((c) => c.status === 'ready' && c.image_id);

  async function upload(file: File | undefined) {
    if (!file) return;
    setUploading(true);
    setSaid('');
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const image = await withToken((token) => api.upload(token, bytes, file.type || 'application/octet-stream', { pageTitle: file.name }));
      onChoose({ image_id: image.id, width: image.width, height: image.height, preview_url: image.preview_url, label: `Upload: ${file.name}` });
    } catch (e) {
      setSaid(messageOf(e));
    } finally {
      setUploading(false);
    }
  }

  return (
    <section class="edit-sources" aria-label="Choose the image to edit">
      <h3 class="edit-heading">Which image?</h3>
      <div>
        <strong class="small">Recent results</strong>
        {results === null ? (
          <p class="muted small">Loading your results…</p>
        ) : results.length ? (
          <div class="grid">
            {results.map((r) => (
              <Choice key={r.source.image_id} source={r.source} thumb={r.thumb} onChoose={onChoose} />
            ))}
          </div>
        ) : (
          <p class="muted small">No results yet.</p>
        )}
      </div>
      {captures.length > 0 && (
        <div>
          <strong class="small">Captures in your references</strong>
          <div class="grid">
            {captures.map((c) => (
              <Choice
                key={c.id}
                source={{ image_id: c.image_id, width: c.width, height: c.height, preview_url: previewOf(c.image_id), label: `Capture from ${hostOf(c)}` }}
                thumb={c.thumb_data ?? c.thumb_url}
                onChoose={onChoose}
              />
            ))}
          </div>
        </div>
      )}
      <div>
        <label for="edit-upload">Or upload an image</label>
        <input id="edit-upload" type="file" accept="image/*" disabled={uploading} onChange={(e) => upload(e.currentTarget.files?.[0])} />
        {uploading && <p class="muted small">Uploading…</p>}
      </div>
      {said && (
        <p class="error small" role="alert">
          {said}
        </p>
      )}
    </section>
  );
}
