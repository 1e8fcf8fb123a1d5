// Looking models up and showing them: the catalog's public face.
import { builtInModels } from './models';
import type { Model, ModelKind, PublicModel } from './types';

export * from './types';
export { builtInModels };

export function findModel(id: string, models: readonly Model[] = builtInModels): Model | undefined {
  return models.find((m) => m.id === id);
}

export function publicModel(model: Model): PublicModel {
  const { providers: _providers, ...rest } = model;
  return rest;
}

export interface ModelSearch {
  kind?: ModelKind;
  q?: string;
}

/**
 * Case-insensitive search over name, description and creator, optionally within one kind, for
 * models in hand (the built-ins; the library's Styles are searched the same way inside D1).
 */
export function searchModels(search: ModelSearch, models: readonly Model[] = builtInModels): Model[] {
  const q = search.q?.trim().toLowerCase();
  const words = (m: Model) => [m.name, m.description, m.creator?.handle ?? '', m.creator?.display_name ?? ''];
  return models.filter((m) => (!search.kind || m.kind === search.kind) && (!q || words(m).some((w) => w.toLowerCase().includes(q))));
}

/** Width and height for a resolution tier at an aspect ratio: the same pixel budget, multiples of 16. */
export function outputSize(tier: { width: number; height: number }, aspectRatio: string): { width: number; height: number } {
  const [w, h] = aspectRatio.split(':').map(Number);
  if (!w || !h) return { width: tier.width, height: tier.height };
  const width = Math.sqrt((tier.width * tier.height * w) / h);
  const round16 = (v: number) => Math.max(16, Math.round(v / 16) * 16);
  return { width: round16(width), height: round16((width * h) / w) };
}
