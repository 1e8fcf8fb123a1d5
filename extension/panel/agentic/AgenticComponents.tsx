// Agentic: each reference's measured components (palette, lighting, grading, composition), a
// weight per component, the live blend, and recipes. The weights and the chosen recipe live in
// the form, so toBody sends them (style_components, recipe_id) with the generation.
import { useMemo } from 'preact/hooks';
import type { ComponentName } from '../../../shared/style/components';
import type { PublicModel } from '../../../shared/catalog/types';
import type { Capture } from '../../lib/captures';
import { credits } from '../format';
import type { FormState } from '../generate/settings';
import { blendOf, type MeasuredReference } from './blend';
import { BlendPreview } from './BlendPreview';
import { ComponentCard } from './ComponentCard';
import { useMeasured } from './measure';
import { Recipes } from './Recipes';
import { useRecipes } from './use-recipes';

export interface AgenticComponentsProps {
  model: PublicModel;
  form: FormState;
  setForm(change: (form: FormState) => FormState): void;
  /** The references that go with this generation, in order (uploaded, not turned off, within the limit). */
  references: Capture[];
}

export function AgenticComponents({ model, form, setForm, references }: AgenticComponentsProps) {
  const measured = useMeasured(references);
  const recipes = useRecipes();
  const chosen = recipes.recipes.find((r) => r.id === form.recipeId) ?? null;
  const ready: MeasuredReference[] = references.flatMap((r) => {
    const m = measured[r.image_id];
    return m?.state === 'ready' ? [{ image_id: r.image_id, components: m.measured.components }] : [];
  });
  const blend = useMemo(
    () => blendOf(ready, form.weights, chosen?.components ?? null),
    [JSON.stringify(ready.map((r) => r.image_id)), JSON.stringify(form.weights), chosen?.id, ready.length],
  );
  const setWeight = (imageId: string, name: ComponentName, value: number) =>
    setForm((f) => ({ ...f, weights: { ...f.weights, [imageId]: { ...f.weights[imageId], [name]: value } } }));
  const price = model.resolutions.find((r) => r.id === form.resolution)?.credits_per_image ?? model.resolutions[0]!.credits_per_image;

  return (
    <section class="card agentic" aria-label="Agentic components" data-testid="agentic-components">
      <div class="row spread">
        <strong>Agentic components</strong>
        <span class="badge">{credits(price)} per image</span>
      </div>
      <p class="muted small">
        {model.name} builds the image from these measured components, no training needed. It costs {credits(price)} per image; the quote above shows the total.
      </p>
      {references.length ? (
        <>
          <p class="muted small">Turn a component down to use less of it from that reference; at 0 it is ignored.</p>
          <ol class="agentic-references">
            {references.map((capture, i) => (
              <ComponentCard
                key={capture.image_id}
                capture={capture}
                n={i + 1}
                measurement={measured[capture.image_id]!}
                weights={form.weights[capture.image_id] ?? {}}
                onWeight={(name, value) => setWeight(capture.image_id, name, value)}
              />
            ))}
          </ol>
        </>
      ) : (
        <p class="muted small">No references go yet. Right-click an image on a page and choose “Add to Agentic references”, or pick a recipe.</p>
      )}
      <BlendPreview blend={blend} />
      <Recipes blend={blend} recipes={recipes} chosen={chosen} setRecipe={(id) => setForm((f) => ({ ...f, recipeId: id }))} />
    </section>
  );
}
