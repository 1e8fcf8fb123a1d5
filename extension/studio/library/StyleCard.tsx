// One Style in the library's grid: its title image, name, creator, verified mark, users and
// license, each leading to the Style's page or its creator's.
import type { PublicModel } from '../../../shared/catalog/types';
import { licenseInWords, usersInWords, VerifiedMark } from '../../panel/library/words';
import { routeHash } from '../route';
import { publicImageUrl } from './api';

export function StyleCard({ model }: { model: PublicModel }) {
  const page = routeHash({ view: 'library', modelId: model.id });
  return (
    <li class="card style-card" data-model-id={model.id}>
      <div class="style-cover">{model.title_image_url && <img src={publicImageUrl(model.title_image_url)} alt={`Title image of ${model.name}`} loading="lazy" />}</div>
      <h3 class="style-name">
        <a href={page}>{model.name}</a> {model.verified && <VerifiedMark />}
      </h3>
      {model.creator && (
        <p class="muted small">
          by <a href={routeHash({ view: 'library', handle: model.creator.handle })}>{model.creator.display_name}</a>
        </p>
      )}
      <p class="row spread small">
        {model.users !== undefined && <span>{usersInWords(model.users)}</span>}
        <span>{licenseInWords(model)}</span>
      </p>
    </li>
  );
}

/** Styles as cards, or what to say when there are none. */
export function StyleGrid({ models, empty, label }: { models: PublicModel[]; empty: string; label: string }) {
  if (!models.length) return <p class="muted">{empty}</p>;
  return (
    <ul class="style-grid" aria-label={label}>
      {models.map((m) => (
        <StyleCard key={m.id} model={m} />
      ))}
    </ul>
  );
}
