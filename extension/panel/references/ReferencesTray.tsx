// The references tray: captured images the selected model will follow, in order, up to its
// limit (Agentic takes 10). Each shows where it came from, and whether it goes with this model:
// the designer checks the ones to send, and the header says exactly what goes. Nothing is sent
// that is not shown as going.
import type { PublicModel } from '../../../shared/catalog/types';
import type { Capture } from '../../capture/flow';
import { referencesTray } from '../../lib/captures';
import { type FormState, referencesFor } from '../generate/settings';
import { useAuthedImage } from '../use-authed-image';
import { useUserStored } from '../user';

function TrayThumb({ capture }: { capture: Capture }) {
  // The thumbnail made at capture time shows at once; the server's is the fallback.
  const { url: served } = useAuthedImage(capture.thumb_data ? null : capture.thumb_url);
  const url = capture.thumb_data ?? served;
  if (!url) return <span class="muted small">…</span>;
  return (
    <span class={capture.status === 'uploading' ? 'uploading' : ''} title={capture.status === 'uploading' ? 'Uploading…' : undefined} aria-busy={capture.status === 'uploading' || undefined}>
      <img src={url} alt={capture.alt || 'Reference'} data-testid="tray-image" data-capture-id={capture.id} data-image-id={capture.image_id || undefined} />
    </span>
  );
}

export interface ReferencesTrayProps {
  model: PublicModel;
  form: FormState;
  setForm(change: (form: FormState) => FormState): void;
}

/** How many references the model takes (none unless it declares the feature). */
export const referenceLimit = (model: PublicModel) => (model.features.includes('reference') ? model.max_references : 0);

/** A tray entry as settings.ts counts it: its image, or (while uploading) a stand-in that goes once uploaded unless turned off. */
const keyOf = (c: Capture) => c.image_id || `uploading:${c.id}`;

/** The header: what goes with this model, in words. */
export function whatGoes(model: PublicModel, going: number): string {
  const limit = referenceLimit(model);
  if (limit === 0) return `${model.name} takes no references — they stay here for another model`;
  if (limit === 1) return `${model.name} takes 1 reference: the first one checked goes`;
  if (going === 0) return `None go with ${model.name}: check the ones to send`;
  return `${going} of ${limit} ${going === 1 ? 'goes' : 'go'} with ${model.name}`;
}

export function ReferencesTray({ model, form, setForm }: ReferencesTrayProps) {
  const [tray, setTray] = useUserStored(referencesTray);
  if (!tray.length) return null;
  const limit = referenceLimit(model);
  const going = referencesFor(form, model, tray.map(keyOf));
  const move = (i: number, by: number) => {
    const next = [...tray];
    const [item] = next.splice(i, 1);
    next.splice(Math.max(0, Math.min(next.length, i + by)), 0, item!);
    void setTray(next);
  };
  const use = (imageId: string, on: boolean) => setForm((f) => ({ ...f, skipped: on ? f.skipped.filter((id) => id !== imageId) : [...f.skipped.filter((id) => id !== imageId), imageId] }));
  const remove = (capture: Capture) => {
    void setTray(tray.filter((t) => t.id !== capture.id));
    if (form.skipped.includes(capture.image_id)) setForm((f) => ({ ...f, skipped: f.skipped.filter((id) => id !== capture.image_id) }));
  };
  /** Why an entry stays behind, for its "not sent" mark. */
  const whyNot = (capture: Capture) =>
    limit === 0 ? `${model.name} takes no references` : form.skipped.includes(capture.image_id) && capture.image_id ? `Turned off for ${model.name}` : `Over ${model.name}’s limit of ${limit}`;
  return (
    <section class="card" aria-label="References" data-testid="references-tray">
      <div class="row spread">
        <strong>References</strong>
        <span class={limit === 0 ? 'muted small' : 'small'} data-testid="references-count" role="status">
          {whatGoes(model, going.length)}
        </span>
      </div>
      <ul class="tray references">
        {tray.map((capture, i) => {
          const goes = going.includes(keyOf(capture));
          return (
            <li key={capture.id} class={goes ? 'goes' : 'unused'} data-testid="tray-item" data-goes={goes}>
              <TrayThumb capture={capture} />
              <div class="tray-meta small">
                <span>
                  {capture.width}×{capture.height}
                  {capture.status === 'uploading' && <span class="muted"> · uploading…</span>}
                  {!goes && (
                    <span class="not-sent" title={whyNot(capture)} data-testid="not-sent">
                      {' '}
                      · not sent
                    </span>
                  )}
                </span>
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
                {limit > 0 && (
                  <label class="use-with" title={capture.image_id ? undefined : 'Uploading…'}>
                    <input
                      type="checkbox"
                      checked={!capture.image_id || !form.skipped.includes(capture.image_id)}
                      disabled={!capture.image_id}
                      onChange={(e) => use(capture.image_id, e.currentTarget.checked)}
                      data-testid="use-reference"
                    />
                    Use with {model.name}
                  </label>
                )}
              </div>
              <div class="tray-actions">
                <button type="button" class="link" aria-label="Move earlier" disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" class="link" aria-label="Move later" disabled={i === tray.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" class="link" aria-label="Remove" onClick={() => remove(capture)}>✕</button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
