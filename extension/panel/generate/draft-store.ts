// The Generate draft as stored, apart from the form's hooks, so the background can choose a
// model in it ("Add to Agentic references") without taking the panel's Preact code along.
import { defineUserStored } from '../../lib/stored';
import { FormState } from './settings';

export const draft = defineUserStored('local', 'generateDraft', { schema: FormState.nullable(), fallback: null, version: 1, migrations: {} });

export const blankDraft: FormState = { modelId: '', prompt: '', batch: 4, resolution: '', aspectRatio: '', pinIds: [], skipped: [], weights: {}, recipeId: null };

/** Chooses the model in the draft, keeping the prompt and settings already there (the panel fits them to the model). */
export async function chooseForGenerate(userId: string, modelId: string): Promise<void> {
  const item = draft.of(userId);
  const kept = await item.getValue();
  await item.setValue({ ...blankDraft, ...kept, modelId });
}
