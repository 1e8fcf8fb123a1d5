// The blend that goes to the generator, as the panel previews it: each measured reference with
// its per-component weights, and the chosen recipe as one more reference at full weight.
import { blendComponents, type ComponentWeights, type StyleComponents } from '../../../shared/style/components';

export interface MeasuredReference {
  image_id: string;
  components: StyleComponents;
}

export function blendOf(references: MeasuredReference[], weights: Record<string, ComponentWeights>, recipe: StyleComponents | null): StyleComponents | null {
  const items: { components: StyleComponents; weights?: ComponentWeights }[] = references.map((r) => ({ components: r.components, weights: weights[r.image_id] }));
  if (recipe) items.push({ components: recipe });
  const blend = blendComponents(items);
  // A colour whose every reference is turned off weighs nothing: it is not part of the blend.
  return blend && { ...blend, palette: blend.palette.filter((c) => c.weight > 0) };
}
