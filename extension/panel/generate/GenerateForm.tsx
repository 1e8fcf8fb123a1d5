// Pick a model, write the prompt, set batch, resolution and aspect ratio from that model's
// lists, and see the cost against the balance before anything runs. The button says the
// cost and stays off when the balance cannot cover it. What is chosen is the user's draft (draft.ts).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Generation, Quote } from '../../../shared/api/generation';
import type { PublicModel } from '../../../shared/catalog/types';
import { referencesTray } from '../../lib/captures';
import { api, messageOf, withToken } from '../api';
import { credits, featureLabels, kindLabels } from '../format';
import { AgenticComponents } from '../agentic/AgenticComponents';
import { ApiError } from '../../lib/api-client';
import { BuyCreditsLink } from '../credits/BuyCreditsLink';
import { EditTools } from '../edit/EditTools';
import { PinPicker } from '../pins/PinPicker';
import { PinsManager } from '../pins/PinsManager';
import { usePins } from '../pins/use-pins';
import { ReferencesTray } from '../references/ReferencesTray';
import { useUserStored } from '../user';
import { useDraft } from './draft';
import { usePromptFromImage } from './PromptFromImage';
import { fitToModel, type FormState, referencesFor, toBody } from './settings';
import { useLiveEvent } from '../live';

interface Props {
  models: PublicModel[];
  creditsVersion: number;
  onStarted(generation: Generation): void;
}

export function GenerateForm({ models, creditsVersion, onStarted }: Props) {
  const [form, setForm] = useDraft(models);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // Refused because credits are owing: the way out is buying credits.
  const [owing, setOwing] = useState(false);
  // A retried click after a failure reuses its key, so the API never charges twice.
  const pendingKey = useRef<{ key: string; body: string } | null>(null);
  const model = useMemo(() => models.find((m) => m.id === form.modelId) ?? models[0]!, [models, form.modelId]);
  const [tray] = useUserStored(referencesTray);
  const pins = usePins();
  // "Edit an image" from the prompt bar; a model that only edits is always in this mode.
  const [editing, setEditing] = useState(false);
  // Only references whose upload has finished can go with a request.
  const ready = tray.filter((t) => t.status !== 'uploading' && t.image_id);
  const chosen = { trayImageIds: ready.map((t) => t.image_id), pins: pins.pins };
  const sent = referencesFor(form, model, chosen.trayImageIds);
  const uploading = model.features.includes('reference') && tray.some((t) => t.status === 'uploading' && !form.skipped.includes(t.image_id));
  const quoted = JSON.stringify(toBody({ ...form, prompt: '' }, model, chosen));

  // "Image to prompt" from the context menu, read where the prompt is written.
  const fromImage = usePromptFromImage(form, setForm, setError);

  useEffect(() => {
    let alive = true;
    const body = { ...toBody(form, model, chosen), prompt: form.prompt.trim() || undefined };
    const timer = setTimeout(() => {
      withToken((token) => api.quote(token, body as never))
        .then((q) => alive && (setQuote(q), setQuoteError('')))
        .catch((e) => alive && (setQuote(null), setQuoteError(messageOf(e))));
    }, 150);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [quoted, creditsVersion]);
  // The price stands; what is available moves with every hold and charge (no new quote needed).
  useLiveEvent('credits.changed', (fresh) => setQuote((q) => q && { ...q, available: fresh.available, affordable: q.total <= fresh.available }));

  const set = (change: Partial<FormState>) => setForm((f) => ({ ...f, ...change }));
  const promptMissing = !form.prompt.trim();
  const unaffordable = quote !== null && !quote.affordable;

  async function submit(e: Event) {
    e.preventDefault();
    if (promptMissing || unaffordable || busy) return;
    const body = toBody(form, model, chosen);
    const serialized = JSON.stringify(body);
    if (pendingKey.current?.body !== serialized) pendingKey.current = { key: crypto.randomUUID(), body: serialized };
    setBusy(true);
    setError('');
    setOwing(false);
    try {
      const generation = await withToken((token) => api.generate(token, body, pendingKey.current!.key));
      pendingKey.current = null;
      onStarted(generation);
    } catch (err) {
      setError(messageOf(err));
      setOwing(err instanceof ApiError && err.code === 'account_owing');
    } finally {
      setBusy(false);
    }
  }

  const label = busy ? 'Starting…' : uploading ? 'Waiting for references…' : quote ? `Generate · ${credits(quote.total)}` : 'Generate';
  const modelSelect = (
    <>
      <label for="model">Model</label>
      <select id="model" data-testid="model" value={form.modelId} onChange={(e) => setForm((f) => fitToModel(f, models.find((m) => m.id === e.currentTarget.value)!))}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} — {kindLabels[m.kind]}
          </option>
        ))}
      </select>
    </>
  );
  if (model.edit_only || editing) {
    return (
      <>
        <div class="card generate">{modelSelect}</div>
        <EditTools models={models} model={model} available={quote?.available ?? null} onStarted={onStarted} onClose={model.edit_only ? undefined : () => setEditing(false)} />
      </>
    );
  }
  return (
    <>
    <form class="card generate" onSubmit={submit} aria-label="Generate">
      {modelSelect}
      <div class="prompt-head">
        <label for="prompt">Prompt</label>
        {model.features.length > 0 && (
          <ul class="features" aria-label={`What ${model.name} can do`} data-testid="model-features">
            {model.features.map((f) => (
              <li key={f} class="feature">
                {featureLabels[f]}
              </li>
            ))}
          </ul>
        )}
      </div>
      <textarea
        id="prompt"
        data-testid="prompt"
        rows={3}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }} placeholder={fromImage.reading ? 'Reading the image…' : 'A lighthouse at dusk, warm cinematic light'} value={form.prompt} onInput={(e) => set({ prompt: e.currentTarget.value })} />
      {fromImage.view}
      <div class="settings">
        <div>
          <label for="batch">Images</label>
          <input id="batch" data-testid="batch" type="number" min={1} max={model.max_batch} value={form.batch} onInput={(e) => set({ batch: Math.min(model.max_batch, Math.max(1, Number(e.currentTarget.value) || 1)) })} />
        </div>
        <div>
          <label for="resolution">Size</label>
          <select id="resolution" data-testid="resolution" value={form.resolution} onChange={(e) => set({ resolution: e.currentTarget.value })}>
            {model.resolutions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.width}px · {credits(r.credits_per_image)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="aspect">Aspect</label>
          <select id="aspect" data-testid="aspect" value={form.aspectRatio} onChange={(e) => set({ aspectRatio: e.currentTarget.value })}>
            {model.aspect_ratios.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
      </div>
      <PinPicker model={model} form={form} setForm={setForm} pins={pins} />
      <p class="muted small" data-testid="quote">
        {quote
          ? `${quote.batch} × ${credits(quote.credits_per_image)} = ${credits(quote.total)} · ${credits(quote.available)} available`
          : quoteError || 'Working out the cost…'}
      </p>
      {unaffordable && (
        <p class="error" role="alert">
          This needs {credits(quote!.total)} and you have {credits(quote!.available)}. Lower the number of images or the size, or <BuyCreditsLink />.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
          {owing && (
            <>
              {' '}
              <BuyCreditsLink>Buy credits</BuyCreditsLink>
            </>
          )}
        </p>
      )}
      <div class="row">
        <button data-testid="generate" type="submit" disabled={busy || uploading || promptMissing || unaffordable || !quote}>
          {label}
        </button>
        <button type="button" class="secondary" onClick={() => setEditing(true)}>
          Edit an image
        </button>
      </div>
    </form>
    {model.kind === 'agentic' && (
      <AgenticComponents model={model} form={form} setForm={setForm} references={sent.map((id) => ready.find((t) => t.image_id === id)!)} />
    )}
    {/* Below the form, so the prompt stays near the top however full the tray is. */}
    <ReferencesTray model={model} form={form} setForm={setForm} />
    <PinsManager pins={pins} />
    </>
  );
}
