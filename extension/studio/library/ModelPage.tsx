// A Style's page: its title image large, its examples, what it is, who made it, what a license
// allows, and the way to generate with it.
import { useEffect, useState } from 'preact/hooks';
import type { PublicModel } from '../../../shared/catalog/types';
import { kindLabels } from '../../panel/format';
import { licenseInWords, usersInWords, VerifiedMark } from '../../panel/library/words';
import { useUser } from '../../panel/user';
import { routeHash } from '../route';
import { libraryApi, publicImageUrl, useLoaded } from './api';
import { Avatar } from './Avatar';
import { chooseForGenerate, currentWindowId, openSidePanel } from './generate-with';

function GenerateWith({ model }: { model: PublicModel }) {
  const user = useUser();
  const [windowId, setWindowId] = useState<number>();
  const [said, setSaid] = useState('');
  useEffect(() => {
    void currentWindowId().then(setWindowId);
  }, []);

  function generate() {
    // The panel first, while the click still counts as one; the draft is written before the panel has loaded.
    openSidePanel(windowId);
    chooseForGenerate(user.id, model.id)
      .then(() => setSaid(`${model.name} is chosen in the side panel’s Generate tab. If the panel did not open, click Exactly in the browser’s toolbar.`))
      .catch(() => setSaid('It could not be chosen. Pick it from the model list in the side panel’s Generate tab.'));
  }

  return (
    <div class="generate-with">
      <button type="button" onClick={generate}>
        Generate with this Style
      </button>
      <p class="muted small" role="status">
        {said}
      </p>
    </div>
  );
}

function ModelDetail({ model }: { model: PublicModel }) {
  const examples = model.example_image_urls ?? [];
  return (
    <article class="model-page" aria-labelledby="model-title">
      <p class="small">
        <a href={routeHash({ view: 'library' })}>← Library</a>
      </p>
      <div class="model-head">
        <div class="model-cover">{model.title_image_url && <img src={publicImageUrl(model.title_image_url)} alt={`Title image of ${model.name}`} />}</div>
        <div class="model-facts">
          <span class="badge">{kindLabels[model.kind]}</span>
          <h1 id="model-title">
            {model.name} {model.verified && <VerifiedMark />}
          </h1>
          {model.creator && (
            <a class="creator-line" href={routeHash({ view: 'library', handle: model.creator.handle })}>
              <Avatar handle={model.creator.handle} name={model.creator.display_name} size={40} />
              <span>
                {model.creator.display_name} <span class="muted">@{model.creator.handle}</span>
              </span>
            </a>
          )}
          <p>{model.description}</p>
          <dl class="facts">
            {model.users !== undefined && (
              <>
                <dt>Used by</dt>
                <dd>{usersInWords(model.users)}</dd>
              </>
            )}
            <dt>License</dt>
            <dd>{licenseInWords(model)}</dd>
            <dt>Verified</dt>
            <dd>{model.verified ? 'Yes: its creator attested its copyright status' : 'Not yet: its images are for personal use until it is'}</dd>
            {model.published_at && (
              <>
                <dt>Published</dt>
                <dd>{new Date(model.published_at).toLocaleDateString('en', { dateStyle: 'medium' })}</dd>
              </>
            )}
          </dl>
          {model.license_terms && (
            <section aria-labelledby="terms-title">
              <h2 id="terms-title">License terms</h2>
              <p class="small">{model.license_terms}</p>
            </section>
          )}
          <GenerateWith model={model} />
        </div>
      </div>
      {examples.length > 0 && (
        <section aria-labelledby="examples-title">
          <h2 id="examples-title">Examples</h2>
          <ul class="examples">
            {examples.map((url, i) => (
              <li key={url}>
                <img src={publicImageUrl(url)} alt={`Example ${i + 1} of ${examples.length} made with ${model.name}`} loading="lazy" />
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

export function ModelPage({ id }: { id: string }) {
  const [model] = useLoaded(() => libraryApi.model(id), id);
  if (model.status === 'loading') return <p class="muted">Loading…</p>;
  if (model.status === 'failed')
    return (
      <p class="error" role="alert">
        {model.code === 'not_found' ? 'This Style is not in the library (it may have been withdrawn).' : `This Style could not be loaded: ${model.message}`}{' '}
        <a href={routeHash({ view: 'library' })}>Back to the library</a>
      </p>
    );
  return <ModelDetail model={model.data} />;
}
