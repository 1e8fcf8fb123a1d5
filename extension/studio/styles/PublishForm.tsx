// Publishing a public Style that passed its quiz: a title, a title image and up to eight
// examples chosen from what the Style has made, and the copyright status of its training
// images. Submitting sends it to moderation.
import { useEffect, useState } from 'preact/hooks';
import type { Style } from '../../../shared/api/styles';
import { MAX_STYLE_EXAMPLES } from '../../../shared/catalog/styles';
import { type CopyrightStatus, copyrightStatuses } from '../../../shared/statuses';
import { messageOf, withToken } from '../../panel/api';
import { stylesApi } from './api';
import { Picture, thumbPath } from './Picture';
import { copyrightWords } from './words';

/** Generations read looking for the Style's results (pages of 100, newest first). */
const PAGES = 3;

/** Images the Style has made: its quiz samples, then its results among my generations. */
export function useStyleImages(style: Style): { images: string[] | null; error: string } {
  const [images, setImages] = useState<string[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let alive = true;
    (async () => {
      const found = new Set(style.quiz?.samples.map((s) => s.image_id) ?? []);
      let cursor: string | undefined;
      for (let page = 0; page < PAGES; page++) {
        const answer = await withToken((token) => stylesApi.generations(token, cursor));
        for (const g of answer.items) if (g.model_id === style.id) for (const image of g.images) found.add(image.id);
        if (!answer.next_cursor) break;
        cursor = answer.next_cursor;
      }
      if (alive) setImages([...found]);
    })().catch((e) => alive && (setError(messageOf(e)), setImages([...(style.quiz?.samples.map((s) => s.image_id) ?? [])])));
    return () => {
      alive = false;
    };
  }, [style.id, style.version]);
  return { images, error };
}

export function PublishForm({ style, onPublished }: { style: Style; onPublished(style: Style): void }) {
  const { images, error: loadError } = useStyleImages(style);
  const [title, setTitle] = useState(style.name);
  const [titleImage, setTitleImage] = useState<string | null>(null);
  const [examples, setExamples] = useState<string[]>([]);
  const [copyright, setCopyright] = useState<CopyrightStatus | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  function missing(): string[] {
    const out: string[] = [];
    if (!title.trim()) out.push('Give it a title.');
    if (!titleImage) out.push('Choose a title image.');
    if (examples.length > MAX_STYLE_EXAMPLES) out.push(`Choose at most ${MAX_STYLE_EXAMPLES} examples.`);
    if (!copyright) out.push('Say what the copyright status of the training images is.');
    return out;
  }

  async function submit(e: Event) {
    e.preventDefault();
    const found = missing();
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    try {
      onPublished(
        await withToken((token) =>
          stylesApi.publish(token, style.id, { title: title.trim(), title_image_id: titleImage!, example_image_ids: examples, copyright_status: copyright! }),
        ),
      );
    } catch (e) {
      setProblems([messageOf(e)]);
    } finally {
      setBusy(false);
    }
  }

  const toggleExample = (id: string) => setExamples(examples.includes(id) ? examples.filter((x) => x !== id) : [...examples, id]);

  return (
    <form class="card" aria-label="Publish" onSubmit={submit} noValidate>
      <h2>Publish it in the library</h2>
      <p class="muted">Moderators review it first; you hear from them by email and here.</p>
      <label for="publish-title">Title</label>
      <input id="publish-title" value={title} maxLength={80} onInput={(e) => setTitle(e.currentTarget.value)} />
      {images === null && <p class="muted">Finding what your Style has made…</p>}
      {loadError && <p class="error">{loadError}</p>}
      {images && images.length === 0 && <p class="muted">Your Style has made no images yet: generate with it first, then choose from them here.</p>}
      {images && images.length > 0 && (
        <>
          <fieldset class="picks" role="radiogroup" aria-label="Title image">
            <legend>Title image</legend>
            {images.map((id, i) => (
              <label key={id} class={titleImage === id ? 'pick chosen' : 'pick'}>
                <input type="radio" name="title-image" checked={titleImage === id} onChange={() => setTitleImage(id)} aria-label={`Title image: image ${i + 1}`} />
                <Picture path={thumbPath(id)} alt="" />
              </label>
            ))}
          </fieldset>
          <fieldset class="picks" aria-label="Examples">
            <legend>
              Examples ({examples.length} of at most {MAX_STYLE_EXAMPLES})
            </legend>
            {images.map((id, i) => (
              <label key={id} class={examples.includes(id) ? 'pick chosen' : 'pick'}>
                <input
                  type="checkbox"
                  checked={examples.includes(id)}
                  disabled={!examples.includes(id) && examples.length >= MAX_STYLE_EXAMPLES}
                  onChange={() => toggleExample(id)}
                  aria-label={`Example: image ${i + 1}`}
                />
                <Picture path={thumbPath(id)} alt="" />
              </label>
            ))}
          </fieldset>
        </>
      )}
      <fieldset class="choices" role="radiogroup" aria-label="Copyright status">
        <legend>Copyright status of the training images</legend>
        {copyrightStatuses.map((status) => (
          <label key={status} class="choice">
            <input type="radio" name="copyright" checked={copyright === status} onChange={() => setCopyright(status)} aria-describedby={`copyright-${status}`} />
            <span>
              <strong>{copyrightWords[status].label}</strong>{' '}
              <span id={`copyright-${status}`} class="muted small">
                {copyrightWords[status].explanation}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <div class="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Submit for moderation'}
        </button>
      </div>
      {problems.length > 0 && (
        <ul class="problems" role="alert">
          {problems.map((p) => (
            <li key={p} class="error">
              {p}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
