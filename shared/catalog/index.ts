// Looking models up and showing them: the catalog's public face.
import { builtInModels } from './models';
import type { Model, ModelKind, PublicModel } from './types';

export * from './types';
export { builtInModels };

export function findModel(id: string, models: readonly Model[] = builtInModels): Model | undefined {
  return models.find((m) => m.id === id);
}

export function publicModel(model: Model): PublicModel {
  const { provider: _provider, ...rest } = model;
  return rest;
}

export interface ModelSearch {
  kind?: ModelKind;
  q?: string;
}

/** Case-insensitive search over name and description, optionally within one kind. */
export function searchModels(search: ModelSearch, models: readonly Model[] = builtInModels): Model[] {
  const q = search.q?.trim().toLowerCase();
  return models.filter(
    (m) =>
      (!search.kind || m.kind === search.kind) &&
      (!q || m.name.toLowerCase().includes(q) || m.description.toLowerCase().includes(q)),
  );
}
