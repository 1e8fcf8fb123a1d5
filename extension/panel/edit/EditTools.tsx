// The editing tools: Instruct, Replace, Recreate and Erase on an image the designer owns or
// may use, with the mask brush. The cost is quoted before anything runs; the edit starts as a
// generation-shaped job that arrives in the results like any other.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EditBody } from '../../../shared/api/edits';
import type { Generation } from '../../../shared/api/generation';
import { type EditOp, editModelFor, editOps, type PublicModel } from '../../../shared/catalog/types';
import { ApiError } from '../../lib/api-client';
import { api, messageOf, withToken } from '../api';
import { credits } from '../format';
import { useLiveEvent } from '../live';
import { useAuthedImage } from '../use-authed-image';
import { emptyMask, type MaskState, maskPng } from './mask';
import { BRUSH_SIZES, MaskBrush } from './MaskBrush';
import { SourcePicker } from './SourcePicker';

/** The image being edited, as far as the panel knows it. */
export interface EditSource {
  image_id: string;
  width: number;
  height: number;
  /** Where to show it from: an authed preview path, or a data: URL made at capture. */
  preview_url: string;
  /** What it is, in words ("Result", "Capture from example.com", "Upload"). */
  label: string;
}

export interface EditToolsProps {
  models: PublicModel[];
  /** The model chosen in the form: its own edits when it declares them, else the catalog's edit model. */
  model: PublicModel | undefined;
  /** The image to edit; absent, the tools first ask which (a result, a reference, an upload). */
  source?: EditSource;
  available: number | null;
  onStarted(generation: Generation): void;
  onClose?(): void;
}

type MaskNeed = 'none' | 'required' | 'optional';

/** Each op in words, what it asks for, and why a run can't start yet. */
const opWords: Record<EditOp, { label: string; help: string; field?: string; placeholder?: string; prompt: 'required' | 'optional' | 'none'; mask: MaskNeed; missingPrompt?: string }> = {
  instruct: { label: 'Instruct', help: 'Describe a change to the whole image.', field: 'What to change', placeholder: 'Make it warmer, with softer light', prompt: 'required', mask: 'none', missingPrompt: 'Say what to change.' },
  replace: { label: 'Replace', help: 'Paint an area and say what goes there.', field: 'What goes in the painted area', placeholder: 'A red bicycle', prompt: 'required', mask: 'required', missingPrompt: 'Say what goes in the painted area.' },
  recreate: { label: 'Recreate', help: 'A variation of a painted area, or of the whole image.', field: 'Guide the variation (optional)', placeholder: 'Softer light, the same scene', prompt: 'optional', mask: 'optional' },
  erase: { label: 'Erase', help: 'Paint what to remove; the space around fills it in.', prompt: 'none', mask: 'required' },
};

const INSTRUCT_OFFLINE_HINT = 'Without a provider key, Instruct changes colour and light only: warmer, cooler, brighter, darker, more contrast, muted, black and white, sepia. Other instructions need a provider.';

/** A retried press after a network failure sends the same request with the same key, so it never runs twice. */
interface Pending {
  request: string;
  key: string;
  maskImageId?: string;
}

function SourceImage({ source, url }: { source: EditSource; url: string | null }) {
  return (
    <figure class="edit-source">
      {url ? <img src={url} alt={`The image to edit: ${source.label}`} width={source.width} height={source.height} /> : <span class="muted small">Loading the image…</span>}
      <figcaption class="muted small">
        {source.label} · {source.width}×{source.height} px
      </figcaption>
    </figure>
  );
}

/** The source's preview for <img src>: a capture's inline thumbnail as it is, else fetched with the token. */
function usePreview(source: EditSource): string | null {
  const inline = source.preview_url.startsWith('data:');
  const { url } = useAuthedImage(inline ? null : source.preview_url);
  return inline ? source.preview_url : url;
}

/** What the designer has available to spend: the caller's figure, else the API's, kept fresh by the live channel. */
function useAvailable(given: number | null): number | null {
  const [fetched, setFetched] = useState<number | null>(null);
  useEffect(() => {
    if (given !== null) return;
    let alive = true;
    withToken((token) => api.credits(token))
      .then((c) => alive && setFetched(c.available))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [given === null]);
  useLiveEvent('credits.changed', (fresh) => setFetched(fresh.available));
  return given ?? fetched;
}

export function EditTools({ models, model, source: given, available: givenAvailable, onStarted, onClose }: EditToolsProps) {
  const [picked, setPicked] = useState<EditSource | null>(null);
  const source = given ?? picked;
  const available = useAvailable(givenAvailable);
  const usable = editOps.filter((op) => editModelFor(model, op, models));
  return (
    <section class="card edit-tools" aria-label="Edit an image">
      <div class="row spread">
        <h3 class="edit-heading">{given ? 'Edit this image' : 'Edit an image'}</h3>
        {onClose && (
          <button type="button" class="secondary" onClick={onClose}>
            Close editing
          </button>
        )}
      </div>
      {!usable.length ? (
        <p class="muted small">No model in the catalog can edit images.</p>
      ) : !source ? (
        <SourcePicker onChoose={setPicked} />
      ) : (
        // A new image starts a new mask and a new request.
        <EditForm key={source.image_id} {...{ models, model, source, usable, available, onStarted, onClose }} onChooseAnother={given ? undefined : () => setPicked(null)} />
      )}
    </section>
  );
}

interface EditFormProps {
  models: PublicModel[];
  model: PublicModel | undefined;
  source: EditSource;
  usable: EditOp[];
  available: number | null;
  onStarted(generation: Generation): void;
  onClose?(): void;
  onChooseAnother?(): void;
}

function EditForm({ models, model, source, usable, available, onStarted, onClose, onChooseAnother }: EditFormProps) {
  const [op, setOp] = useState<EditOp>(usable[0]!);
  const [prompt, setPrompt] = useState('');
  const [mask, setMask] = useState<MaskState>(emptyMask);
  const [maskEmpty, setMaskEmpty] = useState(true);
  const [brushSize, setBrushSize] = useState<number>(BRUSH_SIZES.initial);
  const [brushMode, setBrushMode] = useState<'paint' | 'erase'>('paint');
  // Recreate: the whole image unless the designer chooses to paint an area.
  const [area, setArea] = useState<'whole' | 'painted'>('whole');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const pending = useRef<Pending | null>(null);
  const previewUrl = usePreview(source);

  const words = opWords[op];
  const runner = editModelFor(model, op, models)!;
  const price = runner.resolutions[0]!.credits_per_image;
  const usesMask = words.mask === 'required' || (words.mask === 'optional' && area === 'painted');
  const text = prompt.trim();
  const short = available !== null && available < price;
  const reason =
    words.prompt === 'required' && !text
      ? words.missingPrompt!
      : usesMask && maskEmpty
        ? 'Paint the area to change on the image first.'
        : short
          ? `This needs ${credits(price)} and you have ${credits(available ?? 0)}. Buy credits to edit.`
          : '';

  async function run(e: Event) {
    e.preventDefault();
    if (busy || reason) return;
    const body: EditBody = { op, model_id: runner.id };
    if (words.prompt !== 'none' && text) body.prompt = text;
    const request = JSON.stringify({ image: source.image_id, ...body, mask: usesMask ? { strokes: mask.strokes, inverted: mask.inverted } : null });
    if (pending.current?.request !== request) pending.current = { request, key: crypto.randomUUID() };
    const attempt = pending.current;
    setBusy(true);
    setError('');
    try {
      if (usesMask) {
        if (!attempt.maskImageId) {
          const png = await maskPng(mask, source.width, source.height);
          const bytes = new Uint8Array(await png.arrayBuffer());
          attempt.maskImageId = (await withToken((token) => api.upload(token, bytes, 'image/png', {}))).id;
        }
        body.mask_image_id = attempt.maskImageId;
      }
      const started = await withToken((token) => api.edit(token, source.image_id, body, attempt.key));
      pending.current = null;
      onStarted(started);
      onClose?.();
    } catch (err) {
      // Only a request that may not have arrived is retried with its key; an answer was final.
      if (!(err instanceof ApiError && err.problem.code === 'network')) pending.current = null;
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="edit-form" aria-label="Edit this image" onSubmit={run}>
      {!usesMask && <SourceImage source={source} url={previewUrl} />}
      {onChooseAnother && (
        <button type="button" class="link" onClick={onChooseAnother}>
          Choose another image
        </button>
      )}
      <fieldset class="edit-ops">
        <legend>How</legend>
        {usable.map((o) => (
          <label key={o} class="edit-op">
            <input type="radio" name="edit-op" value={o} checked={op === o} onChange={() => (setOp(o), setError(''))} />
            <span>
              {opWords[o].label} <span class="muted small">{opWords[o].help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {words.mask === 'optional' && (
        <fieldset class="edit-ops">
          <legend>What to recreate</legend>
          <label class="edit-op">
            <input type="radio" name="edit-area" value="whole" checked={area === 'whole'} onChange={() => setArea('whole')} />
            <span>Whole image <span class="muted small">No mask: a variation of everything.</span></span>
          </label>
          <label class="edit-op">
            <input type="radio" name="edit-area" value="painted" checked={area === 'painted'} onChange={() => setArea('painted')} />
            <span>A painted area <span class="muted small">Needs a mouse, pen or touch.</span></span>
          </label>
        </fieldset>
      )}
      {usesMask && (
        <MaskBrush
          imageUrl={previewUrl}
          width={source.width}
          height={source.height}
          alt={`The image to edit: ${source.label}`}
          state={mask}
          empty={maskEmpty}
          size={brushSize}
          mode={brushMode}
          onSize={setBrushSize}
          onMode={setBrushMode}
          onChange={(next, empty) => (setMask(next), setMaskEmpty(empty))}
        />
      )}
      {words.field && (
        <>
          <label for="edit-prompt">{words.field}</label>
          <textarea id="edit-prompt" rows={2} maxLength={4000} placeholder={words.placeholder} value={prompt} aria-describedby={op === 'instruct' ? 'edit-instruct-hint' : undefined} onInput={(e) => setPrompt(e.currentTarget.value)} />
        </>
      )}
      {op === 'instruct' && (
        <p id="edit-instruct-hint" class="muted small">
          {INSTRUCT_OFFLINE_HINT}
        </p>
      )}
      <p class="muted small" data-testid="edit-quote">
        On {runner.name} · {credits(price)}
        {available !== null ? ` · you have ${credits(available)}` : ''}
      </p>
      {reason && (
        <p id="edit-blocked" class="muted small" data-testid="edit-blocked">
          {reason}
        </p>
      )}
      <button type="submit" disabled={busy || !!reason} aria-describedby={reason ? 'edit-blocked' : undefined}>
        {busy ? 'Starting…' : `${words.label} · ${credits(price)}`}
      </button>
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
