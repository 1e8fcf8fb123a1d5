// Editing a result from its detail view: Instruct (say what to change) or Recreate (a
// variation of the whole image), quoted before it runs, started as a generation-shaped job
// that arrives in the results like any other. Mask-based edits (Replace, Erase, Recreate of
// an area) need the mask brush, which lives in the editing tools.
import { useState } from 'preact/hooks';
import type { PublicModel } from '../../../shared/catalog/types';
import { api, messageOf, withToken } from '../api';
import { credits } from '../format';
import type { Generation } from '../../../shared/api/generation';

type Op = 'instruct' | 'recreate';

const ops: Record<Op, { label: string; hint: string; field: string; placeholder: string }> = {
  instruct: { label: 'Instruct', hint: 'Change what you describe', field: 'What to change', placeholder: 'Make it night, with the windows lit' },
  recreate: { label: 'Recreate', hint: 'A variation of the whole image', field: 'Guide the variation (optional)', placeholder: 'Softer light, the same scene' },
};

interface Props {
  imageId: string;
  /** The model edits run on; its first size's price is what one edit costs. */
  editModel: PublicModel | undefined;
  available: number | null;
  onStarted(generation: Generation): void;
}

export function EditImage({ imageId, editModel, available, onStarted }: Props) {
  const [open, setOpen] = useState(false);
  const [op, setOp] = useState<Op>('instruct');
  const [prompt, setPrompt] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState('');
  const usable = (Object.keys(ops) as Op[]).filter((o) => editModel?.features.includes(o));
  if (!editModel || !usable.length) return null;
  const price = editModel.resolutions[0]!.credits_per_image;
  const short = available !== null && available < price;
  const missing = op === 'instruct' && !prompt.trim();

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || short || missing) return;
    setBusy(true);
    setSaid('');
    try {
      // One key per press: each is a deliberate, new edit.
      const started = await withToken((token) => api.edit(token, imageId, { op, prompt: prompt.trim() || undefined, model_id: editModel!.id }, crypto.randomUUID()));
      onStarted(started);
    } catch (error) {
      setSaid(messageOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="edit-image">
      <button type="button" class="secondary" aria-expanded={open} aria-controls="edit-form" onClick={() => setOpen((o) => !o)}>
        Edit
      </button>
      {open && (
        <form id="edit-form" class="edit-form" aria-label="Edit this image" onSubmit={submit}>
          <fieldset class="edit-ops">
            <legend>How</legend>
            {usable.map((o) => (
              <label key={o} class="edit-op">
                <input type="radio" name="edit-op" value={o} checked={op === o} onChange={() => setOp(o)} />
                <span>
                  {ops[o].label} <span class="muted small">{ops[o].hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label for="edit-prompt">{ops[op].field}</label>
          <textarea id="edit-prompt" rows={2} maxLength={4000} placeholder={ops[op].placeholder} value={prompt} onInput={(e) => setPrompt(e.currentTarget.value)} />
          <p class="muted small">
            On {editModel.name}, at {editModel.resolutions[0]!.width}px · {credits(price)}
            {short ? ` · you have ${credits(available ?? 0)}` : ''}
          </p>
          <button type="submit" disabled={busy || short || missing}>
            {busy ? 'Starting…' : `${ops[op].label} · ${credits(price)}`}
          </button>
          {said && (
            <p class="muted small" role="status">
              {said}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
