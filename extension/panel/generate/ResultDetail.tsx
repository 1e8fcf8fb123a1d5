// One result, large, with what it is (prompt, model, size, cost, license) and what can be
// done with it next. A modal dialog: Escape or Close shut it (Results puts focus back on the
// thumbnail that opened it).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Generation } from '../../../shared/api/generation';
import { type EditOp, editOps, type PublicModel } from '../../../shared/catalog/types';
import { addReferences, type Capture } from '../../lib/captures';
import { messageOf } from '../api';
import { credits, kindLabels } from '../format';
import { OwnImage, policyLabel } from '../licenses/OwnImage';
import { useAuthedImage } from '../use-authed-image';
import { useUser } from '../user';
import { type Again, againCost, generateAgain } from './again';
import { BeforeAfter } from '../edit/BeforeAfter';
import { EditTools } from '../edit/EditTools';

type Image = Generation['images'][number];

/** A generated image as the references tray keeps a capture: it is already stored, so no upload. */
export function asReference(generation: Generation, image: Image): Capture {
  return {
    id: `generated-${image.id}`,
    menu: 'reference',
    image_id: image.id,
    source_url: null,
    page_url: '',
    page_title: 'Generated in Exactly',
    alt: generation.prompt.slice(0, 200),
    width: image.width,
    height: image.height,
    sha256: '',
    thumb_url: image.thumb_url,
    thumb_data: null,
    status: 'ready',
    captured_at: new Date().toISOString(),
  };
}

interface Props {
  generation: Generation;
  image: Image;
  model: PublicModel | undefined;
  /** The catalog: edits this model does not declare run on the catalog's edit model. */
  models: PublicModel[];
  available: number | null;
  onLicensed(): void;
  onStarted(generation: Generation): void;
  onClose(): void;
}

export function ResultDetail({ generation, image, model, models, available, onLicensed, onStarted, onClose }: Props) {
  const user = useUser();
  const { url, error } = useAuthedImage(image.preview_url);
  const [said, setSaid] = useState('');
  const [busy, setBusy] = useState<Again | null>(null);
  const [editing, setEditing] = useState(false);
  const closeButton = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const index = generation.images.findIndex((i) => i.id === image.id);

  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
      // Modal: Tab and Shift+Tab go round the dialog's own controls, never to the page behind.
      if (e.key === 'Tab' && dialog.current) {
        const inside = [...dialog.current.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], input, select, textarea')];
        const first = inside[0];
        const last = inside.at(-1);
        const at = document.activeElement;
        if (e.shiftKey && (at === first || !dialog.current.contains(at))) {
          e.preventDefault();
          last?.focus();
        } else if (!e.shiftKey && (at === last || !dialog.current.contains(at))) {
          e.preventDefault();
          first?.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
    };
  }, []);

  async function useAsReference() {
    try {
      const added = await addReferences(user.id, [asReference(generation, image)]);
      setSaid(added ? 'Added to references.' : 'Already in references, or the tray is full.');
    } catch (e) {
      setSaid(messageOf(e));
    }
  }

  async function copyPrompt() {
    try {
      await navigator.clipboard.writeText(generation.prompt);
      setSaid('Prompt copied.');
    } catch {
      setSaid('The browser did not allow copying; select the prompt and copy it.');
    }
  }

  async function again(how: Again) {
    setBusy(how);
    setSaid('');
    try {
      onStarted(await generateAgain(generation, how));
      onClose();
    } catch (e) {
      setSaid(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  // An edit shows the image it was made from beside it.
  const edited = (editOps as readonly string[]).includes(generation.operation as EditOp) && !!generation.source_image_id;
  const large = (src: string) => <img class="large" src={src} alt={`${edited ? 'Edited' : 'Generated'} image: ${generation.prompt}`} width={image.width} height={image.height} data-testid="large-image" />;
  const unaffordable = (how: Again) => available !== null && available < againCost(generation, how);
  return (
    <div class="lightbox" ref={dialog} role="dialog" aria-modal="true" aria-labelledby="detail-title" data-testid="result-detail" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="lightbox-bar">
        <h2 id="detail-title">
          Image {index + 1} of {generation.batch}
        </h2>
        <button type="button" class="secondary" ref={closeButton} onClick={onClose}>
          Close
        </button>
      </div>
      {url ? (
        edited ? (
          <BeforeAfter sourceImageId={generation.source_image_id!} width={image.width} height={image.height}>
            {large(url)}
          </BeforeAfter>
        ) : (
          large(url)
        )
      ) : (
        <p class="muted">{error ?? 'Loading…'}</p>
      )}
      <section class="detail" aria-label="About this image">
        <p class="prompt-text" data-testid="detail-prompt">
          {generation.prompt}
        </p>
        <dl class="facts">
          <dt>Model</dt>
          <dd>
            {model?.name ?? generation.model_id}
            {model ? ` · ${kindLabels[model.kind]}` : ''}
          </dd>
          <dt>Size</dt>
          <dd>
            {image.width}×{image.height} px · {generation.aspect_ratio}
          </dd>
          <dt>Seed</dt>
          <dd>{generation.seed} (the batch's; each image after the first adds one)</dd>
          <dt>Cost</dt>
          <dd>{credits(generation.cost.credits_per_image)} for this image</dd>
          <dt>License</dt>
          <dd>{policyLabel(image, model)}</dd>
          <dt>Made</dt>
          <dd>
            <time dateTime={generation.created_at}>{new Date(generation.created_at).toLocaleString()}</time>
          </dd>
        </dl>
        <div class="actions">
          <button type="button" class="secondary" onClick={useAsReference}>
            Use as reference
          </button>
          <button type="button" class="secondary" onClick={copyPrompt}>
            Copy prompt
          </button>
          <button type="button" class="secondary" disabled={busy !== null || unaffordable('vary')} onClick={() => again('vary')}>
            {busy === 'vary' ? 'Starting…' : `Vary · ${credits(againCost(generation, 'vary'))}`}
          </button>
          <button type="button" class="secondary" disabled={busy !== null || unaffordable('rerun')} onClick={() => again('rerun')}>
            {busy === 'rerun' ? 'Starting…' : `Re-run · ${credits(againCost(generation, 'rerun'))}`}
          </button>
          <button type="button" class="secondary" aria-expanded={editing} aria-controls="result-edit" onClick={() => setEditing((open) => !open)}>
            Edit
          </button>
          {said && (
            <p class="muted small status-line" role="status">
              {said}
            </p>
          )}
        </div>
        {editing && (
          <div id="result-edit">
            <EditTools
              models={models}
              model={model}
              source={{ image_id: image.id, width: image.width, height: image.height, preview_url: image.preview_url, label: `Image ${index + 1} of this result` }}
              available={available}
              onStarted={(started) => (onStarted(started), onClose())}
              onClose={() => setEditing(false)}
            />
          </div>
        )}
        <OwnImage image={image} model={model} available={available} onLicensed={onLicensed} />
      </section>
    </div>
  );
}
