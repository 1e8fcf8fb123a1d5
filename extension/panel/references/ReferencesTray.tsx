// The references tray: captured images the selected model will follow, in order, up to its
// limit (Agentic takes 10). Each shows where it came from.
import type { Capture } from '../../capture/flow';
import { referencesTray } from '../../lib/captures';
import { useAuthedImage } from '../use-authed-image';
import { useUserStored } from '../user';

function TrayThumb({ capture }: { capture: Capture }) {
  // The thumbnail made at capture time shows at once; the server's is the fallback.
  const { url: served } = useAuthedImage(capture.thumb_data ? null : capture.thumb_url);
  const url = capture.thumb_data ?? served;
  if (!url) return <span class="muted small">…</span>;
  return (
    <span class={capture.status === 'uploading' ? 'uploading' : ''} title={capture.status === 'uploading' ? 'Uploading…' : undefined}>
      <img src={url} alt={capture.alt || 'Reference'} data-testid="tray-image" data-capture-id={capture.id} data-image-id={capture.image_id || undefined} />
    </span>
  );
}

export function ReferencesTray({ limit, modelName }: { limit: number; modelName: string }) {
  const [tray, setTray] = useUserStored(referencesTray);
  if (!tray.length) return null;
  const move = (i: number, by: number) => {
    const next = [...tray];
    const [item] = next.splice(i, 1);
    next.splice(Math.max(0, Math.min(next.length, i + by)), 0, item!);
    void setTray(next);
  };
  return (
    <section class="card" aria-label="References" data-testid="references-tray">
      <div class="row spread">
        <strong>References</strong>
        <span class={tray.length > limit ? 'error small' : 'muted small'} data-testid="references-count">
          {limit ? `${Math.min(tray.length, limit)} of ${limit} used by ${modelName}` : `${modelName} takes no references`}
        </span>
      </div>
      <ul class="tray references">
        {tray.map((capture, i) => (
          <li key={capture.id} class={limit && i >= limit ? 'unused' : ''} data-testid="tray-item">
            <TrayThumb capture={capture} />
            <div class="tray-meta small">
              <span>{capture.width}×{capture.height}</span>
              {capture.source_url ? (
                <a href={capture.source_url} target="_blank" rel="noreferrer" title={capture.source_url} data-testid="tray-source">
                  {new URL(capture.source_url).hostname}
                </a>
              ) : capture.page_url ? (
                <a href={capture.page_url} target="_blank" rel="noreferrer" title={capture.page_title}>
                  {capture.page_title || 'page'}
                </a>
              ) : (
                // A result used again has no page behind it.
                <span>{capture.page_title}</span>
              )}
            </div>
            <div class="tray-actions">
              <button type="button" class="link" aria-label="Move earlier" disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
              <button type="button" class="link" aria-label="Move later" disabled={i === tray.length - 1} onClick={() => move(i, 1)}>↓</button>
              <button type="button" class="link" aria-label="Remove" onClick={() => setTray(tray.filter((t) => t.id !== capture.id))}>✕</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
