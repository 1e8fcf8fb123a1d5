// The models a designer can generate with, with what each costs and can do; Artist Styles with
// their creator and verified mark. The whole community library opens in the studio page.
import { browser } from 'wxt/browser';
import type { PublicModel } from '../../../shared/catalog/types';
import { featureLabels, kindLabels, priceRange } from '../format';
import { licenseInWords, VerifiedMark } from './words';

/** The studio page at the library, in a tab of its own (the panel is too narrow to browse in). */
export function openLibrary(): void {
  void browser.tabs.create({ url: browser.runtime.getURL('/studio.html#library') });
}

export function ModelList({ models }: { models: PublicModel[] }) {
  return (
    <section aria-label="Models">
      <div class="row spread">
        <h2>Models</h2>
        <button type="button" class="secondary" onClick={openLibrary}>
          Browse the library
        </button>
      </div>
      <ul class="models" data-testid="model-list">
        {models.map((m) => (
          <li key={m.id} class="card model" data-model-id={m.id}>
            <div class="row spread">
              <strong>
                {m.name} {m.kind === 'artist' && m.verified && <VerifiedMark />}
              </strong>
              <span class="badge">{kindLabels[m.kind]}</span>
            </div>
            {m.kind === 'artist' && m.creator && (
              <p class="muted small">
                by {m.creator.display_name} <span>@{m.creator.handle}</span>
              </p>
            )}
            <p class="muted">{m.description}</p>
            <div class="row spread small">
              <span>{priceRange(m)}</span>
              <span>{licenseInWords(m)}</span>
            </div>
            {m.features.length > 0 && (
              <div class="chips">
                {m.features.map((f) => (
                  <span key={f} class="chip">{featureLabels[f]}</span>
                ))}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
