// "Collect images from this page": the page's images at their best source, small ones hidden
// by default, to pick many at once for the training set or the references tray.
import { useState } from 'preact/hooks';
import { addReferences, addTraining, collection, REFERENCES_MAX, referencesTray, TRAINING_MAX, trainingTray } from '../../lib/captures';
import { send } from '../../lib/messaging';
import { messageOf } from '../api';
import { useUser, useUserStored } from '../user';

const sizeFilters = [0, 200, 500, 1000];

export function CollectGrid() {
  const user = useUser();
  const [found] = useUserStored(collection);
  const [references] = useUserStored(referencesTray);
  const [training] = useUserStored(trainingTray);
  const [minSide, setMinSide] = useState(200);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  if (!found) return <p class="muted">Right-click a page and choose “Collect images from this page…” to see its images here.</p>;
  if (found.optedOut) return <p class="error">{found.optedOut}</p>;
  const shown = found.images.filter((i) => Math.min(i.width, i.height) >= minSide);
  const toggle = (url: string) => {
    const next = new Set(chosen);
    if (next.has(url)) next.delete(url);
    else next.add(url);
    setChosen(next);
  };

  async function add(target: 'training' | 'reference') {
    setBusy(true);
    setMessage('');
    try {
      const { captures, failed } = await send('capture.urls', { urls: [...chosen], page_url: found!.pageUrl, page_title: found!.pageTitle, menu: target });
      const added = target === 'training' ? await addTraining(user.id, captures) : await addReferences(user.id, captures);
      setChosen(new Set());
      setMessage(`${added} added${failed.length ? `; ${failed.length} could not be read` : ''}.`);
    } catch (e) {
      setMessage(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-label="Collected images" data-testid="collect-grid">
      <div class="row spread small">
        <span title={found.pageUrl}>{found.pageTitle || found.pageUrl}</span>
        <label class="row">
          Hide smaller than
          <select data-testid="size-filter" value={minSide} onChange={(e) => setMinSide(Number(e.currentTarget.value))}>
            {sizeFilters.map((s) => (
              <option key={s} value={s}>
                {s ? `${s} px` : 'nothing'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="muted small">
        {shown.length} of {found.images.length} images shown · {chosen.size} chosen
      </p>
      <div class="grid">
        {shown.map((image) => (
          <button key={image.url} type="button" class={chosen.has(image.url) ? 'thumb chosen' : 'thumb'} style={image.width && image.height ? { aspectRatio: `${image.width} / ${image.height}` } : undefined} aria-pressed={chosen.has(image.url)} onClick={() => toggle(image.url)} data-testid="collected-image" title={`${image.width}×${image.height}`}>
            <img src={image.url} alt={image.alt} referrerpolicy="no-referrer" />
            <span class="size">{image.width}×{image.height}</span>
          </button>
        ))}
      </div>
      <div class="row">
        <button type="button" disabled={busy || !chosen.size || training.length + chosen.size > TRAINING_MAX} onClick={() => add('training')} data-testid="add-training">
          Add to training set ({training.length + chosen.size}/{TRAINING_MAX})
        </button>
        <button type="button" disabled={busy || !chosen.size || references.length + chosen.size > REFERENCES_MAX} onClick={() => add('reference')} data-testid="add-references">
          Add to references ({references.length + chosen.size}/{REFERENCES_MAX})
        </button>
      </div>
      {message && <p class="muted small">{message}</p>}
    </section>
  );
}
