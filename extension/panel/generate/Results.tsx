// Generations as they run and after: progress while the provider works, each image as it
// arrives at its own shape, and a click to see it large with what to do next.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Generation, isGenerationOpen } from '../../../shared/api/generation';
import type { PublicModel } from '../../../shared/catalog/types';
import { credits } from '../format';
import { policyLabel } from '../licenses/OwnImage';
import { useAuthedImage } from '../use-authed-image';
import { ResultDetail } from './ResultDetail';

const statusWords: Record<Generation['status'], string> = {
  queued: 'Queued',
  running: 'Generating',
  succeeded: 'Done',
  partial: 'Partly done',
  failed: 'Failed',
  canceled: 'Canceled',
};

function Thumb({ image, alt, onOpen }: { image: Image; alt: string; onOpen(): void }) {
  const { url, error } = useAuthedImage(image.thumb_url);
  return (
    <button type="button" class="thumb" data-image-id={image.id} style={{ aspectRatio: `${image.width} / ${image.height}` }} onClick={onOpen} title="Open large" aria-label={alt} aria-haspopup="dialog">
      {url ? <img src={url} alt="" width={image.width} height={image.height} data-testid="result-image" /> : <span class="muted small">{error ?? '…'}</span>}
    </button>
  );
}

type Image = Generation['images'][number];

const percent = (fraction: number) => Math.round(fraction * 100);

/** The bar of a running generation: the provider's steps where it reports them (ComfyUI), else images delivered of the batch. */
function RunningProgress({ generation: g }: { generation: Generation }) {
  if (g.progress.fraction === undefined) return <progress max={g.batch} value={g.images.length} aria-label="Progress" />;
  const value = percent(g.progress.fraction);
  return <progress max={100} value={value} aria-label="Progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-valuetext={`${value}% of the steps done`} />;
}

function ShowOlder({ load }: { load(): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <button type="button" class="secondary" disabled={busy} onClick={() => (setBusy(true), load().finally(() => setBusy(false)))}>
      {busy ? 'Loading…' : 'Show older generations'}
    </button>
  );
}

interface Props {
  generations: Generation[];
  models: PublicModel[];
  available: number | null;
  onCancel(id: string): void;
  onLicensed(generationId: string): void;
  onStarted(generation: Generation): void;
  /** Present while older generations are left to load. */
  onShowOlder?(): Promise<void>;
}

export function Results({ generations, models, available, onCancel, onLicensed, onStarted, onShowOlder }: Props) {
  const [open, setOpen] = useState<{ image: Image; generationId: string } | null>(null);
  // When the detail view closes, its thumbnail takes focus back (found afresh: it may have re-rendered).
  const lastOpened = useRef<string | null>(null);
  useEffect(() => {
    if (open) lastOpened.current = open.image.id;
    else if (lastOpened.current) {
      document.querySelector<HTMLElement>(`.thumb[data-image-id="${CSS.escape(lastOpened.current)}"]`)?.focus();
      lastOpened.current = null;
    }
  }, [open?.image.id]);
  // The open image as the generation now reports it (its policy changes once licensed).
  const openGeneration = open ? generations.find((g) => g.id === open.generationId) : undefined;
  const current = open ? (openGeneration?.images.find((i) => i.id === open.image.id) ?? open.image) : null;
  if (!generations.length) return <p class="muted small">Your images will appear here.</p>;
  return (
    <section aria-label="Results" data-testid="results">
      {generations.map((g) => {
        const waiting = isGenerationOpen(g) ? Math.max(0, g.batch - g.images.length) : 0;
        return (
          <article key={g.id} class="card result" data-generation-id={g.id} data-status={g.status}>
            <div class="row spread">
              <strong class="prompt-line">{g.prompt}</strong>
              <span class={`badge status-${g.status}`} data-testid="status">
                {statusWords[g.status]}
                {isGenerationOpen(g) ? ` ${g.images.length}/${g.batch}` : ''}
                {isGenerationOpen(g) && g.progress.fraction !== undefined ? ` · ${percent(g.progress.fraction)}%` : ''}
              </span>
            </div>
            {g.provider === 'offline' && (
              <p class="muted small offline-note">Offline renderer: painted from the prompt's colours and light, not its subjects. Real generation needs a provider key.</p>
            )}
            {isGenerationOpen(g) && <RunningProgress generation={g} />}
            <div class="grid results" style={g.height > g.width ? { '--thumb-min': '96px' } : undefined}>
              {g.images.map((image, i) => (
                <Thumb key={image.id} image={image} alt={`Image ${i + 1} of ${g.batch} · ${policyLabel(image, models.find((m) => m.id === g.model_id))}`} onOpen={() => setOpen({ image, generationId: g.id })} />
              ))}
              {Array.from({ length: waiting }, (_, i) => (
                <div key={`w${i}`} class="thumb placeholder" style={{ aspectRatio: `${g.width} / ${g.height}` }} aria-hidden="true" />
              ))}
            </div>
            <div class="row spread small">
              <span class="muted">
                {g.cost.charged ? `Charged ${credits(g.cost.charged)}` : g.cost.held ? `${credits(g.cost.held)} held` : ''}
                {g.cost.refunded ? ` · refunded ${credits(g.cost.refunded)}` : ''}
              </span>
              {isGenerationOpen(g) && (
                <button type="button" class="link" onClick={() => onCancel(g.id)}>
                  Cancel
                </button>
              )}
            </div>
            {g.error && <p class="error small">{g.error}</p>}
            {g.warnings.map((w) => (
              <p key={w.details} class="muted small">
                Note: {w.details}.
              </p>
            ))}
          </article>
        );
      })}
      {onShowOlder && <ShowOlder load={onShowOlder} />}
      {open && current && openGeneration && (
        <ResultDetail
          key={current.id}
          generation={openGeneration}
          image={current}
          model={models.find((m) => m.id === openGeneration.model_id)}
          models={models}
          available={available}
          onLicensed={() => onLicensed(open.generationId)}
          onStarted={onStarted}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
