// The models a designer can generate with, with what each costs and can do.
import type { PublicModel } from '../../../shared/catalog/types';
import { featureLabels, kindLabels, priceRange } from '../format';

export function ModelList({ models }: { models: PublicModel[] }) {
  return (
    <section aria-label="Models">
      <h2>Models</h2>
      <ul class="models" data-testid="model-list">
        {models.map((m) => (
          <li key={m.id} class="card model" data-model-id={m.id}>
            <div class="row spread">
              <strong>{m.name}</strong>
              <span class="badge">{kindLabels[m.kind]}</span>
            </div>
            <p class="muted">{m.description}</p>
            <div class="row spread small">
              <span>{priceRange(m)}</span>
              <span>{m.license === 'free' ? 'Free to use commercially' : m.license === 'per_image' ? 'License per image' : 'Personal use only'}</span>
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
